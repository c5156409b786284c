"""Redis storage full (maxmemory reached with noeviction): how it is recognised, measured and announced.

With `maxmemory-policy noeviction` Redis refuses every write once `used_memory` passes
`maxmemory`, so nothing about it can be queued in Redis. Reads still work: the worker
and the bot each read `INFO memory` themselves, the worker exports it as metrics and
the bot posts an alert straight to ALERT_CHANNEL, at most once an hour.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from redis.exceptions import OutOfMemoryError, RedisError

from engagement.hourly import HourlyGate
from engagement.store import Store

log = logging.getLogger(__name__)

FULL_SHARE = 0.95  # at or above this share of maxmemory, writes are about to fail (or already do)
STORAGE_FULL = "storage-full"
MEMBER_MESSAGE = "Storage is full right now, so nothing was changed. An admin has been told; please try again later."


def is_storage_full(error: BaseException) -> bool:
    """Whether `error` is Redis refusing a write because maxmemory is reached."""
    return isinstance(error, OutOfMemoryError)


@dataclass(frozen=True)
class StorageUse:
    used_bytes: int
    max_bytes: int  # 0: no limit set

    @property
    def full(self) -> bool:
        return self.max_bytes > 0 and self.used_bytes >= self.max_bytes * FULL_SHARE

    def describe(self) -> str:
        share = self.used_bytes / self.max_bytes if self.max_bytes else 0.0
        return (
            f"Redis storage is full: {self.used_bytes / 2**20:.1f} MiB used of maxmemory "
            f"{self.max_bytes / 2**20:.1f} MiB ({share:.0%}). Writes fail until memory is freed or maxmemory "
            "is raised (see the README, Configuration: Redis memory)."
        )


class StorageWatch:
    """The storage-full alert, posted directly at most once an hour."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self._gate = HourlyGate(clock)

    def alert_text(self, use: StorageUse | None) -> str | None:
        """The alert to post now, if storage is full and none went out within the hour."""
        if use is None or not use.full or not self._gate.open():
            return None
        log.error("%s", use.describe())
        return use.describe()


async def read_storage_use(store: Store) -> StorageUse | None:
    """Redis's memory use as of now; None when Redis cannot say (unreachable: another alert covers that)."""
    try:
        used, limit = await store.memory_use()
    except RedisError:
        return None
    return StorageUse(used, limit)
