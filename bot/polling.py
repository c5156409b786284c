"""Cogs that do their work in rounds (post what the worker queued, apply rules): one loop, started once the bot is
ready, whose round a Discord failure ends early; what was not done is done at the next round."""

from __future__ import annotations

import logging
from typing import ClassVar

import discord
from discord.ext import tasks

from bot.bot import FeatureCog

log = logging.getLogger(__name__)


class PollingCog(FeatureCog):
    POLL_SECONDS: ClassVar[float] = 60.0

    async def tick(self) -> int:
        """One round; how many things it did."""
        raise NotImplementedError

    async def cog_load(self) -> None:
        self.poll.change_interval(seconds=self.POLL_SECONDS)
        self.poll.start()

    async def cog_unload(self) -> None:
        self.poll.cancel()

    @tasks.loop(seconds=60.0)
    async def poll(self) -> None:
        try:
            await self.tick()
        except discord.HTTPException as error:  # left undone (still queued, or not marked): the next round retries
            log.warning("%s: Discord refused a request (%s); tried again next round", type(self).__name__, error)

    @poll.before_loop
    async def _wait_until_ready(self) -> None:
        await self.bot.wait_until_ready()
