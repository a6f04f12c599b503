"""Forum benchmark: the thread page, the group page and the notification centre of a forum of
1,000,000 posts in 50,000 threads, under 20 concurrent clients, on SQLite and on PostgreSQL.

For each database it writes the forum in bulk (``forum_data.py``), then

- counts the SQL statements of each page (a SQLAlchemy ``before_cursor_execute`` listener, in
  process) at two page sizes, 20 and 100, to show the count does not grow with the page;
- serves the app with gunicorn (``--workers`` processes of ``--worker-class``, sync by default,
  as in production) and loads each page with ``wrk`` (Debian package; ``--connections``
  concurrent clients, each sending its next request when the previous answer arrived; sync
  workers close the connection after each answer, so wrk connects anew each time),
  logged in as a reader who is a member of every group; a Lua hook prints requests/s and the
  latency percentiles p50/p95/p99;
- loads a bare Flask endpoint (``forum_bare.py``) with the same server and client: the ceiling.

Run from the project root (needs ``pip install -e '.[dev,bench]'`` and ``apt-get install wrk``):

    .venv/bin/python bench/forum.py --quick                     # 20,000 posts, 5 s per page
    .venv/bin/python bench/forum.py                             # 1,000,000 posts, 20 s per page
    .venv/bin/python bench/forum.py --database postgresql --posts 200000 --threads 10000
"""

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import requests
import sqlalchemy as sa
from forum_data import READER_EMAIL, READER_PASSWORD, Forum, generate, progress

from stadtnetz import create_app, rendering
from stadtnetz.extensions import db
from stadtnetz.forum import notifications, posting

BENCH_DIR = Path(__file__).resolve().parent
GUNICORN = Path(sys.executable).with_name("gunicorn")  # the bench extra's, beside this Python
DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/stadtnetz_forumbench"
SECRET_KEY = "forum-bench-secret-key-of-sufficient-length"
USER_AGENT = "stadtnetz-forum-bench"
PAGE_SIZES = (20, 100)
WRK_REPORT = """
done = function(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format("RESULT %d %d %d %d %d %d %d\\n", summary.requests, summary.duration,
    errors.connect + errors.read + errors.write + errors.timeout, errors.status,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
"""


def machine() -> str:
    """CPUs, CPU model, memory and the load right now."""
    cpuinfo = Path("/proc/cpuinfo").read_text()
    model = re.search(r"model name\s*:\s*(.+)", cpuinfo)
    memory = int(re.search(r"MemTotal:\s*(\d+)", Path("/proc/meminfo").read_text()).group(1))
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return (
        f"{os.cpu_count()} CPUs ({model.group(1) if model else 'unknown CPU'}), "
        f"{memory / 1024 / 1024:.1f} GiB RAM, load average {load}"
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def app_for(url: str):
    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": SECRET_KEY,
            "RATELIMIT_ENABLED": False,
            "WTF_CSRF_ENABLED": False,
        }
    )


def reachable(url: str) -> None:
    """Exit with what to do if the PostgreSQL database at ``url`` cannot be reached."""
    engine = sa.create_engine(url)
    try:
        with engine.connect():
            pass
    except sa.exc.OperationalError as error:
        name = engine.url.database
        raise SystemExit(
            f"PostgreSQL database {name!r} cannot be reached: {str(error.orig).strip()}\n"
            f"create it (createdb -h 127.0.0.1 -U postgres {name}) or pass --postgres-url"
        ) from None
    finally:
        engine.dispose()


def build(url: str, posts: int, threads: int) -> Forum:
    """An empty schema on ``url``, then the generated forum."""
    app = app_for(url)
    with app.app_context():
        db.drop_all()
        db.create_all()
        forum = generate(posts, threads)
        db.session.remove()
        db.engine.dispose()
    return forum


def page_urls(forum: Forum) -> dict[str, str]:
    """The pages measured logged in as the reader."""
    last = -(-forum.long_thread_posts // posting.PER_PAGE)
    return {
        "thread page (first)": f"/forum/themen/{forum.long_thread_id}",
        "thread page (last)": f"/forum/themen/{forum.long_thread_id}?page={last}",
        "group page": f"/arbeitsgruppen/{forum.group_slug}",
        "notification centre": "/benachrichtigungen",
    }


def anonymous_urls(forum: Forum) -> dict[str, str]:
    """The public pages measured again without logging in (no header count, no read marks)."""
    urls = page_urls(forum)
    return {f"{name}, anonymous": urls[name] for name in ("thread page (first)", "group page")}


@contextmanager
def page_size(size: int):
    """Pages of ``size`` entries in the thread, group and notification pages."""
    saved = posting.PER_PAGE, notifications.PER_PAGE
    posting.PER_PAGE = notifications.PER_PAGE = size
    try:
        yield
    finally:
        posting.PER_PAGE, notifications.PER_PAGE = saved


def count_queries(url: str, forum: Forum) -> dict[str, dict[int, int]]:
    """SQL statements per page (first page of each) at each of ``PAGE_SIZES``. Each request
    runs in its own app context, as under the server, so nothing carries over between them."""
    app = app_for(url)
    with app.app_context():
        engine = db.engine
    counts: dict[str, dict[int, int]] = {}
    statements: list[str] = []
    reader, anonymous = app.test_client(), app.test_client()
    login = reader.post(
        "/anmelden", data={"email": READER_EMAIL, "password": READER_PASSWORD}, follow_redirects=True
    )
    assert "Sie sind angemeldet." in login.text, "the reader could not log in"
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    sa.event.listen(engine, "before_cursor_execute", listener)
    pages = [(reader, name, path) for name, path in page_urls(forum).items() if "last" not in name]
    pages += [(anonymous, name, path) for name, path in anonymous_urls(forum).items()]
    for client, name, path in pages:
        for size in PAGE_SIZES:
            with page_size(size):
                client.get(path)  # warm: the first visit also stores the read mark
                statements.clear()
                response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)
            counts.setdefault(name, {})[size] = len(statements)
    sa.event.remove(engine, "before_cursor_execute", listener)
    engine.dispose()
    return counts


def cpu_per_page(url: str, forum: Forum, requests_per_page: int) -> dict[str, tuple[float, float]]:
    """CPU time of this process (app, driver, Jinja; not the database server's) per request,
    in ms, over ``requests_per_page`` requests of each page: with the cached renderings of the
    posts and thread lists (``forum/fragments.py``) warm, and with them forgotten before every
    request, so that each page renders its list as it did before they were cached."""
    app = app_for(url)
    reader, anonymous = app.test_client(), app.test_client()
    login = reader.post(
        "/anmelden", data={"email": READER_EMAIL, "password": READER_PASSWORD}, follow_redirects=True
    )
    assert "Sie sind angemeldet." in login.text, "the reader could not log in"
    pages = [(reader, name, path) for name, path in page_urls(forum).items()]
    pages += [(anonymous, name, path) for name, path in anonymous_urls(forum).items()]
    figures = {}
    for client, name, path in pages:
        timings = []
        for forget in (False, True):
            assert client.get(path).status_code == 200, path  # warm (and the read mark)
            started = time.process_time()
            for _ in range(requests_per_page):
                if forget:
                    app.extensions.get(rendering.EXTENSION, {}).clear()
                client.get(path)
            timings.append((time.process_time() - started) * 1000 / requests_per_page)
        figures[name] = tuple(timings)
    with app.app_context():
        db.engine.dispose()
    return figures


@contextmanager
def gunicorn(target: str, env: dict, worker_class: str, workers: int, threads: int, chdir: Path):
    """Serve the WSGI ``target`` on a free loopback port; yields the base URL."""
    port = free_port()
    command = [
        str(GUNICORN),
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        worker_class,
        "--threads",
        str(threads),
        "--chdir",
        str(chdir),
        "--log-level",
        "warning",
        target,
    ]
    server = subprocess.Popen(command, env={**os.environ, **env})
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                requests.get(base + "/", timeout=10)
                break
            except requests.RequestException:
                time.sleep(0.1)
        else:
            raise SystemExit(f"gunicorn did not start: {' '.join(command)}")
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


def log_in(base: str) -> str:
    """Log the reader in through the real form; the Cookie header for wrk."""
    session = requests.Session()
    session.headers["User-Agent"] = USER_AGENT  # "strong" session protection binds the agent
    form = session.get(base + "/anmelden").text
    token = re.search(
        r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"', form
    )
    data = {"email": READER_EMAIL, "password": READER_PASSWORD}
    if token:
        data["csrf_token"] = token.group(1) or token.group(2)
    answer = session.post(base + "/anmelden", data=data)
    assert "Sie sind angemeldet." in answer.text, "the reader could not log in to the server"
    return "; ".join(f"{name}={value}" for name, value in session.cookies.items())


def load(url: str, seconds: int, connections: int, cookie: str | None, script: Path) -> dict:
    """One wrk run; requests/s and latency percentiles in ms."""
    headers = ["-H", f"User-Agent: {USER_AGENT}"] + (["-H", f"Cookie: {cookie}"] if cookie else [])
    command = [
        "wrk",
        "--threads",
        "2",
        "--connections",
        str(connections),
        "--duration",
        f"{seconds}s",
        "--timeout",
        "10s",
        "--script",
        str(script),
        *headers,
        url,
    ]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    fields = re.search(r"^RESULT (.+)$", output, flags=re.M).group(1).split()
    done, micros, failed, bad_status, p50, p95, p99 = map(int, fields)
    return {
        "rps": done / (micros / 1e6),
        "p50": p50 / 1000,
        "p95": p95 / 1000,
        "p99": p99 / 1000,
        "requests": done,
        "errors": failed + bad_status,
    }


def measure(url: str, forum: Forum, args, script: Path) -> list[tuple[str, dict]]:
    """Each page, then the bare endpoint, under ``args.connections`` clients."""
    env = {
        "STADTNETZ_DATABASE_URL": url,
        "STADTNETZ_SECRET_KEY": SECRET_KEY,
        "STADTNETZ_SEARCH_INDEX_DIR": str(Path(tempfile.gettempdir()) / "forum-bench-index"),
    }
    results = []
    server = args.worker_class, args.workers, args.server_threads
    with gunicorn("stadtnetz:create_app()", env, *server, BENCH_DIR.parent) as base:
        cookie = log_in(base)
        pages = [(name, path, cookie) for name, path in page_urls(forum).items()]
        pages += [(name, path, None) for name, path in anonymous_urls(forum).items()]
        for name, path, as_reader in pages:
            check = requests.get(
                base + path, headers={"Cookie": as_reader or "", "User-Agent": USER_AGENT}, timeout=30
            )
            assert check.status_code == 200, (path, check.status_code)
            assert ("Lea Leser" in check.text) == bool(as_reader), (path, "logged in?")
            load(base + path, min(2, args.seconds), args.connections, as_reader, script)  # warm-up
            results.append((name, load(base + path, args.seconds, args.connections, as_reader, script)))
            progress(f"  {name}: {results[-1][1]['rps']:.0f} requests/s")
    with gunicorn("forum_bare:app", {}, *server, BENCH_DIR) as base:
        load(base + "/", min(2, args.seconds), args.connections, None, script)
        results.append(
            ("bare Flask (ceiling)", load(base + "/", args.seconds, args.connections, None, script))
        )
    return results


def report(database: str, forum: Forum, counts: dict, cpu: dict, results: list, args) -> None:
    print(
        f"\n## {database}: {args.posts:,} posts in {args.threads:,} threads "
        f"(longest thread {forum.long_thread_posts:,} posts, group page over "
        f"{forum.group_threads:,} threads, {forum.notifications:,} notifications)"
    )
    print(
        f"{args.connections} concurrent clients (wrk), {args.seconds:g} s per page, gunicorn "
        f"{args.workers} {args.worker_class} workers of {args.server_threads} threads\n"
    )
    print("| page | requests/s | p50 ms | p95 ms | p99 ms | errors |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for name, r in results:
        print(
            f"| {name} | {r['rps']:.0f} | {r['p50']:.1f} | {r['p95']:.1f} | {r['p99']:.1f} | {r['errors']} |"
        )
    print("\n| SQL statements per page | " + " | ".join(f"{s} per page" for s in PAGE_SIZES) + " |")
    print("| --- |" + " ---: |" * len(PAGE_SIZES))
    for name, by_size in counts.items():
        print(f"| {name} | " + " | ".join(str(by_size[s]) for s in PAGE_SIZES) + " |")
    print(
        f"\n| CPU ms per request in process ({args.cpu_requests} requests) "
        "| cached lists | rendered each time |"
    )
    print("| --- | ---: | ---: |")
    for name, (cached, rendered) in cpu.items():
        print(f"| {name} | {cached:.1f} | {rendered:.1f} |")
    sys.stdout.flush()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument("--threads", type=int, default=50_000)
    parser.add_argument("--quick", action="store_true", help="20,000 posts in 1,000 threads, 5 s per page")
    parser.add_argument("--database", default="sqlite,postgresql", help="sqlite, postgresql or both")
    parser.add_argument(
        "--postgres-url", default=os.environ.get("STADTNETZ_BENCH_POSTGRES", DEFAULT_POSTGRES)
    )
    parser.add_argument("--seconds", type=int, default=20, help="load per page")
    parser.add_argument("--connections", type=int, default=20)
    # gunicorn's advice for its sync workers behind a buffering reverse proxy: 2 * CPUs + 1
    # single-threaded processes. Pages are CPU-bound Python, so threads in a worker would only
    # queue for its GIL; a waiting request goes to whichever worker is free (the listen queue is
    # shared), where a keep-alive connection of gthread stays with the worker that accepted it.
    parser.add_argument("--worker-class", default="sync", help="gunicorn worker class (sync, gthread)")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--server-threads", type=int, default=1, help="gunicorn threads per worker")
    parser.add_argument("--cpu-requests", type=int, default=200, help="requests per page for the CPU time")
    parser.add_argument("--cpu-only", action="store_true", help="count queries and CPU time, no load")
    args = parser.parse_args()
    if args.quick:
        args.posts, args.threads, args.seconds = 20_000, 1_000, 5
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install -y wrk")
    if not GUNICORN.exists():
        raise SystemExit("gunicorn is missing: .venv/bin/pip install -e '.[dev,bench]'")
    if "postgresql" in args.database.split(","):
        reachable(args.postgres_url)
    print(f"# Forum benchmark\n\nMachine: {machine()}")
    workdir = Path(tempfile.mkdtemp(prefix="forum-bench-"))
    script = workdir / "report.lua"
    script.write_text(WRK_REPORT)
    urls = {"sqlite": f"sqlite:///{workdir / 'forum.sqlite3'}", "postgresql": args.postgres_url}
    try:
        for database in args.database.split(","):
            progress(f"{database}: writing {args.posts:,} posts in {args.threads:,} threads")
            forum = build(urls[database], args.posts, args.threads)
            counts = count_queries(urls[database], forum)
            cpu = cpu_per_page(urls[database], forum, args.cpu_requests)
            results = [] if args.cpu_only else measure(urls[database], forum, args, script)
            report(database, forum, counts, cpu, results, args)
        print(f"\nLoad average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
