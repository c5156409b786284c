"""The worker's heartbeat: written every minute for each community it scans, read by /admin overview and setup.

A heartbeat older than `STALE_AFTER_SECONDS` (or none) means the worker is not running: the key's TTL
(`TTL_SECONDS`) lets it vanish by itself a little later, so a stopped worker leaves no lasting value behind.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from redis.exceptions import RedisError

from engagement.store import Store

log = logging.getLogger(__name__)

BEAT_SECONDS = 60
STALE_AFTER_SECONDS = 180
TTL_SECONDS = 300


@dataclass(frozen=True)
class WorkerState:
    alive: bool
    last_seen: float | None
    """When the worker last wrote its heartbeat (epoch seconds); None when never (or long enough ago to expire)."""


async def beat(stores: Iterable[Store]) -> int:
    """Write the heartbeat (the store's clock, epoch seconds) into each store; returns how many were written.

    Redis failing for one community is logged, not raised: the next beat tries again.
    """
    written = 0
    for store in stores:
        try:
            await store.record_heartbeat(store.now(), TTL_SECONDS)
            written += 1
        except RedisError as error:
            log.warning("could not write the worker heartbeat: %s", error)
    return written


async def worker_state(store: Store) -> WorkerState:
    """Alive when the heartbeat is at most `STALE_AFTER_SECONDS` old by the store's clock."""
    last = await store.heartbeat_at()
    return WorkerState(alive=last is not None and store.now() - last <= STALE_AFTER_SECONDS, last_seen=last)
