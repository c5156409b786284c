"""The browser harness itself, against a tiny ASGI app of this file: chromium loads a page served by uvicorn,
submits a form, runs a script, takes a screenshot and downloads a CSV through Playwright's download API."""

from __future__ import annotations

import asyncio
import csv
import html
import io
import struct
from typing import Any
from urllib.parse import parse_qs

import pytest
from playwright.async_api import Page, expect

from tests.web.browser.conftest import Serve, Snap, loopback_socket, start_server, stop_server

pytestmark = pytest.mark.asyncio(loop_scope="session")
Headers = tuple[tuple[bytes, bytes], ...]

ROWS = [["rank", "member", "points"], ["1", "alice", "120"], ["2", "bob, the second", "95"]]
FORM_PAGE = """<!doctype html><html lang="en"><head><title>Tiny</title></head><body>
<h1>Tiny app</h1>
<form method="post" action="/echo"><label for="word">Word</label><input id="word" name="word">
<button type="submit">Send</button></form>
<a href="/rows.csv">Download CSV</a>
<button id="count" type="button">Clicked 0</button>
<script>let n = 0; document.getElementById("count").onclick = (e) => { n += 1; e.target.textContent = "Clicked " + n; };
</script></body></html>"""


def _csv_text() -> str:
    out = io.StringIO()
    csv.writer(out).writerows(ROWS)
    return out.getvalue()


class TinyApp:
    """A raw ASGI app: a form page, an echo of the posted word, a CSV attachment; it records its lifespan."""

    def __init__(self) -> None:
        self.lifespan: list[str] = []

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        route = (scope["method"], scope["path"])
        if route == ("GET", "/"):
            await self._reply(send, 200, "text/html; charset=utf-8", FORM_PAGE)
        elif route == ("POST", "/echo"):
            word = parse_qs((await self._body(receive)).decode()).get("word", [""])[0]
            await self._reply(send, 200, "text/html; charset=utf-8", f'<p id="echo">{html.escape(word)}</p>')
        elif route == ("GET", "/rows.csv"):
            attachment = ((b"content-disposition", b'attachment; filename="rows.csv"'),)
            await self._reply(send, 200, "text/csv; charset=utf-8", _csv_text(), attachment)
        else:
            await self._reply(send, 404, "text/plain", "not found")

    async def _lifespan(self, receive: Any, send: Any) -> None:
        while True:
            message = await receive()
            phase = message["type"].rsplit(".", 1)[-1]  # startup / shutdown
            self.lifespan.append(phase)
            await send({"type": f"{message['type']}.complete"})
            if phase == "shutdown":
                return

    @staticmethod
    async def _body(receive: Any) -> bytes:
        body, more = b"", True
        while more:
            message = await receive()
            body += message.get("body", b"")
            more = message.get("more_body", False)
        return body

    @staticmethod
    async def _reply(send: Any, status: int, kind: str, text: str, extra: Headers = ()) -> None:
        headers = [(b"content-type", kind.encode()), *extra]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": text.encode()})


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    width, height = struct.unpack(">II", data[16:24])  # the IHDR chunk comes first
    return width, height


async def test_page_form_and_script(serve: Serve, page: Page, snap: Snap) -> None:
    app = TinyApp()
    sock, url = loopback_socket()  # bound before the app is served: an app can be told its own URL
    base = await serve(app, sock)
    assert base == url
    assert base.startswith("http://127.0.0.1:")
    assert app.lifespan == ["startup"]

    await page.goto(base + "/")
    await expect(page.get_by_role("heading", name="Tiny app")).to_be_visible()
    await page.get_by_role("button", name="Clicked 0").click()
    await expect(page.locator("#count")).to_have_text("Clicked 1")
    shot = await snap(page, "infrastructure-form")
    width, height = _png_size(shot.read_bytes())
    assert width == 1280
    assert height > 0

    await page.get_by_label("Word").fill("<hello & bye>")
    await page.get_by_role("button", name="Send").click()
    await expect(page.locator("#echo")).to_have_text("<hello & bye>")  # escaped by the app, shown as typed


async def test_csv_download(serve: Serve, page: Page) -> None:
    base = await serve(TinyApp())
    await page.goto(base + "/")
    async with page.expect_download() as info:
        await page.get_by_role("link", name="Download CSV").click()
    download = await info.value
    assert download.suggested_filename == "rows.csv"
    path = await download.path()
    rows = list(csv.reader(path.read_text(encoding="utf-8").splitlines()))
    assert rows == ROWS


@pytest.mark.parametrize("run", [1, 2])
async def test_each_test_has_its_own_cookies(serve: Serve, page: Page, run: int) -> None:
    """The context is per test: the cookie the first run stores is gone in the second."""
    base = await serve(TinyApp())
    await page.goto(base + "/")
    assert await page.context.cookies() == []
    await page.context.add_cookies([{"name": "s", "value": str(run), "url": base}])
    assert [c["value"] for c in await page.context.cookies()] == [str(run)]


async def test_server_stops_and_frees_its_port() -> None:
    app = TinyApp()
    server, task, base = await start_server(app)
    port = int(base.rsplit(":", 1)[1])
    await stop_server(server, task)
    assert app.lifespan == ["startup", "shutdown"]
    with pytest.raises(ConnectionRefusedError):
        await asyncio.open_connection("127.0.0.1", port)
