// The room's clients for bench/webtalk.py: official socket.io-client (npm, pinned in
// bench/package.json), WebSocket transport, one Engine.IO connection per client.
//
// Reads a JSON plan on stdin: {listeners: [{url, cookie}], senders: [{url, cookie}], talk,
// messages, pause_ms, connect_at_once, user_agent}; prints one JSON line on stdout:
// {latencies_ms: [[...per listener, message 0], ...], spreads_ms: [...], connect_retries}.
// Time runs on one monotonic clock (process.hrtime) from just before the sender's emit to
// each listener's "event" callback, after socket.io-client has decoded the packet.

"use strict";
const { io } = require("socket.io-client");

const CONNECT_TRIES = 3;

function now() {
  return Number(process.hrtime.bigint()) / 1e6;
}

async function readPlan() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return JSON.parse(Buffer.concat(chunks).toString());
}

function connect(spec, plan, onEvent, counters) {
  const attempt = (left) => new Promise((resolve, reject) => {
    const socket = io(`${spec.url}/webtalk`, {
      forceNew: true,
      reconnection: false,
      transports: ["websocket"],
      perMessageDeflate: false, // else each copy is compressed and inflated once per client
      extraHeaders: { Cookie: spec.cookie || "", "User-Agent": plan.user_agent },
      auth: { talk: plan.talk, last_id: 0 },
      timeout: 60000,
    });
    if (onEvent) socket.on("event", onEvent);
    const fail = (error) => {
      clearTimeout(timer);
      socket.off("connect");
      socket.off("connect_error", fail);
      socket.close();
      if (left <= 1) return reject(new Error(`connect failed: ${error.message}`));
      counters.retries += 1;
      setTimeout(() => attempt(left - 1).then(resolve, reject), 1000);
    };
    // The client's own timeout covers the Engine.IO handshake, not the room's answer.
    const timer = setTimeout(() => fail(new Error("no answer in 60 s")), 60000);
    socket.once("connect", () => {
      clearTimeout(timer);
      socket.off("connect_error", fail);
      resolve(socket);
    });
    socket.once("connect_error", fail);
  });
  return attempt(CONNECT_TRIES);
}

async function pool(items, limit, work) {
  const results = new Array(items.length);
  let next = 0;
  async function runner() {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]);
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, runner));
  return results;
}

async function main() {
  const plan = await readPlan();
  const counters = { retries: 0 };
  const expected = plan.listeners.length;
  let current = null; // {marker, sent, arrivals, done}
  const onEvent = (event) => {
    if (current === null || event.kind !== "chat" || !event.html.includes(current.marker)) return;
    current.arrivals.push(now());
    if (current.arrivals.length === expected) current.done();
  };
  const listeners = await pool(plan.listeners, plan.connect_at_once,
    (spec) => connect(spec, plan, onEvent, counters));
  const senders = await pool(plan.senders, 1, (spec) => connect(spec, plan, null, counters));
  await new Promise((r) => setTimeout(r, 1000)); // let presence events settle

  const latencies = [];
  const spreads = [];
  for (let n = 0; n < plan.messages; n++) {
    const marker = `bench-${n}-end`;
    const complete = new Promise((resolve) => {
      current = { marker, sent: 0, arrivals: [], done: resolve };
    });
    current.sent = now();
    const answer = await senders[n % senders.length].timeout(60000).emitWithAck("chat", { text: marker });
    if (!answer.ok) throw new Error(`chat refused: ${JSON.stringify(answer)}`);
    await Promise.race([complete, new Promise((_, reject) =>
      setTimeout(() => reject(new Error(`${marker}: ${current.arrivals.length} of ${expected} arrived`)), 60000))]);
    const { sent, arrivals } = current;
    latencies.push(arrivals.map((t) => t - sent));
    spreads.push(arrivals[arrivals.length - 1] - arrivals[0]);
    current = null;
    await new Promise((r) => setTimeout(r, plan.pause_ms));
  }
  for (const socket of [...listeners, ...senders]) socket.close();
  const report = JSON.stringify({ latencies_ms: latencies, spreads_ms: spreads,
    connect_retries: counters.retries });
  process.stdout.write(`${report}\n`, () => process.exit(0)); // a pipe is written asynchronously
}

main().catch((error) => {
  process.stderr.write(`${error.stack || error}\n`);
  process.exit(1);
});
