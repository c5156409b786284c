"""Browser fixtures: Debian's chromium driven by Playwright, and an ASGI app served by uvicorn on loopback.

Everything here runs in the session's event loop (Playwright's objects belong to the loop that made them), so
every test module of this folder sets `pytestmark = pytest.mark.asyncio(loop_scope="session")`.
Screenshots go to BROWSER_SCREENSHOTS when set, else to `screenshots/` under pytest's base temp folder; the run's
summary says where.
"""

from __future__ import annotations

import asyncio
import os
import socket
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
import uvicorn
from playwright.async_api import Browser, BrowserContext, Page, async_playwright, expect
from redis.asyncio import Redis

from engagement.keys import Keys
from engagement.store import Store
from tests.conftest import FakeClock
from tests.web.browser.panel import (
    Panel,
    fake_discord_oauth,
    log_in,
    panel_services,
    panel_settings,
    panel_users,
    seed,
)
from web.app import create_app

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# As root on this closed network: no sandbox (Playwright adds --no-sandbox itself), no GPU, and nothing that
# phones home (without these, chromium keeps trying hosts the machine cannot reach).
CHROMIUM_ARGS = [
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 10_000  # a missing element fails in seconds, not after Playwright's 30 s; room for a loaded machine
SERVER_START_TIMEOUT = 10.0
expect.set_options(timeout=TIMEOUT_MS)  # the assertions' own wait, as for the actions

Serve = Callable[..., Awaitable[str]]  # (app, sock=None) -> base URL
Snap = Callable[[Page, str], Awaitable[Path]]
_written: list[Path] = []


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def browser() -> AsyncIterator[Browser]:
    """One headless chromium for the whole run; each test gets its own context (cookies, storage)."""
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} is missing: scripts/test installs Debian's chromium (apt-get install -y chromium)")
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield launched
        await launched.close()


@pytest_asyncio.fixture(loop_scope="session")
async def context(browser: Browser) -> AsyncIterator[BrowserContext]:
    ctx = await browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900}, locale="en-GB")
    ctx.set_default_timeout(TIMEOUT_MS)
    yield ctx
    await ctx.close()


@pytest_asyncio.fixture(loop_scope="session")
async def page(context: BrowserContext) -> Page:
    return await context.new_page()


def loopback_socket() -> tuple[socket.socket, str]:
    """A socket bound to a free loopback port (port 0: no race for it) and its base URL.

    Bind first when the app must know its own URL (the OAuth redirect), then `serve(app, sock)`.
    """
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    host, port = sock.getsockname()
    return sock, f"http://{host}:{port}"


async def start_server(app: Any, sock: socket.socket | None = None) -> tuple[uvicorn.Server, asyncio.Task[None], str]:
    """Serve `app` with uvicorn in this event loop and wait until it listens."""
    if sock is None:
        sock, url = loopback_socket()
    else:
        host, port = sock.getsockname()
        url = f"http://{host}:{port}"
    # log_config=None leaves logging to pytest; ws="none" keeps the websockets library (and its warnings) out.
    config = uvicorn.Config(app, log_config=None, ws="none", http="h11", lifespan="auto", timeout_graceful_shutdown=5)
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve(sockets=[sock]))
    loop = asyncio.get_running_loop()
    deadline = loop.time() + SERVER_START_TIMEOUT
    while not server.started:
        if task.done():  # startup failed (the lifespan raised, say): show why
            task.result()
            raise RuntimeError("uvicorn stopped before it started")
        if loop.time() > deadline:
            task.cancel()
            raise TimeoutError(f"uvicorn did not start within {SERVER_START_TIMEOUT} s")
        await asyncio.sleep(0.01)  # polls the flag uvicorn sets once it listens
    return server, task, url


async def stop_server(server: uvicorn.Server, task: asyncio.Task[None]) -> None:
    server.should_exit = True
    await task


@pytest_asyncio.fixture(loop_scope="session")
async def serve() -> AsyncIterator[Serve]:
    """`await serve(app)` (or `serve(app, sock)`) serves an ASGI app in this loop and returns its base URL; the
    server stops after the test."""
    async with AsyncExitStack() as stack:

        async def start(app: Any, sock: socket.socket | None = None) -> str:
            server, task, url = await start_server(app, sock)
            stack.push_async_callback(stop_server, server, task)
            return url

        yield start


@pytest.fixture(scope="session")
def screenshot_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    chosen = os.environ.get("BROWSER_SCREENSHOTS")
    folder = Path(chosen) if chosen else tmp_path_factory.getbasetemp() / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def snap(screenshot_dir: Path) -> Snap:
    """`await snap(page, "overview")` writes the whole page to <screenshot_dir>/overview.png."""

    async def take(target: Page, name: str) -> Path:
        path = screenshot_dir / f"{name}.png"
        await target.screenshot(path=str(path), full_page=True)
        _written.append(path)
        return path

    return take


async def _delete_prefixed(client: Redis, prefix: str) -> None:
    """This test's keys: the community's prefix and its `-shared` sibling (sessions, OAuth states)."""
    keys = [key async for key in client.scan_iter(match=f"{prefix}*", count=1000)]
    if keys:
        await client.delete(*keys)


@pytest_asyncio.fixture(loop_scope="session")
async def live_panel(redis_url: str, key_prefix: str, clock: FakeClock, serve: Serve) -> AsyncIterator[Panel]:
    """The panel served by uvicorn on a real Redis (this test's own key prefix), seeded, beside the fake OAuth."""
    client = Redis.from_url(redis_url, decode_responses=True)
    store = Store(client, Keys(key_prefix), clock=clock)
    sock, url = loopback_socket()  # the panel's URL must be known first: it is the OAuth redirect's
    try:
        async with fake_discord_oauth() as oauth:
            settings = panel_settings(url, oauth.base_url)
            await seed(store)
            await serve(create_app(panel_services(settings, store), settings), sock)
            admin, member = panel_users(oauth)
            yield Panel(url, store, oauth, admin, member)
    finally:
        await _delete_prefixed(client, key_prefix)
        await client.aclose()


@pytest_asyncio.fixture(loop_scope="session")
async def admin_page(live_panel: Panel, page: Page) -> Page:
    await log_in(page, live_panel, live_panel.admin)
    return page


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if _written:
        terminalreporter.write_line(f"browser screenshots ({len(_written)}): {_written[0].parent}")
