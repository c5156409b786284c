"""Serving a fake API on a free loopback port: what every fake in the sandbox (and the tests' fakes) starts with."""

from __future__ import annotations

from aiohttp import web


async def serve_on_loopback(app: web.Application) -> tuple[web.AppRunner, str]:
    """`app` served on 127.0.0.1 at a port the system picks; its runner (to clean up) and `http://host:port`."""
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    host, port = runner.addresses[0][:2]
    return runner, f"http://{host}:{port}"
