"""One batch: lock, record, select, fetch -> score -> store, carry over, finish.

Retention: a batch drops submissions older than BATCH_WINDOW_HOURS from the scan
set `{p}:tweets:recent` (`Store.expire_from_scan`) after it has written the
carry-over, so a tweet with unfinished work is still reached through
`{p}:batch:carryover` until that work is done. The submission hash, its award
logs and the leaderboards stay for history; analytics keeps a post's snapshots 120 days. Batch records beyond the newest
BATCH_HISTORY are deleted.

A batch is `open`ed, taken through the scan's `STEPS` one `step` at a time, and `close`d; alone
(`run_batch`) that is all in a row, in a cycle over several communities (`run_cycle`) every
community's batch goes through each step together, the pooled steps done for all at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import time
from collections.abc import AsyncIterator, Callable

from redis.exceptions import RedisError

from engagement.batch._awarding import Awarder, load_rules
from engagement.batch._cadence import Cadence
from engagement.batch._calls import Requests
from engagement.batch._final_pass import FinalPass
from engagement.batch._lists import AuthorTokens
from engagement.batch._lock import LOCK_TTL_MS, Halt, batch_lock
from engagement.batch._record import (
    COMPLETED,
    FAILED,
    PARTIAL,
    SKIPPED,
    BatchOutcome,
    BatchTally,
    progress_fields,
    record_fields,
)
from engagement.batch._scan import STEPS, THREADS_STEP, Scanner
from engagement.batch._selection import TrackedTweet, carry_over_work, select_tweets
from engagement.batch._share import EndpointShare
from engagement.errors import EngagementError
from engagement.platforms import THREADS
from engagement.seasons import load_programs
from engagement.settings import Settings
from engagement.store import SNAPSHOT_TTL, Store
from engagement.threads import ThreadsAccess
from engagement.threads._scan import ThreadsScanner
from engagement.threads.wiring import threads_access
from engagement.x import XClient
from engagement.x.models import XUsage
from engagement.x_oauth import XTokens, shared_beside

log = logging.getLogger(__name__)
PROGRAMS_LEAD = 3600.0  # campaigns that start within a batch's longest run are read at its start

BATCH_HISTORY = 5000
__all__ = ["LOCK_TTL_MS", "BatchRun", "run_batch", "skipped"]


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def skipped() -> BatchOutcome:
    outcome = BatchOutcome(SKIPPED, None, BatchTally(), XUsage(), "another batch is running")
    log.info(outcome.summary())
    return outcome


async def run_batch(
    store: Store,
    x: XClient,
    settings: Settings,
    *,
    clock: Callable[[], float] = time.time,
    shutdown: asyncio.Event | None = None,
    lock_ttl_ms: int = LOCK_TTL_MS,
    tokens: AuthorTokens | None = None,
    threads: ThreadsAccess | None = None,
) -> BatchOutcome:
    """Run one batch unless another one holds the lock (then `skipped`, nothing recorded)."""
    async with (
        batch_lock(store, shutdown, lock_ttl_ms) as halt,
        author_tokens(store, settings, tokens) as found,
        threads_access(shared_beside(store), settings, threads) as reads,
    ):
        if halt is None:
            return skipped()
        run = BatchRun(store, x, settings, clock, halt, tokens=found, threads=reads)
        await run.open()
        for step in STEPS:
            await run.step(step)
        return await run.close()


@contextlib.asynccontextmanager
async def author_tokens(home: Store, settings: Settings, given: AuthorTokens | None) -> AsyncIterator[AuthorTokens]:
    """`given`, else the members' X tokens next to the home community `home` (closed after the batch)."""
    if given is not None:
        yield given
        return
    tokens = XTokens.from_settings(shared_beside(home), settings)
    try:
        yield tokens
    finally:
        await tokens.aclose()


class BatchRun:
    """The state of one locked batch, from its record's creation to its last line."""

    def __init__(
        self,
        store: Store,
        x: XClient,
        settings: Settings,
        clock: Callable[[], float],
        halt: Halt,
        share: EndpointShare | None = None,
        *,
        tokens: AuthorTokens,
        threads: ThreadsAccess | None = None,
    ) -> None:
        self.store, self.x, self.clock, self.halt, self.share = store, x, clock, halt, share
        self.tokens, self.threads = tokens, threads
        self.window_hours = settings.batch_window_hours
        self.final_pass = FinalPass.from_settings(settings)
        self.cadence = Cadence(settings.batch_max_read_gap_minutes * 60, self.final_pass)
        self.tally = BatchTally()
        self.usage = XUsage()  # this batch's own requests and reads (in a cycle, its part of the pooled ones)
        self.tweets: list[TrackedTweet] | None = None  # the X posts (the pooled steps of a cycle read these)
        self.threads_posts: list[TrackedTweet] = []
        self.scanner: Scanner | None = None
        self.threads_scanner: ThreadsScanner | None = None
        self.failure = ""

    @property
    def active(self) -> bool:
        """Whether its next step should run: not failed, not halted, selection done."""
        return not self.failure and not self.halt() and self.scanner is not None

    def fail(self, error: BaseException) -> None:
        """Any failure ends the batch; its reason goes on the record."""
        # Expected kinds (Redis, a refused token) need one line; anything else is a bug: keep its traceback.
        expected = isinstance(error, (RedisError, EngagementError))
        log.error("batch %s failed: %s", self.batch_id, error, exc_info=not expected)
        self.failure = f"{type(error).__name__}: {error}"
        self.tally.error(self.failure)

    async def open(self) -> None:
        """Create the record, select the tweets, write the carry-over ahead."""
        self.started = self.clock()
        self.batch_id = await self.store.start_batch({"started_at": int(self.started), "worker": worker_name()})
        for stale in await self.store.mark_interrupted(self.batch_id, self.started):
            log.warning("batch %s was left running by a worker that died; marked interrupted", stale)
        self.window_start = self.started - self.window_hours * 3600
        try:
            await self._select()
        except Exception as error:  # recorded on the batch; see `fail`
            self.fail(error)

    async def _select(self) -> None:
        store, tally = self.store, self.tally
        carried = await store.carry_over()
        selected = await select_tweets(store, self.window_start, carried, tally)
        now = self.clock()
        due = [item for item in selected if self.cadence.due(item, now, item.submission.id in carried)]
        tally.tweets_resting = len(selected) - len(due)
        # Written ahead: if this process dies mid-batch, the next one still finds every selected tweet.
        await store.add_carry_over({item.submission.id: dict(item.pending) for item in due})
        self.tweets = [item for item in due if item.submission.platform != THREADS]
        self.threads_posts = [item for item in due if item.submission.platform == THREADS]
        awarder = Awarder(store, await load_rules(store, tally), self.batch_id, tally)
        awarder.programs = await load_programs(store, PROGRAMS_LEAD)
        requests = Requests(self.x, tally, self.halt, self.share)
        self.scanner = Scanner(store, self.x, awarder, requests, tally, self.tokens, self.final_pass)
        self.threads_scanner = ThreadsScanner(self.threads, awarder, tally, self.scanner.writes)

    async def step(self, step: str) -> None:
        """One step of the scan for this batch alone; its X usage counted as its own."""
        if not self.active:
            return
        assert self.scanner is not None
        assert self.tweets is not None
        before = self.x.usage.copy()
        try:
            if step == THREADS_STEP:
                assert self.threads_scanner is not None
                await self.threads_scanner.scan(self.threads_posts)
            else:
                await self.scanner.step(step, self.tweets)
        except Exception as error:  # recorded on the batch; see `fail`
            self.fail(error)
        finally:
            self.usage = self.usage.plus(self.x.usage.since(before))
        await self.report_progress(step)

    async def report_progress(self, step: str) -> None:
        """The record's live status after `step` (what the web panel shows while the batch runs)."""
        if not self.active:
            return
        assert self.tweets is not None
        progress = progress_fields(self.tally, self.usage, (STEPS.index(step) + 1, len(STEPS)), len(self.tweets))
        try:
            await self.store.update_batch(self.batch_id, progress)
        except RedisError as error:
            self.fail(error)

    async def close(self) -> BatchOutcome:
        """Flush, carry over what is left, record the outcome."""
        if self.scanner is not None:
            try:
                await self.scanner.writes.flush()
            except Exception as error:  # recorded on the batch; see `fail`
                self.fail(error)
        await self._carry_over()
        await self.store.expire_from_scan(self.window_start)
        await self.store.forget_analytics_before(self.store.now() - SNAPSHOT_TTL)
        if self.failure:
            status, reason = FAILED, self.failure
        else:
            status, reason = (PARTIAL if self.tally.carried_over else COMPLETED), self.halt.reason()
        return await self._finish(BatchOutcome(status, self.batch_id, self.tally, self.usage, reason))

    async def _carry_over(self) -> None:
        """Replace the carry-over with what is left; untouched when selection itself failed."""
        if self.tweets is not None:
            carry = carry_over_work([*self.tweets, *self.threads_posts], self.tally)
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
