"""The worker's batch over every served community: today's single batch when one is served, else a cycle."""

from __future__ import annotations

import asyncio

from engagement.batch import BatchOutcome, run_batch
from engagement.communities._cycle import run_cycle
from engagement.communities._directory import Communities
from engagement.monitoring import BatchMonitor
from engagement.settings import Settings
from engagement.x import XClient
from engagement.x_oauth import XTokens


class CommunityBatches:
    """One batch per scanned community each run; the other communities' alerts are checked after theirs.

    The home community's monitoring (metrics, alerts) is the worker's own, run around this by the caller.
    """

    def __init__(self, communities: Communities, x: XClient, settings: Settings) -> None:
        self.communities, self.x, self.settings = communities, x, settings
        self.cycles = 0

    async def run(self, shutdown: asyncio.Event | None = None) -> BatchOutcome | None:
        """The home community's outcome (or the first one's, when the home server was left); None: none scanned."""
        stores = await self.communities.scanned()
        home = self.communities.home
        if stores == [home]:
            return await run_batch(home, self.x, self.settings, shutdown=shutdown)
        tokens = XTokens.from_settings(self.communities.shared, self.settings)
        try:
            outcomes = await run_cycle(
                stores, self.x, self.settings, cycle_number=self.cycles, shutdown=shutdown, tokens=tokens
            )
        finally:
            await tokens.aclose()
        self.cycles += 1
        for store in stores:
            if store is not home:
                await BatchMonitor(store, self.x.rate_limits, self.settings.batch_window_hours).after_batch()
        return outcomes[0] if outcomes else None  # the home community comes first when it is scanned
