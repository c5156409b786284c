"""Run-time configuration: the bot's settings are the environment's, overridden by what admins set in Redis."""

from __future__ import annotations

import dataclasses
import logging

from bot.bot import EngagementBot
from engagement.admin import effective_settings
from engagement.settings import Settings

log = logging.getLogger(__name__)


class RuntimeSettings:
    """Keeps the environment's settings and swaps the bot's services to the effective ones."""

    def __init__(self, bot: EngagementBot) -> None:
        self.bot = bot
        self.base: Settings = bot.services.settings

    async def apply(self) -> Settings:
        """Re-read the admins' values; every command reads `bot.services.settings` when it runs."""
        services = self.bot.services
        settings = await effective_settings(self.base, services.store)
        others = {
            guild_id: await effective_settings(self.base, store)
            for guild_id, store in services.communities
            if guild_id is not None and store is not services.store
        }
        if settings != services.settings or others != services.community_settings:
            self.bot.services = dataclasses.replace(services, settings=settings, community_settings=others)
            log.info("run-time configuration applied")
        return settings
