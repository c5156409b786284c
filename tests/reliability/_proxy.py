"""A loopback proxy that adds network latency in front of the fake X, so a batch lasts as long as a real one
would relative to a process start (the fake alone answers in a millisecond).
"""

from __future__ import annotations

import asyncio

import aiohttp
from aiohttp import web
from aiohttp.test_utils import TestServer

FORWARDED_HEADERS = ("content-type", "x-rate-limit-limit", "x-rate-limit-remaining", "x-rate-limit-reset")


class Hold:
    """One request held inside the proxy: `arrived` once it is waiting, forwarded after `release()`."""

    def __init__(self) -> None:
        self.arrived = asyncio.Event()
        self._released = asyncio.Event()

    def release(self) -> None:
        self._released.set()

    async def wait_here(self) -> None:
        self.arrived.set()
        await self._released.wait()


class LatencyProxy:
    def __init__(self, target: str, delay: float) -> None:
        self.target = target
        self.delay = delay
        self.base_url = ""
        self._session: aiohttp.ClientSession | None = None
        self._holds: list[Hold] = []
        self._next_hold: Hold | None = None
        app = web.Application()
        app.router.add_get("/{tail:.*}", self._forward)
        self._server = TestServer(app, host="127.0.0.1")

    async def start(self) -> str:
        self._session = aiohttp.ClientSession()
        await self._server.start_server()
        self.base_url = str(self._server.make_url("")).rstrip("/")
        return self.base_url

    def hold_next_request(self) -> Hold:
        """The next request to arrive (from any client) waits in the proxy until the hold is released."""
        self._next_hold = Hold()
        self._holds.append(self._next_hold)
        return self._next_hold

    async def _forward(self, request: web.Request) -> web.Response:
        assert self._session is not None
        hold, self._next_hold = self._next_hold, None
        if hold is not None:
            await hold.wait_here()
        await asyncio.sleep(self.delay)
        headers = {"Authorization": request.headers.get("Authorization", "")}
        async with self._session.get(self.target + request.path_qs, headers=headers) as answer:
            body = await answer.read()
            kept = {name: answer.headers[name] for name in FORWARDED_HEADERS if name in answer.headers}
            return web.Response(status=answer.status, body=body, headers=kept)

    async def close(self) -> None:
        for hold in self._holds:  # a test that failed mid-hold must not leave a handler waiting forever
            hold.release()
        await self._server.close()
        if self._session is not None:
            await self._session.close()
