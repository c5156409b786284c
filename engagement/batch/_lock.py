"""The batch lock of one community: taken, renewed while the batch runs, released; and why a batch should halt."""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass

from redis.exceptions import RedisError

from engagement.store import Store

log = logging.getLogger(__name__)

LOCK_TTL_MS = 120_000


@dataclass
class Halt:
    """Why the batch should stop at its next step: shutdown requested, or the lock was lost."""

    shutdown: asyncio.Event
    lock_lost: bool = False

    def __call__(self) -> bool:
        return self.lock_lost or self.shutdown.is_set()

    def reason(self) -> str:
        if self.lock_lost:
            return "the batch lock was lost; stopped early"
        return "stopped early for shutdown" if self.shutdown.is_set() else ""


async def _keep_lock(store: Store, token: str, ttl_ms: int, halt: Halt) -> None:
    """Renew the lock every ttl/3 while the batch runs; flag the batch when someone else holds it."""
    while True:
        await asyncio.sleep(ttl_ms / 3000)
        try:
            renewed = await store.renew_batch_lock(token, ttl_ms)
        except RedisError as error:
            log.warning("could not renew the batch lock: %s", error)
            continue
        if not renewed:
            log.error("the batch lock expired or was taken over; stopping this batch at its next step")
            halt.lock_lost = True
            return


@asynccontextmanager
async def batch_lock(
    store: Store, shutdown: asyncio.Event | None, ttl_ms: int = LOCK_TTL_MS
) -> AsyncIterator[Halt | None]:
    """The community's batch lock held (and renewed) for the block: its `Halt`, or None when another batch holds it."""
    token = secrets.token_hex(16)
    if not await store.acquire_batch_lock(token, ttl_ms):
        yield None
        return
    halt = Halt(shutdown or asyncio.Event())
    keeper = asyncio.create_task(_keep_lock(store, token, ttl_ms, halt))
    try:
        yield halt
    finally:
        keeper.cancel()
        with suppress(asyncio.CancelledError):
            await keeper
        try:
            await store.release_batch_lock(token)
        except RedisError as error:
            log.warning("could not release the batch lock (it expires by itself): %s", error)
