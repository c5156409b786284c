"""Open the store: the configured Redis (one server or a cluster), or an embedded Valkey with its data on disk."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from redis.asyncio import Redis
from redis.asyncio.cluster import ClusterPipeline, RedisCluster
from redis.commands.core import AsyncScript
from redis.exceptions import RedisError

from engagement.embedded import start_embedded_server, stop_embedded_server
from engagement.errors import StoreUnavailable
from engagement.keys import Keys, hash_tagged
from engagement.settings import Settings
from engagement.store import Store

log = logging.getLogger(__name__)

# No command here blocks on the server, so a reply slower than this means a dead connection:
# fail the step (the batch is redone) rather than hang the worker's shutdown.
TIMEOUTS: dict[str, Any] = {"socket_connect_timeout": 5, "socket_timeout": 30}


class ClusterScriptPipeline(ClusterPipeline):
    """A cluster pipeline that runs scripts, loading them first as redis-py's `Pipeline` does.

    redis-py refuses `evalsha` on a cluster pipeline, since it would fail with NOSCRIPT on a node
    that never saw the script (or was restarted since); loading every queued script on every
    primary right before the pipeline runs makes it safe.
    """

    def __init__(self, client: RedisCluster, transaction: bool | None = None) -> None:
        super().__init__(client, transaction)
        self.scripts: dict[str, Any] = {}  # sha -> body

    async def execute(self, raise_on_error: bool = True, allow_redirections: bool = True) -> list[Any]:
        scripts, self.scripts = self.scripts, {}
        if scripts:
            shas = list(scripts)
            # The reply is per script: True only when every primary has it (SCRIPT EXISTS goes to all of them).
            found = await self.cluster_client.script_exists(*shas)
            for sha, present in zip(shas, found, strict=True):
                if not present:
                    await self.cluster_client.script_load(scripts[sha])  # loads on every primary
        return await super().execute(raise_on_error, allow_redirections)


class ClusterScript(AsyncScript):
    """A script that, queued on a `ClusterScriptPipeline`, has the pipeline load it first."""

    async def __call__(self, keys: Any = None, args: Any = None, client: Any = None) -> Any:
        if not isinstance(client, ClusterScriptPipeline):
            return await super().__call__(keys, args, client)
        client.scripts[self.sha] = self.script
        keys = list(keys or ())
        # EVALSHA as a raw command: redis-py routes it by its keys (one slot) like any other.
        return client.execute_command("EVALSHA", self.sha, len(keys), *keys, *(args or ()))


class StoreCluster(RedisCluster):
    """redis-py's asyncio cluster client with pipelines that load their scripts."""

    def pipeline(self, transaction: Any | None = None, shard_hint: Any | None = None) -> ClusterScriptPipeline:
        if shard_hint:
            raise RedisError("shard_hint is not supported in cluster mode")
        # redis-py's own pipeline() builds the same class; mypy sees an abstract attribute it never declares.
        return ClusterScriptPipeline(self, transaction)  # type: ignore[abstract]

    def register_script(self, script: Any) -> ClusterScript:  # type: ignore[override]  # typed as the sync Script
        return ClusterScript(self, script)


def _unreachable(url: str, error: Exception, what: str) -> StoreUnavailable:
    shown = url.split("@")[-1]
    return StoreUnavailable(f"REDIS_URL is set but {what} at {shown} is unreachable ({error}).")


async def connect_redis(url: str) -> Redis:
    """A client for `url` that has answered PING; `StoreUnavailable` with the reason otherwise."""
    client = Redis.from_url(url, decode_responses=True, **TIMEOUTS)
    try:
        await client.ping()
    except (RedisError, OSError) as error:
        await client.aclose()
        raise _unreachable(url, error, "Redis") from None
    return client


async def connect_cluster(url: str) -> StoreCluster:
    """A cluster client from one node's `url`, the slot map read and every primary answering PING."""
    try:
        client = StoreCluster.from_url(url, decode_responses=True, **TIMEOUTS)
        assert isinstance(client, StoreCluster)  # from_url is typed as returning the base class
    except (RedisError, OSError) as error:
        raise _unreachable(url, error, "the Redis Cluster") from None
    try:
        await client.initialize()
        await client.ping(target_nodes=RedisCluster.PRIMARIES)
    except (RedisError, OSError) as error:
        await client.aclose()
        raise _unreachable(url, error, "the Redis Cluster") from None
    return client


def store_keys(settings: Settings) -> Keys:
    """The key builder of the configured prefix: hash-tagged on a cluster, today's names on one server."""
    return Keys(hash_tagged(settings.key_prefix) if settings.redis_cluster else settings.key_prefix)


@asynccontextmanager
async def open_store(settings: Settings) -> AsyncIterator[Store]:
    """Yield a connected Store; starts and stops an embedded server when REDIS_URL is unset."""
    server = None
    url = settings.redis_url
    data_dir = settings.data_dir.resolve() / "redis"
    if url is None:
        server, url = start_embedded_server(data_dir)
    try:
        client = await (connect_cluster(url) if settings.redis_cluster else connect_redis(url))
        try:
            yield Store(client, store_keys(settings))
        finally:
            await client.aclose()
    finally:
        stop_embedded_server(server, data_dir)
