"""A cycle: every served community's batch, taken through the scan together on one X client.

X's limits and billing are per app, so the worker shares one rate-limit book. Every community's
batch is opened (its lock, record, selection), then all go through each step of the scan
together: the lookups and the searches pooled for all of them (`engagement.batch._pool`: a post in
two communities looked up once, every community's searches packed together), the other steps
(the lists: likes, reposts as users, fallbacks) one community after another, each with an equal
part of what is left of those endpoints' budgets (the remaining requests over the communities still
to go; what one leaves goes to those after it), the first place moving by one each cycle. Then
each batch is closed with its own record: its own requests and cost, and its part of the pooled
ones. A community whose Redis cannot be reached (its cluster node down) fails alone; its work was
written ahead as carry-over, so the next cycle redoes it.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Sequence
from contextlib import AsyncExitStack

from redis.exceptions import RedisError

from engagement.batch import FAILED, BatchOutcome, BatchTally
from engagement.batch._calls import Requests
from engagement.batch._lists import AuthorTokens
from engagement.batch._lock import batch_lock
from engagement.batch._pool import pooled_lookup, pooled_search
from engagement.batch._run import BatchRun, author_tokens, skipped
from engagement.batch._scan import POOLED, SEARCHES, STEPS
from engagement.batch._selection import LOOKUP
from engagement.batch._share import EndpointShare
from engagement.settings import Settings
from engagement.store import Store
from engagement.threads import ThreadsAccess
from engagement.threads.wiring import threads_access
from engagement.x import XClient
from engagement.x.models import XUsage
from engagement.x_oauth import shared_beside

log = logging.getLogger(__name__)


def _involved(run: BatchRun, step: str) -> bool:
    """Whether the batch had work in this pooled step (its lookups or that search)."""
    kind = LOOKUP if step == LOOKUP else SEARCHES[step].kind
    return any(kind in item.pending for item in run.tweets or [])


def _unreachable(store: Store, error: RedisError) -> BatchOutcome:
    log.error("batch of community %s could not run: %s", store.keys.prefix, error)
    return BatchOutcome(FAILED, None, BatchTally(), XUsage(), f"{type(error).__name__}: {error}")


async def run_cycle(
    stores: Sequence[Store],
    x: XClient,
    settings: Settings,
    *,
    cycle_number: int = 0,
    clock: Callable[[], float] = time.time,
    shutdown: asyncio.Event | None = None,
    tokens: AuthorTokens | None = None,
    threads: ThreadsAccess | None = None,
) -> list[BatchOutcome]:
    """One batch per community (`stores`, one per community's prefix); the outcomes in the order of `stores`.

    `tokens`: the members' X tokens; by default those next to `stores[0]` (the worker puts the home one first)."""
    if not stores:
        return []
    shared = shared_beside(stores[0])
    async with author_tokens(stores[0], settings, tokens) as found, threads_access(shared, settings, threads) as reads:
        return await _cycle(stores, x, settings, cycle_number, clock, shutdown, found, reads)


async def _cycle(
    stores: Sequence[Store],
    x: XClient,
    settings: Settings,
    cycle_number: int,
    clock: Callable[[], float],
    shutdown: asyncio.Event | None,
    tokens: AuthorTokens,
    threads: ThreadsAccess | None,
) -> list[BatchOutcome]:
    start = cycle_number % len(stores)
    order = [*stores[start:], *stores[:start]]
    outcomes: dict[int, BatchOutcome] = {}
    runs: list[BatchRun] = []
    async with AsyncExitStack() as locks:
        for index, store in enumerate(order):
            try:
                halt = await locks.enter_async_context(batch_lock(store, shutdown))
                if halt is None:
                    outcomes[id(store)] = skipped()
                    continue
                share = EndpointShare(x.rate_limits, len(order) - index)
                run = BatchRun(store, x, settings, clock, halt, share, tokens=tokens, threads=threads)
                await run.open()
                runs.append(run)
            except RedisError as error:  # e.g. the cluster node holding this community's slot is down
                outcomes[id(store)] = _unreachable(store, error)
        await _steps(runs, x, shutdown or asyncio.Event(), clock)
        for run in runs:
            try:
                outcomes[id(run.store)] = await run.close()
            except RedisError as error:
                outcomes[id(run.store)] = _unreachable(run.store, error)
    return [outcomes[id(store)] for store in stores]


async def _steps(runs: list[BatchRun], x: XClient, shutdown: asyncio.Event, clock: Callable[[], float]) -> None:
    """Every step of the scan for all the batches; the pooled ones through the cycle's own gatekeeper."""
    tally = BatchTally()
    requests = Requests(x, tally, shutdown.is_set)
    for step in STEPS:
        if step not in POOLED:
            for run in runs:
                await run.step(step)
            continue
        try:
            if step == LOOKUP:
                await pooled_lookup(runs, x, requests)
            else:
                await pooled_search(step, runs, x, requests, clock())
        except Exception as error:  # only what fails every request (a refused app token) gets here
            for run in runs:
                if run.active and _involved(run, step):
                    run.fail(error)
        for run in runs:
            await run.report_progress(step)
    for run in runs:  # what the pooled requests met concerns every batch they served
        for problem in tally.errors:
            run.tally.error(problem)
