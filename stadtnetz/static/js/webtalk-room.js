/* The live room of a webtalk (templates/webtalks/room.html), over the official Socket.IO client.
 *
 * Every change in the room arrives as an event with an id that rises by one. The client keeps
 * the last id it applied; on every (re)connect it sends that id and the server replays what
 * followed, and a gap in the ids asks for the missing events ("sync"), so nothing is lost or
 * applied twice. New chat messages and questions are announced through live regions. */
(function () {
  "use strict";
  var root = document.getElementById("webtalk-room");
  if (!root || typeof io === "undefined") { return; }
  root.hidden = false;
  var t = document.getElementById("room-texts").dataset;
  var me = Number(root.dataset.user);
  var isModerator = root.dataset.role === "moderator";
  var lastId = 0, syncing = false, pending = {};
  var presence = {}, questions = {}, polls = {}, hands = [], voted = {};
  var $ = function (id) { return document.getElementById(id); };

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }
  function button(label, action, data) {
    var b = el("button", {type: "button", "data-action": action}, label);
    Object.keys(data || {}).forEach(function (key) { b.dataset[key] = data[key]; });
    return b;
  }
  function nameOf(user) { return user.name || t.deletedAccount; }
  function showError(message) { $("room-error").textContent = message || ""; }
  function answer(ack) { showError(ack && !ack.ok ? ack.error : ""); return ack && ack.ok; }

  var socket = io("/webtalk", {
    auth: function (send) { send({talk: Number(root.dataset.talk), last_id: lastId}); }
  });
  socket.on("connect", function () { $("room-status").textContent = t.connected; showError(""); });
  socket.on("disconnect", function () { $("room-status").textContent = t.reconnecting; });
  socket.on("connect_error", function (error) {
    $("room-status").textContent = t.refused + " " + error.message;
  });
  socket.on("event", receive);

  function receive(event) {
    if (event.id <= lastId || pending[event.id]) { return; }
    if (event.id > lastId + 1) { pending[event.id] = event; sync(); return; }
    apply(event);
    lastId = event.id;
    while (pending[lastId + 1]) {
      var next = pending[lastId + 1];
      delete pending[lastId + 1];
      apply(next);
      lastId = next.id;
    }
  }
  function sync() {
    if (syncing) { return; }
    syncing = true;
    socket.emit("sync", {last_id: lastId}, function (ack) {
      syncing = false;
      if (ack && ack.ok) { ack.events.forEach(receive); }
    });
  }

  var handlers = {
    presence: function (e) {
      if (e.present) { presence[e.user.id] = e.user; } else { delete presence[e.user.id]; }
      renderPresence();
    },
    removed: function (e) {
      delete presence[e.user.id];
      renderPresence();
      if (e.user.id === me) { $("room-status").textContent = t.removed; socket.disconnect(); }
    },
    muted: function (e) {
      if (presence[e.user.id]) { presence[e.user.id].muted = e.muted; renderPresence(); }
      if (e.user.id === me) { $("chat-text").disabled = e.muted; }
    },
    chat: function (e) {
      var item = el("li", {id: "message-" + e.id});
      item.appendChild(el("span", {"class": "meta"}, nameOf(e.user) + ": "));
      var body = el("div", {"class": "user-content"});
      if (e.deleted) { body.textContent = t.deleted; } else { body.innerHTML = e.html; }  // sanitised on the server
      item.appendChild(body);
      if (isModerator && !e.deleted) { item.appendChild(button(t.delete, "delete-chat", {id: e.id})); }
      $("chat").appendChild(item);
    },
    chat_deleted: function (e) {
      var item = $("message-" + e.message);
      if (item) { item.querySelector(".user-content").textContent = t.deleted; item.querySelectorAll("button").forEach(function (b) { b.remove(); }); }
    },
    question: function (e) { questions[e.question.id] = e.question; renderQuestions(); },
    question_update: function (e) { questions[e.question.id] = e.question; renderQuestions(); },
    poll: function (e) { polls[e.poll.id] = e.poll; renderPolls(); },
    poll_update: function (e) { polls[e.poll.id] = e.poll; renderPolls(); },
    hand: function (e) {
      hands = hands.filter(function (u) { return u.id !== e.user.id; });
      if (e.raised) { hands.push(e.user); }
      renderHands();
    },
    reaction: function (e) { $("reactions").textContent = nameOf(e.user) + " " + e.emoji; }
  };
  function apply(event) { if (handlers[event.kind]) { handlers[event.kind](event); } }

  function renderPresence() {
    var list = $("presence");
    list.textContent = "";
    var people = Object.keys(presence).map(function (id) { return presence[id]; });
    people.sort(function (a, b) { return nameOf(a).localeCompare(nameOf(b)); });
    people.forEach(function (user) {
      var item = el("li", {}, nameOf(user) + " (" + t["roles" + user.role.charAt(0).toUpperCase() + user.role.slice(1)] + ")" +
        (user.muted ? ", " + t.muted : ""));
      if (isModerator && user.id !== me && user.role === "participant") {
        item.appendChild(button(user.muted ? t.unmute : t.mute, "mute", {user: user.id, muted: user.muted ? "" : "1"}));
        item.appendChild(button(t.remove, "remove", {user: user.id}));
      }
      list.appendChild(item);
    });
    $("presence-count").textContent = people.length;
  }

  function renderQuestions() {
    var list = $("questions");
    list.textContent = "";
    var all = Object.keys(questions).map(function (id) { return questions[id]; });
    all.sort(function (a, b) {
      return (a.state !== "open") - (b.state !== "open") || b.votes - a.votes || a.id - b.id;
    });
    all.forEach(function (q) {
      var item = el("li", {});
      var body = el("div", {"class": "user-content"});
      body.innerHTML = q.html;  // sanitised on the server
      item.appendChild(body);
      var state = q.state === "answered" ? ", " + t.answered : q.state === "dismissed" ? ", " + t.dismissed : "";
      item.appendChild(el("p", {"class": "meta"}, (q.author || t.anonymous) + " · " + q.votes + " " + t.votes + state));
      if (q.answer_html) { var a = el("div", {"class": "user-content"}); a.innerHTML = q.answer_html; item.appendChild(a); }
      if (q.state === "open") {
        item.appendChild(button(t.upvote, "upvote", {id: q.id}));
        if (isModerator) {
          item.appendChild(button(t.markAnswered, "settle", {id: q.id, state: "answered"}));
          item.appendChild(button(t.dismiss, "settle", {id: q.id, state: "dismissed"}));
        }
      }
      list.appendChild(item);
    });
  }

  function renderPolls() {
    var box = $("polls");
    box.textContent = "";
    Object.keys(polls).forEach(function (id) {
      var poll = polls[id];
      var form = el("form", {"data-poll": poll.id, "class": "webtalk-form"});
      var set = el("fieldset", {});
      set.appendChild(el("legend", {}, poll.question + (poll.closed ? " – " + t.closed : "")));
      poll.options.forEach(function (option, index) {
        var inputId = "poll-" + poll.id + "-" + index;
        var input = el("input", {type: poll.multiple ? "checkbox" : "radio", name: "poll-" + poll.id, value: index, id: inputId});
        input.disabled = poll.closed || voted[poll.id];
        var label = el("label", {"for": inputId}, option + ": " + poll.results[index]);
        var row = el("div", {"class": "field-checkbox"});
        row.appendChild(input); row.appendChild(document.createTextNode(" ")); row.appendChild(label);
        set.appendChild(row);
      });
      set.appendChild(el("p", {"class": "meta"}, poll.voters + " " + t.voters));
      form.appendChild(set);
      if (!poll.closed && !voted[poll.id]) { form.appendChild(el("button", {type: "submit"}, t.vote)); }
      if (!poll.closed && isModerator) { form.appendChild(button(t.closePoll, "close-poll", {id: poll.id})); }
      box.appendChild(form);
    });
  }

  function renderHands() {
    var list = $("hands");
    list.textContent = "";
    hands.forEach(function (user) {
      var item = el("li", {}, nameOf(user));
      if (isModerator) { item.appendChild(button(t.take, "lower-hand", {user: user.id})); }
      list.appendChild(item);
    });
    var raised = hands.some(function (u) { return u.id === me; });
    $("hand-button").textContent = raised ? t.lower : t.raise;
    $("hand-button").setAttribute("aria-pressed", raised ? "true" : "false");
  }

  var actions = {
    "delete-chat": function (d) { socket.emit("delete_chat", {id: Number(d.id)}, answer); },
    "upvote": function (d) { socket.emit("upvote", {id: Number(d.id)}, answer); },
    "settle": function (d) { socket.emit("settle", {id: Number(d.id), state: d.state}, answer); },
    "close-poll": function (d) { socket.emit("close_poll", {id: Number(d.id)}, answer); },
    "lower-hand": function (d) { socket.emit("lower_hand", {user: Number(d.user)}, answer); },
    "mute": function (d) { socket.emit("mute", {user: Number(d.user), muted: Boolean(d.muted)}, answer); },
    "remove": function (d) { socket.emit("remove", {user: Number(d.user)}, answer); }
  };
  root.addEventListener("click", function (event) {
    var target = event.target.closest("button[data-action]");
    if (target && actions[target.dataset.action]) { actions[target.dataset.action](target.dataset); }
  });
  root.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.dataset.poll) { return; }
    event.preventDefault();
    var choices = Array.prototype.map.call(form.querySelectorAll("input:checked"), function (i) { return Number(i.value); });
    socket.emit("vote", {id: Number(form.dataset.poll), choices: choices}, function (ack) {
      if (answer(ack)) { voted[form.dataset.poll] = true; renderPolls(); }
    });
  });

  function sendOnSubmit(formId, eventName, payload, clear) {
    var form = $(formId);
    if (!form) { return; }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      socket.emit(eventName, payload(), function (ack) { if (answer(ack)) { clear(); } });
    });
  }
  sendOnSubmit("chat-form", "chat", function () { return {text: $("chat-text").value}; },
    function () { $("chat-text").value = ""; });
  $("chat-text").addEventListener("keydown", function (event) {
    // Enter sends, Shift+Enter makes a new line; Tab still leaves the field (no keyboard trap).
    if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); $("chat-form").requestSubmit(); }
  });
  sendOnSubmit("question-form", "ask", function () {
    var anonymous = $("question-anonymous");
    return {text: $("question-text").value, anonymous: Boolean(anonymous && anonymous.checked)};
  }, function () { $("question-text").value = ""; });
  sendOnSubmit("poll-form", "open_poll", function () {
    return {question: $("poll-question").value, options: $("poll-options").value.split("\n"),
            multiple: $("poll-multiple").checked};
  }, function () { $("poll-question").value = ""; $("poll-options").value = ""; });
  $("hand-button").addEventListener("click", function () {
    var raised = hands.some(function (u) { return u.id === me; });
    socket.emit(raised ? "lower_hand" : "raise_hand", {}, answer);
  });
  $("reaction-buttons").addEventListener("click", function (event) {
    var target = event.target.closest("button[data-emoji]");
    if (target) { socket.emit("react", {emoji: target.dataset.emoji}, answer); }
  });
})();
