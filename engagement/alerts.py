"""Alerts: conditions checked after each batch, logged, and queued in `{p}:alerts` for the bot to post.

The worker has no Discord connection, so alerts go through Redis; the bot drains
the queue into ALERT_CHANNEL. Each alert type is sent at most once per hour.
When Redis itself is unreachable nothing can be queued: the worker logs it and
queues a summary once Redis answers again, and the bot posts directly.
"""

from __future__ import annotations

import json
import logging
import statistics
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import asdict, dataclass

from engagement.admin import BatchRecord, alert_points_multiple
from engagement.hourly import ALERT_INTERVAL, HourlyGate
from engagement.metrics import DAY, RateLimitSnapshot, day_start
from engagement.queues import drain
from engagement.store import Store

log = logging.getLogger(__name__)

LOW_RATE_LIMIT_SHARE = 0.10
MIN_EARNERS_FOR_MEDIAN = 3
RECENT_BATCHES = 20
CHECKED_FIELD = "alert_checked"  # set on a batch record once its outcome was checked
DRAIN_MAX = 20

BATCH_FAILED = "batch-failed"
BATCH_INTERRUPTED = "batch-interrupted"
BATCHES_PARTIAL = "batches-partial"
RATE_LIMIT_LOW = "rate-limit-low"
UNUSUAL_POINTS = "unusual-points"
REDIS_UNREACHABLE = "redis-unreachable"


@dataclass(frozen=True)
class Alert:
    type: str
    message: str
    at: int

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, payload: str) -> Alert:
        """Parse a queued alert; an unreadable one becomes a plain message rather than being lost."""
        try:
            raw = json.loads(payload)
            return cls(str(raw["type"]), str(raw["message"]), int(raw["at"]))
        except (ValueError, KeyError, TypeError):
            return cls("unknown", payload[:1500], 0)


async def raise_alert(store: Store, alert_type: str, message: str) -> Alert | None:
    """Log the alert and queue it unless one of this type went out in the last hour; the alert if queued."""
    alert = Alert(alert_type, message, int(store.now()))
    queued = await store.queue_alert(alert_type, alert.to_json(), ALERT_INTERVAL)
    log.warning("alert %s%s: %s", alert_type, "" if queued else " (already sent this hour)", message)
    return alert if queued else None


# Batch outcomes
def _batch_alerts(unchecked: list[BatchRecord], previous: BatchRecord | None) -> list[tuple[str, str]]:
    """Alerts for batches that finished since the last check (oldest first), `previous` the batch before them."""
    found = []
    for batch in unchecked:
        if batch.status == "failed":
            found.append((BATCH_FAILED, f"Batch {batch.id} failed: {batch.reason or 'no reason recorded'}"))
        elif batch.status == "interrupted":
            found.append((BATCH_INTERRUPTED, f"Batch {batch.id} was interrupted (its worker stopped mid-batch)."))
        elif batch.status == "partial" and previous is not None and previous.status == "partial":
            found.append(
                (
                    BATCHES_PARTIAL,
                    f"Batches {previous.id} and {batch.id} were both partial: work is being carried over.",
                )
            )
        previous = batch
    return found


async def check_batches(store: Store) -> list[tuple[str, str]]:
    ids, _ = await store.batch_ids_page(0, RECENT_BATCHES)
    raws = await store.batch_records(ids)
    records = [(BatchRecord.from_hash(i, raw), raw) for i, raw in zip(ids, raws, strict=True) if raw]
    final = [(record, raw) for record, raw in reversed(records) if record.status != "running"]  # oldest first
    unchecked = [record for record, raw in final if not raw.get(CHECKED_FIELD)]
    if not unchecked:
        return []
    earlier = [record for record, raw in final if raw.get(CHECKED_FIELD) and int(record.id) < int(unchecked[0].id)]
    for record in unchecked:
        await store.update_batch(record.id, {CHECKED_FIELD: int(store.now())})
    return _batch_alerts(unchecked, earlier[-1] if earlier else None)


# X rate limits
def check_rate_limits(rate_limits: RateLimitSnapshot) -> list[tuple[str, str]]:
    low = []
    for endpoint, values in sorted(rate_limits.items()):
        limit, remaining = values.get("limit"), values.get("remaining")
        if limit and remaining is not None and remaining < LOW_RATE_LIMIT_SHARE * limit:
            low.append(f"{endpoint} {remaining}/{limit}")
    if not low:
        return []
    return [(RATE_LIMIT_LOW, "X endpoints under 10 % of their rate limit: " + ", ".join(low))]


# Unusual point accumulation
async def points_today(store: Store) -> dict[str, int]:
    """Points each member earned from awards today (UTC); adjustments are admins' decisions, not accumulation."""
    members = await store.member_ids()
    start = day_start(store.now())
    ids_by_member = await store.member_log_ids_between(members, start, start + DAY)
    earned = {}
    for member, ids in ids_by_member.items():
        total = sum(log.points for log in await store.logs_by_id(ids) if log.type != "adjust")
        if total > 0:
            earned[member] = total
    return earned


def unusual_earners(earned: Mapping[str, int], multiple: float) -> list[tuple[str, int]]:
    """Members above `multiple` x the median of today's earners; nothing when too few earned to judge."""
    if len(earned) < MIN_EARNERS_FOR_MEDIAN:
        return []
    threshold = multiple * statistics.median(earned.values())
    return sorted(((m, p) for m, p in earned.items() if p > threshold), key=lambda item: -item[1])


async def check_points(store: Store) -> list[tuple[str, str]]:
    earned = await points_today(store)
    multiple = await alert_points_multiple(store)
    unusual = unusual_earners(earned, multiple)
    if not unusual:
        return []
    median = statistics.median(earned.values())
    shown = ", ".join(f"<@{member}> {points}" for member, points in unusual[:5])
    return [(UNUSUAL_POINTS, f"Unusual points today (over {multiple:g} x the median of {median:g}): {shown}")]


async def check_alerts(store: Store, rate_limits: RateLimitSnapshot | None = None) -> list[Alert]:
    """Check every condition once (the worker calls this after each batch); returns the alerts queued."""
    found = await check_batches(store)
    found += check_rate_limits(rate_limits or {})
    found += await check_points(store)
    queued = [await raise_alert(store, alert_type, message) for alert_type, message in found]
    return [alert for alert in queued if alert is not None]


class OutageTracker:
    """Redis unreachable: remembered in memory (Redis cannot hold it), at most one direct alert an hour."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self.down_since: float | None = None
        self._gate = HourlyGate(clock)

    def failed(self, error: BaseException) -> Alert | None:
        """Note a failed Redis call; an alert to post directly unless one went out within the hour."""
        now = self._clock()
        if self.down_since is None:
            self.down_since = now
            log.error("Redis is unreachable: %s", error)
        if not self._gate.open():
            return None
        return Alert(REDIS_UNREACHABLE, f"Redis is unreachable: {str(error)[:300]}", int(now))

    async def recovered(self, store: Store) -> Alert | None:
        """After a Redis call succeeded: queue a summary of the outage that just ended, if there was one."""
        if self.down_since is None:
            return None
        minutes = max(int((self._clock() - self.down_since) // 60), 1)
        self.down_since = None
        log.info("Redis answers again after about %d minutes", minutes)
        return await raise_alert(store, REDIS_UNREACHABLE, f"Redis was unreachable for about {minutes} minutes.")


async def drain_alerts(store: Store, post: Callable[[Alert], Awaitable[None]], limit: int = DRAIN_MAX) -> int:
    """Post queued alerts oldest first; one that cannot be posted goes back to the head for the next round."""

    async def post_payload(payload: str) -> None:
        await post(Alert.from_json(payload))

    return await drain(store.pop_alert, store.return_alert, post_payload, limit)
