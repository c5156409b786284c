"""Batch jobs for admins: history, one batch's details, and a manual trigger the worker picks up."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field

from engagement import validation
from engagement.admin._paging import page_window
from engagement.errors import Refused
from engagement.store import Store
from engagement.store._admin import BATCH_QUEUED, BATCH_RUNNING

log = logging.getLogger(__name__)

BATCHES_PAGE_SIZE = 10
REQUESTS_PREFIX = "x_requests_"


def _int(raw: dict[str, str], name: str) -> int:
    value = raw.get(name, "")
    return int(value) if value.isdigit() else 0


def _float(raw: dict[str, str], name: str) -> float:
    try:
        return float(raw.get(name, ""))
    except ValueError:
        return 0.0


def _errors(raw: dict[str, str]) -> list[str]:
    try:
        errors = json.loads(raw.get("errors") or "[]")
    except ValueError:
        return [raw.get("errors", "")]
    return [str(error) for error in errors] if isinstance(errors, list) else [str(errors)]


@dataclass(frozen=True)
class BatchRecord:
    """`{p}:batch:{id}` as written by the worker; missing or unreadable numbers read as 0."""

    id: str
    status: str
    started_at: int
    finished_at: int
    awards: int
    points_awarded: int
    x_requests: int
    cost_usd: float
    tweets_scanned: int = 0
    engagements_seen: int = 0
    carried_over: int = 0
    """Tweets with work left for the next batch."""
    errors: list[str] = field(default_factory=list)
    likes_untracked: int = 0
    posts_read: int = 0
    users_read: int = 0
    requests_by_endpoint: dict[str, int] = field(default_factory=dict)
    tweets_resting: int = 0  # quiet tweets left unread by this batch (read within BATCH_MAX_READ_GAP_MINUTES)
    worker: str = ""
    reason: str = ""
    steps_done: int = 0  # while running: the scan's steps done so far, of steps_total
    steps_total: int = 0
    tweets_selected: int = 0

    @property
    def duration(self) -> int | None:
        """Seconds from start to end; None while running."""
        return self.finished_at - self.started_at if self.finished_at and self.started_at else None

    @classmethod
    def from_hash(cls, batch_id: str, raw: dict[str, str]) -> BatchRecord:
        def number(name: str) -> int:
            return _int(raw, name)

        return cls(
            id=batch_id,
            status=raw.get("status", "unknown"),
            started_at=number("started_at"),
            finished_at=number("finished_at"),
            awards=number("awards"),
            points_awarded=number("points_awarded"),
            x_requests=number("x_requests"),
            cost_usd=_float(raw, "cost_usd"),
            tweets_scanned=number("tweets_scanned"),
            tweets_resting=number("tweets_resting"),
            engagements_seen=number("engagements_seen"),
            carried_over=number("carried_over"),
            likes_untracked=number("likes_untracked"),
            posts_read=number("posts_read"),
            users_read=number("users_read"),
            steps_done=number("steps_done"),
            steps_total=number("steps_total"),
            tweets_selected=number("tweets_selected"),
            worker=raw.get("worker", ""),
            reason=raw.get("reason", ""),
            errors=_errors(raw),
            requests_by_endpoint={
                name.removeprefix(REQUESTS_PREFIX): _int(raw, name) for name in raw if name.startswith(REQUESTS_PREFIX)
            },
        )


@dataclass(frozen=True)
class BatchesPage:
    page: int
    pages: int
    total: int
    batches: list[BatchRecord]


async def batch_history(store: Store, page: object = 1) -> BatchesPage:
    """Recorded batches newest first, one page (1-based) at a time."""
    window = page_window(page, await store.count_batches(), BATCHES_PAGE_SIZE)
    ids, total = await store.batch_ids_page(window.start, window.size)
    records = [BatchRecord.from_hash(i, raw) for i, raw in zip(ids, await store.batch_records(ids), strict=True) if raw]
    return BatchesPage(window.page, window.pages, total, records)


async def batch_details(store: Store, batch_id: object) -> BatchRecord:
    checked = validation.numeric_id(batch_id, "batch id")
    raw = await store.get_batch(checked)
    if not raw:
        raise Refused(f"There is no record of batch {checked}.")
    return BatchRecord.from_hash(checked, raw)


async def latest_batch(store: Store) -> BatchRecord | None:
    ids, _ = await store.batch_ids_page(0, 1)
    records = await store.batch_records(ids)
    return BatchRecord.from_hash(ids[0], records[0]) if ids and records[0] else None


async def running_batch(store: Store) -> BatchRecord | None:
    """The newest batch while it runs (its live progress), else None."""
    latest = await latest_batch(store)
    return latest if latest is not None and latest.status == "running" else None


async def request_batch_run(store: Store, actor_id: str) -> None:
    """Queue a batch for the worker (it polls every few seconds); refused while one runs or one is queued."""
    actor = validation.discord_id(actor_id)
    status = await store.request_batch_run(actor)
    if status == BATCH_RUNNING:
        raise Refused("A batch is running right now; try again when it has finished.")
    if status == BATCH_QUEUED:
        raise Refused("A batch was already requested; the worker will start it within seconds.")
    log.info("admin %s requested a batch run", actor)
