"""The worker's monitoring: metrics kept fresh, alerts checked after each batch, Redis outages noticed."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable, Iterator
from typing import Protocol, TypeVar

from redis.exceptions import RedisError

from engagement.alerts import Alert, OutageTracker, check_alerts
from engagement.metrics import (
    MetricsServer,
    SnapshotCollector,
    collect_snapshot,
    save_rate_limits,
    start_metrics_server,
    update_metrics,
)
from engagement.saved_snapshot import SAVED_TTL_SECONDS, save_snapshot
from engagement.settings import Settings
from engagement.store import Store

log = logging.getLogger(__name__)

REFRESH_SECONDS = 30.0
STOP_SECONDS = 5.0

T = TypeVar("T")


class RateLimitSource(Protocol):
    def snapshot(self) -> dict[str, dict[str, float | int | None]]: ...


class FiguresPace:
    """How often the monitoring figures are worth computing: they scan the community's keys (17 s at 100,000
    members), so without a metrics server they are computed at most every five times as long as they take."""

    def __init__(self) -> None:
        self.took = 0.0
        self.done_at: float | None = None

    def due(self, now: float) -> bool:
        return self.done_at is None or now - self.done_at >= max(REFRESH_SECONDS, 5 * self.took)

    @contextlib.contextmanager
    def timed(self) -> Iterator[None]:
        started = time.monotonic()
        yield
        self.done_at = time.monotonic()
        self.took = self.done_at - started

    def ttl(self) -> int:
        """How long the saved figures are believed: past the next computation, with room to spare."""
        return max(SAVED_TTL_SECONDS, int(12 * self.took))


class BatchMonitor:
    """The worker's monitoring: metrics refreshed and alerts checked after each batch, Redis outages noticed."""

    def __init__(
        self, store: Store, rate_limits: RateLimitSource, window_hours: int, collector: SnapshotCollector | None = None
    ) -> None:
        self.store = store
        self.rate_limits = rate_limits
        self.window_hours = window_hours
        self.collector = collector
        self.next_batch: Callable[[], float | None] | None = None
        # The other communities the worker scans: their admins see the same next batch time.
        self.also_scanned: Callable[[], Awaitable[list[Store]]] | None = None
        self.outage = OutageTracker(store.now)
        self.server: MetricsServer | None = None
        self._watcher: asyncio.Task[None] | None = None
        self._wake = asyncio.Event()
        self._stopping = False
        self._figures = FiguresPace()

    async def _guarded(self, work: Callable[[], Awaitable[list[Alert]]]) -> list[Alert]:
        """Run `work` against Redis; a Redis failure is noted (never raised), a recovery reported."""
        try:
            await self.store.ping()
            await self.outage.recovered(self.store)
            return await work()
        except (RedisError, OSError) as error:
            self.outage.failed(error)  # logged; the bot posts its own alert, and a summary is queued on recovery
            return []

    async def _update(self) -> list[Alert]:
        await self._save_next_batch()  # first: cheap, and what admins wait for after a batch
        snapshot = self.rate_limits.snapshot()
        if self.collector is not None:
            with self._figures.timed():
                figures = await update_metrics(self.store, self.collector, self.window_hours, snapshot)
            await save_snapshot(self.store, figures, self._figures.ttl())
        else:
            await save_rate_limits(self.store, snapshot)
            if self._figures.due(time.monotonic()):  # for the Overview only: at most a fifth of the time
                with self._figures.timed():
                    figures = await collect_snapshot(self.store, self.window_hours, snapshot)
                await save_snapshot(self.store, figures, self._figures.ttl())
        return []

    async def _save_next_batch(self) -> list[Alert]:
        next_at = self.next_batch() if self.next_batch is not None else None
        if next_at is not None:
            stores = await self.also_scanned() if self.also_scanned is not None else []
            for store in [self.store, *(other for other in stores if other is not self.store)]:
                await store.set_next_batch_at(next_at)
        return []

    async def _check(self) -> list[Alert]:
        return await check_alerts(self.store, self.rate_limits.snapshot())

    async def refresh(self) -> None:
        """Metrics, the saved rate limits and the next batch time, from Redis."""
        await self._guarded(self._update)

    async def after_batch(self) -> list[Alert]:
        """Refresh, then check the alerts; returns those queued."""
        await self.refresh()
        return await self._guarded(self._check)

    def checked(self, job: Callable[[], Awaitable[T]]) -> Callable[[], Awaitable[T]]:
        """`job` (one batch) followed by the refresh and the alert check."""

        async def run_then_check() -> T:
            try:
                return await job()
            finally:
                await self.after_batch()
                self._wake.set()  # the scheduler re-arms the job right after: the watcher saves the new time

        return run_then_check

    async def watch(self, every: float = REFRESH_SECONDS) -> None:
        """Between batches: the metrics refreshed every `every` seconds; the next batch time after each batch."""
        await self.refresh()
        while not self._stopping:
            try:
                await asyncio.wait_for(self._wake.wait(), every)
            except TimeoutError:
                await self.refresh()
                continue
            self._wake.clear()  # the scheduler re-armed the job in the step that woke us
            if not self._stopping:
                await self._guarded(self._save_next_batch)

    @classmethod
    def for_worker(cls, store: Store, rate_limits: RateLimitSource, settings: Settings) -> BatchMonitor:
        """The worker's monitor, serving the metrics on METRICS_PORT when it is set."""
        server = start_metrics_server(settings.metrics_port) if settings.metrics_port else None
        monitor = cls(store, rate_limits, settings.batch_window_hours, server.collector if server else None)
        monitor.server = server
        return monitor

    def start(self) -> None:
        self._watcher = asyncio.create_task(self.watch())

    async def stop(self) -> None:
        """Stop watching (by flag: a cancel can be lost when it meets a wake-up in `wait_for`) and the server."""
        self._stopping = True
        self._wake.set()
        if self._watcher is not None:
            try:
                await asyncio.wait_for(self._watcher, STOP_SECONDS)
            except TimeoutError:
                log.warning("the metrics refresh did not stop in %s s; cancelled", STOP_SECONDS)
        if self.server is not None:
            await asyncio.to_thread(self.server.close)
