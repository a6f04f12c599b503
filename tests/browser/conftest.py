"""The browser suite: the real app served on loopback, driven by Chromium through Playwright.

``app`` here replaces the suite's ``app`` fixture, so the factories (``make_user`` …) and
``mailbox`` fill and read the live server's own SQLite database. The app runs as in production
where it matters to a browser: CSRF tokens are checked and no ``SERVER_NAME`` is pinned.
"""

import threading
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright
from werkzeug.serving import make_server

from stadtnetz import create_app
from stadtnetz.extensions import db
from tests.conftest import config_for_tests
from tests.services import service_setting

# Chromium as root in a closed network: no sandbox, no GPU, and no calls home.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def app(tmp_path, smtp_server):
    """The app the live server runs, on a fresh SQLite file, with CSRF protection on."""
    controller, _sink = smtp_server
    app = create_app(
        config_for_tests(
            SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'browser.sqlite3'}",
            MAIL_URL=f"smtp://127.0.0.1:{controller.port}",
            MAIL_DIR=str(tmp_path / "mail"),
            SEARCH_INDEX_DIR=str(tmp_path / "search-index"),
            ATTACHMENT_DIR=str(tmp_path / "attachments"),
            WTF_CSRF_ENABLED=True,
            SERVER_NAME=None,
        )
    )
    with app.app_context():
        db.create_all()
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def live_server(app) -> Iterator[str]:
    """Serve ``app`` on a free loopback port in a background thread; yields its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    app.config["BASE_URL"] = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    yield app.config["BASE_URL"]
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Headless Chromium from ``STADTNETZ_TEST_CHROMIUM`` (never a downloaded browser)."""
    executable = service_setting("browser")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_context(browser, live_server):
    """Open browser contexts (separate cookie jars: one per person) on the live server.

    Every page records console errors (e.g. what the Content-Security-Policy blocked), uncaught
    script errors and assets that failed to load; the test fails if there were any. Pages that
    answer with an error status are not counted: tests visit error pages on purpose.
    """
    contexts: list[BrowserContext] = []
    problems: list[str] = []

    def console(message) -> None:
        """Keep console errors; failed loads are judged by their response instead."""
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            problems.append(message.text)

    def response(answer) -> None:
        """Keep assets (not pages) that answered with an error."""
        if answer.status >= 400 and answer.request.resource_type != "document":
            problems.append(f"{answer.status} for {answer.url}")

    def record(page: Page) -> None:
        """Listen to a new page of the context."""
        page.on("console", console)
        page.on("pageerror", lambda error: problems.append(str(error)))
        page.on("response", response)

    def open_context() -> BrowserContext:
        context = browser.new_context(base_url=live_server, locale="de-DE")
        context.set_default_timeout(10_000)
        context.on("page", record)
        contexts.append(context)
        return context

    yield open_context
    for context in contexts:
        context.close()
    assert not problems, "the browser reported errors:\n" + "\n".join(problems)


@pytest.fixture
def page(new_context) -> Page:
    """A page in a fresh browser context."""
    return new_context().new_page()
