"""A cycle: one batch per community, in turn, on one X client (one rate-limit book: X's limits are per app).

Each community's batch may use an equal part of what is left of every app endpoint's budget (the
remaining requests over the communities still to run), so a big community cannot starve a small
one; what one leaves goes to those after it. The start of the order moves by one each cycle, so no
community is always last. A post submitted in two communities is looked up once per cycle. Each
community's batch record holds its own requests and cost, as its batch counts them. A community
whose Redis cannot be reached (its cluster node is down) fails alone: the others run; its own work
was written ahead as carry-over, so the next cycle redoes it.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Sequence

from redis.exceptions import RedisError

from engagement.batch import FAILED, BatchOutcome, BatchTally, run_batch
from engagement.batch._share import CycleLookups, CycleShare, EndpointShare
from engagement.settings import Settings
from engagement.store import Store
from engagement.x import XClient
from engagement.x.models import XUsage

log = logging.getLogger(__name__)


async def run_cycle(
    stores: Sequence[Store],
    x: XClient,
    settings: Settings,
    *,
    cycle_number: int = 0,
    clock: Callable[[], float] = time.time,
    shutdown: asyncio.Event | None = None,
) -> list[BatchOutcome]:
    """One batch per community (`stores`, one per community's prefix), run in the order this cycle's number
    gives; the outcomes in the order of `stores`."""
    if not stores:
        return []
    start = cycle_number % len(stores)
    order = [*stores[start:], *stores[:start]]
    lookups = CycleLookups()
    outcomes: dict[int, BatchOutcome] = {}
    for index, store in enumerate(order):
        share = EndpointShare(x.rate_limits, len(order) - index)
        cycle = CycleShare(share, lookups)
        try:
            outcomes[id(store)] = await run_batch(store, x, settings, clock=clock, shutdown=shutdown, cycle=cycle)
        except RedisError as error:  # e.g. the cluster node holding this community's slot is down
            log.error("batch of community %s could not run: %s", store.keys.prefix, error)
            reason = f"{type(error).__name__}: {error}"
            outcomes[id(store)] = BatchOutcome(FAILED, None, BatchTally(), XUsage(), reason)
    return [outcomes[id(store)] for store in stores]
