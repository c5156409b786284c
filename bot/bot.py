"""The Discord bot: loads one extension per feature and syncs its slash commands."""

from __future__ import annotations

import logging
from typing import Any

import discord
from discord.ext import commands

from bot.tree import EngagementTree
from engagement.services import Services

log = logging.getLogger(__name__)

EXTENSIONS = (
    "bot.exts.connect",
    "bot.exts.submit",
    "bot.exts.stats",
    "bot.exts.why",
    "bot.exts.insights",
    "bot.exts.reports",
    "bot.exts.leaderboard",
    "bot.exts.seasons",
    "bot.exts.role_rewards",
    "bot.exts.shop",
    "bot.exts.help",
    "bot.exts.admin",
    "bot.exts.guilds",
)
VIEW_TIMEOUT_SECONDS = 180.0


class EngagementBot(commands.Bot):
    """Slash commands only. Commands reach the core through `services`; they hold no logic of their own."""

    tree: EngagementTree  # type: ignore[assignment]  # tree_cls below makes it one

    def __init__(
        self, services: Services, *, sync_global: bool = False, view_timeout: float = VIEW_TIMEOUT_SECONDS
    ) -> None:
        options: dict[str, Any] = {}
        if services.settings.discord_application_id is not None:
            options["application_id"] = services.settings.discord_application_id
        super().__init__(
            command_prefix=commands.when_mentioned,
            help_command=None,
            intents=discord.Intents.default(),
            tree_cls=EngagementTree,
            allowed_mentions=discord.AllowedMentions.none(),
            **options,
        )
        self.services = services
        self.sync_global = sync_global
        self.view_timeout = view_timeout
        self.tree.clock = services.clock

    async def setup_hook(self) -> None:
        for extension in EXTENSIONS:
            await self.load_extension(extension)
        await self.sync_commands()

    async def sync_commands(self) -> None:
        """Sync to every served guild (instant); globally (slow to spread) only when asked to."""
        guild_ids = self.services.communities.guild_ids
        for guild_id in guild_ids:
            guild = discord.Object(id=guild_id)
            self.tree.copy_global_to(guild=guild)
            synced = await self.tree.sync(guild=guild)
            log.info("synced %d commands to guild %s", len(synced), guild_id)
        if self.sync_global:
            synced = await self.tree.sync()
            log.info("synced %d commands globally", len(synced))
        elif not guild_ids:
            log.warning("DISCORD_GUILD_ID is not set and --sync-global was not given: no commands were synced")


class FeatureCog(commands.Cog):
    """Base of each feature's cog: it reaches the core only through the bot's services."""

    def __init__(self, bot: EngagementBot) -> None:
        self.bot = bot

    @property
    def services(self) -> Services:
        return self.bot.services

    def community(self, interaction: discord.Interaction) -> Services:
        """The services of the community the interaction comes from (its own store and settings)."""
        return self.bot.services.for_guild(interaction.guild_id)
