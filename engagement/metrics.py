"""Prometheus metrics computed from the Redis state, served by the worker on METRICS_PORT.

`collect_snapshot` reads Redis (async); `SnapshotCollector` renders the latest
snapshot on each scrape (the HTTP server runs in a thread and never touches Redis).
"""

from __future__ import annotations

import json
import logging
import statistics
import time
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from prometheus_client.core import GaugeMetricFamily, HistogramMetricFamily, Metric
from prometheus_client.registry import Collector, CollectorRegistry
from redis.exceptions import OutOfMemoryError

from engagement.admin._batches import BatchRecord
from engagement.storage import StorageUse, read_storage_use
from engagement.store import Store

log = logging.getLogger(__name__)

DAY = 24 * 3600
POINT_BUCKETS = (0.0, 10.0, 25.0, 50.0, 100.0, 250.0, 500.0, 1000.0, 2500.0, 5000.0, 10000.0)
RECENT_BATCHES = 50
SUCCESS = ("completed", "partial")  # partial: finished, with work carried over (usually rate limits)
UNSUCCESSFUL = ("failed", "interrupted")

RateLimitSnapshot = Mapping[str, Mapping[str, float | int | None]]


@dataclass(frozen=True)
class MonitoringSnapshot:
    """Everything the metrics and `/admin overview` show, as of `at`."""

    at: float
    members: int
    connected_members: int
    daily_active_members: int
    tweets_submitted_today: int
    tweets_in_window: int
    engagement_rate_avg: float
    points_buckets: list[tuple[float, int]]
    points_sum: float
    points_count: int
    batch_statuses: dict[str, int]
    x_requests_24h: dict[str, int]
    x_cost_usd_24h: float
    last_batch_finished_at: int
    rate_limits: dict[str, dict[str, float | int | None]] = field(default_factory=dict)
    storage: StorageUse | None = None

    @property
    def batch_success_rate(self) -> float | None:
        """Share of recent finished batches that completed (fully or partly); None before any finished."""
        good = sum(self.batch_statuses.get(status, 0) for status in SUCCESS)
        finished = good + sum(self.batch_statuses.get(status, 0) for status in UNSUCCESSFUL)
        return good / finished if finished else None


def day_start(now: float) -> float:
    moment = datetime.fromtimestamp(now, UTC)
    return moment.replace(hour=0, minute=0, second=0, microsecond=0).timestamp()


async def _engagement_rate(store: Store, window_start: float, connected: int) -> tuple[int, float]:
    """Tweets in the window, and the average share of the other connected members who engaged with each."""
    ids = await store.recent_submission_ids(window_start)
    tweet_ids = [raw["tweet_id"] for raw in await store.submission_hashes(ids) if raw.get("tweet_id")]
    if not tweet_ids:
        return len(ids), 0.0
    awards = await store.points_by_tweet(tweet_ids)
    eligible = max(connected - 1, 1)  # the author's own engagements earn nothing
    return len(ids), statistics.fmean(min(awards[t][0] / eligible, 1.0) for t in tweet_ids)


async def _recent_batches(store: Store) -> list[BatchRecord]:
    ids, _ = await store.batch_ids_page(0, RECENT_BATCHES)
    raws = await store.batch_records(ids)
    return [BatchRecord.from_hash(batch_id, raw) for batch_id, raw in zip(ids, raws, strict=True) if raw]


def _usage_24h(batches: list[BatchRecord], now: float) -> tuple[dict[str, int], float]:
    recent = [batch for batch in batches if batch.started_at >= now - DAY]
    requests: Counter[str] = Counter()
    for batch in recent:
        requests.update(batch.requests_by_endpoint)
    return dict(requests), round(sum(batch.cost_usd for batch in recent), 4)


async def collect_snapshot(
    store: Store, window_hours: int, rate_limits: RateLimitSnapshot | None = None
) -> MonitoringSnapshot:
    now = store.now()
    members = await store.member_ids()
    connected = await store.count_connected()
    submitted = await store.submissions_on_day(store.utc_day())
    active = await store.members_with_logs_since(members, day_start(now)) | {m for m, n in submitted.items() if n}
    in_window, rate = await _engagement_rate(store, now - window_hours * 3600, connected)
    buckets = await store.board_counts_below(POINT_BUCKETS)
    count, total = await store.board_total()
    batches = await _recent_batches(store)
    requests, cost = _usage_24h(batches, now)
    if rate_limits is None:
        rate_limits = await load_rate_limits(store)
    return MonitoringSnapshot(
        at=now,
        members=len(members),
        connected_members=connected,
        daily_active_members=len(active),
        tweets_submitted_today=sum(submitted.values()),
        tweets_in_window=in_window,
        engagement_rate_avg=rate,
        points_buckets=list(zip(POINT_BUCKETS, buckets, strict=True)),
        points_sum=total,
        points_count=count,
        batch_statuses=dict(Counter(batch.status for batch in batches)),
        x_requests_24h=requests,
        x_cost_usd_24h=cost,
        last_batch_finished_at=max((batch.finished_at for batch in batches), default=0),
        rate_limits={name: dict(values) for name, values in rate_limits.items()},
        storage=await read_storage_use(store),
    )


async def save_rate_limits(store: Store, rate_limits: RateLimitSnapshot) -> None:
    await store.save_rate_limits(json.dumps({name: dict(values) for name, values in rate_limits.items()}))


async def load_rate_limits(store: Store) -> dict[str, dict[str, float | int | None]]:
    """The worker's last saved view of the X rate limits; empty when none or unreadable."""
    try:
        raw: Any = json.loads(await store.saved_rate_limits() or "{}")
    except ValueError:
        return {}
    return {str(k): dict(v) for k, v in raw.items() if isinstance(v, dict)} if isinstance(raw, dict) else {}


def _gauge(name: str, doc: str, value: float) -> GaugeMetricFamily:
    return GaugeMetricFamily(name, doc, value=value)


def _labelled(name: str, doc: str, label: str, values: Mapping[str, float]) -> GaugeMetricFamily:
    family = GaugeMetricFamily(name, doc, labels=[label])
    for key, value in sorted(values.items()):
        family.add_metric([key], value)
    return family


def _rate_limit_values(snapshot: MonitoringSnapshot, key: str) -> dict[str, float]:
    return {
        endpoint: float(values[key])  # type: ignore[arg-type]
        for endpoint, values in snapshot.rate_limits.items()
        if isinstance(values.get(key), int | float)
    }


# (name, help, snapshot attribute) of the plain gauges
GAUGES = (
    ("engagement_members", "Members with a record (connected now or before).", "members"),
    ("engagement_connected_members", "Members with a linked X account.", "connected_members"),
    ("engagement_daily_active_members", "Members who earned points or submitted today (UTC).", "daily_active_members"),
    ("engagement_tweets_submitted_today", "Tweets submitted today (UTC).", "tweets_submitted_today"),
    ("engagement_tweets_in_window", "Submitted tweets the batches still scan.", "tweets_in_window"),
    (
        "engagement_engagement_rate_avg",
        "Average share of the other connected members who engaged with a tweet in the window.",
        "engagement_rate_avg",
    ),
    ("engagement_x_cost_usd_24h", "Estimated X cost of batches in the last 24 h (USD).", "x_cost_usd_24h"),
    ("engagement_last_batch_finished_timestamp_seconds", "When the last batch ended.", "last_batch_finished_at"),
    ("engagement_metrics_updated_timestamp_seconds", "When these values were read from Redis.", "at"),
)


def snapshot_metrics(s: MonitoringSnapshot) -> Iterator[Metric]:
    for name, doc, attribute in GAUGES:
        yield _gauge(name, doc, float(getattr(s, attribute)))
    buckets = [(repr(float(bound)), count) for bound, count in s.points_buckets] + [("+Inf", s.points_count)]
    yield HistogramMetricFamily(
        "engagement_member_points", "All-time points per member.", buckets=buckets, sum_value=s.points_sum
    )
    statuses = {status: float(n) for status, n in s.batch_statuses.items()}
    yield _labelled("engagement_recent_batches", f"Last {RECENT_BATCHES} batches by status.", "status", statuses)
    if s.batch_success_rate is not None:
        yield _gauge(
            "engagement_batch_success_ratio",
            "Recent finished batches that completed or were partial.",
            s.batch_success_rate,
        )
    requests = {endpoint: float(n) for endpoint, n in s.x_requests_24h.items()}
    yield _labelled("engagement_x_requests_24h", "X requests by batches in the last 24 h.", "endpoint", requests)
    yield _labelled(
        "engagement_x_rate_limit_remaining",
        "Requests left in the endpoint's window.",
        "endpoint",
        _rate_limit_values(s, "remaining"),
    )
    yield _labelled(
        "engagement_x_rate_limit_limit", "The endpoint's window limit.", "endpoint", _rate_limit_values(s, "limit")
    )
    if s.storage is not None:
        yield _gauge("engagement_redis_used_memory_bytes", "Redis used_memory.", float(s.storage.used_bytes))
        yield _gauge("engagement_redis_maxmemory_bytes", "Redis maxmemory (0: no limit).", float(s.storage.max_bytes))
        yield _gauge(
            "engagement_redis_storage_full",
            "1 when Redis is within 5 % of maxmemory: writes fail (noeviction).",
            float(s.storage.full),
        )


class SnapshotCollector(Collector):
    """Renders the latest snapshot; nothing before the first update."""

    def __init__(self) -> None:
        self.latest: MonitoringSnapshot | None = None

    def collect(self) -> Iterator[Metric]:
        snapshot = self.latest  # one read: the worker may swap it while a scrape runs
        if snapshot is not None:
            yield from snapshot_metrics(snapshot)


async def update_metrics(
    store: Store, collector: SnapshotCollector, window_hours: int, rate_limits: RateLimitSnapshot | None = None
) -> MonitoringSnapshot:
    """Read Redis into a fresh snapshot (saving the worker's rate limits for the bot's overview first)."""
    started = time.perf_counter()
    if rate_limits is not None:
        try:
            await save_rate_limits(store, rate_limits)
        except OutOfMemoryError:  # storage full: the reads below still work, and report it
            log.debug("rate limits not saved: Redis storage is full")
    snapshot = await collect_snapshot(store, window_hours, rate_limits)
    collector.latest = snapshot
    log.debug("metrics updated in %.3f s", time.perf_counter() - started)
    return snapshot


@dataclass
class MetricsServer:
    collector: SnapshotCollector
    server: Any
    thread: Any

    @property
    def port(self) -> int:
        return int(self.server.server_port)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


def start_metrics_server(port: int, addr: str = "0.0.0.0") -> MetricsServer:
    """Serve /metrics on `port` (0 picks a free one) from a private registry holding one SnapshotCollector."""
    from prometheus_client import start_http_server

    collector = SnapshotCollector()
    registry = CollectorRegistry(auto_describe=False)
    registry.register(collector)
    server, thread = start_http_server(port, addr=addr, registry=registry)
    log.info("metrics served on %s:%s/metrics", addr, server.server_port)
    return MetricsServer(collector, server, thread)
