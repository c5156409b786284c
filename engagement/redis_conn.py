"""Open the store: the configured Redis, or an embedded Valkey with its data on disk."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from redis.asyncio import Redis
from redis.exceptions import RedisError

from engagement.embedded import start_embedded_server, stop_embedded_server
from engagement.errors import StoreUnavailable
from engagement.keys import Keys
from engagement.settings import Settings
from engagement.store import Store

log = logging.getLogger(__name__)


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
