"""The worker's monitoring snapshot, saved in Redis each refresh so the web panel's Overview reads it at once.

Computing the figures scans the community's keys (members, connections, each member's logs today): seconds at
100,000 members. The worker does it every REFRESH_SECONDS anyway; the panel reads its result, and computes the
figures itself only when no worker has saved any for SAVED_TTL_SECONDS.
"""

from __future__ import annotations

import dataclasses
import json
import logging

from redis.exceptions import OutOfMemoryError

from engagement.metrics import MonitoringSnapshot, collect_snapshot
from engagement.storage import StorageUse
from engagement.store import Store

log = logging.getLogger(__name__)

SAVED_TTL_SECONDS = 120  # four refreshes: a worker that stopped saving stops being believed soon


async def save_snapshot(store: Store, snapshot: MonitoringSnapshot, ttl_seconds: int = SAVED_TTL_SECONDS) -> None:
    try:
        await store.save_monitoring_snapshot(json.dumps(dataclasses.asdict(snapshot)), ttl_seconds)
    except OutOfMemoryError:  # storage full: the panel computes the figures itself meanwhile
        log.debug("monitoring snapshot not saved: Redis storage is full")


def _parsed(raw: str) -> MonitoringSnapshot | None:
    try:
        fields = json.loads(raw)
        fields["points_buckets"] = [(float(bound), int(count)) for bound, count in fields["points_buckets"]]
        fields["storage"] = StorageUse(**fields["storage"]) if fields.get("storage") else None
        return MonitoringSnapshot(**fields)
    except (ValueError, TypeError, KeyError):
        log.warning("the saved monitoring snapshot is unreadable; computing the figures instead")
        return None


async def latest_snapshot(store: Store, window_hours: int) -> MonitoringSnapshot:
    """The worker's saved figures while fresh, else computed now."""
    raw = await store.saved_monitoring_snapshot()
    saved = _parsed(raw) if raw else None
    if saved is not None:  # the key's TTL is how long the worker vouches for it
        return saved
    return await collect_snapshot(store, window_hours)
