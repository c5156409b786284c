"""`/admin overview`: the state of tracking, the batches and the monitoring figures in one read."""

from __future__ import annotations

from dataclasses import dataclass

from engagement import metrics
from engagement.admin._batches import BatchRecord, latest_batch
from engagement.heartbeat import WorkerState, worker_state
from engagement.models import LeaderboardEntry
from engagement.saved_snapshot import latest_snapshot
from engagement.store import Store


@dataclass(frozen=True)
class Overview:
    window_hours: int
    top: LeaderboardEntry | None
    last_batch: BatchRecord | None
    batch_running: bool
    next_batch_at: float | None
    """When the worker plans its next scheduled batch; None when it has not said."""
    monitoring: metrics.MonitoringSnapshot
    worker: WorkerState
    """Whether the worker's heartbeat is fresh (at most 3 minutes old), and when it was last seen."""


async def overview(store: Store, window_hours: int) -> Overview:
    top, _ = await store.leaderboard_page(False, 0, 1)
    return Overview(
        window_hours=window_hours,
        top=top[0] if top else None,
        last_batch=await latest_batch(store),
        batch_running=await store.batch_running(),
        next_batch_at=await store.next_batch_at(),
        monitoring=await latest_snapshot(store, window_hours),
        worker=await worker_state(store),
    )
