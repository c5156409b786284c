"""One batch: lock, record, select, fetch -> score -> store, carry over, finish.

Retention: a batch drops submissions older than BATCH_WINDOW_HOURS from the scan
set `{p}:tweets:recent` (`Store.expire_from_scan`) after it has written the
carry-over, so a tweet with unfinished work is still reached through
`{p}:batch:carryover` until that work is done. The submission hash, its award
logs and the leaderboards stay for history. Batch records beyond the newest
BATCH_HISTORY are deleted.
"""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import socket
import time
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass

from redis.exceptions import RedisError

from engagement.batch._awarding import Awarder, load_rules
from engagement.batch._cadence import Cadence
from engagement.batch._calls import Requests
from engagement.batch._final_pass import FinalPass
from engagement.batch._record import COMPLETED, FAILED, PARTIAL, SKIPPED, BatchOutcome, BatchTally, record_fields
from engagement.batch._scan import Scanner
from engagement.batch._selection import TrackedTweet, carry_over_work, select_tweets
from engagement.batch._share import CycleShare
from engagement.errors import EngagementError
from engagement.settings import Settings
from engagement.store import Store
from engagement.x import XClient
from engagement.x.models import XUsage

log = logging.getLogger(__name__)

LOCK_TTL_MS = 120_000
BATCH_HISTORY = 5000


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


@dataclass
class _Halt:
    """Why the batch should stop at its next step: shutdown requested, or the lock was lost."""

    shutdown: asyncio.Event
    lock_lost: bool = False

    def __call__(self) -> bool:
        return self.lock_lost or self.shutdown.is_set()

    def reason(self) -> str:
        if self.lock_lost:
            return "the batch lock was lost; stopped early"
        return "stopped early for shutdown" if self.shutdown.is_set() else ""


async def _keep_lock(store: Store, token: str, ttl_ms: int, halt: _Halt) -> None:
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


async def run_batch(
    store: Store,
    x: XClient,
    settings: Settings,
    *,
    clock: Callable[[], float] = time.time,
    shutdown: asyncio.Event | None = None,
    lock_ttl_ms: int = LOCK_TTL_MS,
    cycle: CycleShare | None = None,
) -> BatchOutcome:
    """Run one batch unless another one holds the lock (then `skipped`, nothing recorded).

    In a cycle over several communities, `cycle` is this community's share of the app's X budget
    and what the cycle already looked up (`run_cycle`).
    """
    token = secrets.token_hex(16)
    if not await store.acquire_batch_lock(token, lock_ttl_ms):
        outcome = BatchOutcome(SKIPPED, None, BatchTally(), XUsage(), "another batch is running")
        log.info(outcome.summary())
        return outcome
    halt = _Halt(shutdown or asyncio.Event())
    keeper = asyncio.create_task(_keep_lock(store, token, lock_ttl_ms, halt))
    try:
        return await _BatchRun(store, x, settings, clock, halt, cycle).run()
    finally:
        keeper.cancel()
        with suppress(asyncio.CancelledError):
            await keeper
        try:
            await store.release_batch_lock(token)
        except RedisError as error:
            log.warning("could not release the batch lock (it expires by itself): %s", error)


class _BatchRun:
    """The state of one locked batch, from its record's creation to its last line."""

    def __init__(
        self,
        store: Store,
        x: XClient,
        settings: Settings,
        clock: Callable[[], float],
        halt: _Halt,
        cycle: CycleShare | None = None,
    ) -> None:
        self.store, self.x, self.clock, self.halt, self.cycle = store, x, clock, halt, cycle
        self.window_hours = settings.batch_window_hours
        self.final_pass = FinalPass.from_settings(settings)
        self.cadence = Cadence(settings.batch_max_read_gap_minutes * 60, self.final_pass)
        self.tally = BatchTally()
        self.tweets: list[TrackedTweet] | None = None

    async def run(self) -> BatchOutcome:
        started = self.clock()
        batch_id = await self.store.start_batch({"started_at": int(started), "worker": worker_name()})
        for stale in await self.store.mark_interrupted(batch_id, started):
            log.warning("batch %s was left running by a worker that died; marked interrupted", stale)
        window_start = started - self.window_hours * 3600
        before = self.x.usage.copy()
        failure = ""
        try:
            await self._work(batch_id, window_start)
        except Exception as error:  # any failure ends the batch; its reason goes on the record
            # Expected kinds (Redis, a refused token) need one line; anything else is a bug: keep its traceback.
            expected = isinstance(error, (RedisError, EngagementError))
            log.error("batch %s failed: %s", batch_id, error, exc_info=not expected)
            failure = f"{type(error).__name__}: {error}"
            self.tally.error(failure)
        await self._carry_over()
        await self.store.expire_from_scan(window_start)
        if failure:
            status, reason = FAILED, failure
        else:
            status, reason = (PARTIAL if self.tally.carried_over else COMPLETED), self.halt.reason()
        return await self._finish(BatchOutcome(status, batch_id, self.tally, self.x.usage.since(before), reason))

    async def _work(self, batch_id: str, window_start: float) -> None:
        store, tally = self.store, self.tally
        carried = await store.carry_over()
        selected = await select_tweets(store, window_start, carried, tally)
        now = self.clock()
        self.tweets = [item for item in selected if self.cadence.due(item, now, item.submission.id in carried)]
        tally.tweets_resting = len(selected) - len(self.tweets)
        # Written ahead: if this process dies mid-batch, the next one still finds every selected tweet.
        await store.add_carry_over({item.submission.id: dict(item.pending) for item in self.tweets})
        awarder = Awarder(store, await load_rules(store, tally), batch_id, tally)
        share, lookups = (self.cycle.share, self.cycle.lookups) if self.cycle else (None, None)
        requests = Requests(self.x, tally, self.halt, share)
        await Scanner(store, self.x, awarder, requests, tally, self.final_pass, lookups).scan(self.tweets)

    async def _carry_over(self) -> None:
        """Replace the carry-over with what is left; untouched when selection itself failed."""
        if self.tweets is not None:
            carry = carry_over_work(self.tweets, self.tally)
            self.tally.carried_over = len(carry)
            if self.halt.lock_lost:  # another batch owns the carry-over now: add, never overwrite
                await self.store.add_carry_over(carry)
            else:
                await self.store.replace_carry_over(carry)

    async def _finish(self, outcome: BatchOutcome) -> BatchOutcome:
        assert outcome.batch_id is not None
        await self.store.update_batch(outcome.batch_id, record_fields(outcome, self.clock()))
        await self.store.trim_batch_history(BATCH_HISTORY)
        log.log(logging.ERROR if outcome.status == FAILED else logging.INFO, outcome.summary())
        return outcome
