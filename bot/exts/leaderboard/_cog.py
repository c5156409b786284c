"""The /leaderboard command: all-time, weekly, a season's (or its teams'), or a campaign's board."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, Literal

import discord
from discord import app_commands

from bot.bot import FeatureCog
from bot.exts.leaderboard._embeds import leaderboard_embed
from bot.exts.seasons._embeds import board_embed
from bot.views import Paginator
from engagement import seasons
from engagement.stats import leaderboard_page, parse_board

Render = Callable[[int], Awaitable[tuple[discord.Embed, int, int]]]


class LeaderboardCog(FeatureCog):
    @app_commands.command(name="leaderboard", description="Top engagers: all-time, this week, a season or a campaign.")
    @app_commands.describe(
        board="Which board to show (teams: the teams of the season)",
        season="A season's board (the open one when you pick board:teams without a season)",
        campaign="A campaign's board",
    )
    @app_commands.guild_only()
    async def leaderboard(
        self,
        interaction: discord.Interaction,
        board: Literal["alltime", "weekly", "teams"] = "alltime",
        season: str | None = None,
        campaign: str | None = None,
    ) -> None:
        render = self._renderer(interaction, board, season, campaign)
        embed, page, pages = await render(0)
        extra: dict[str, Any] = {}
        if pages > 1:
            view = Paginator(interaction.user.id, render, page, pages, timeout=self.bot.view_timeout)
            view.source = interaction
            extra["view"] = view
        await interaction.response.send_message(embed=embed, **extra)

    def _renderer(
        self, interaction: discord.Interaction, board: str, season: str | None, campaign: str | None
    ) -> Render:
        viewer = str(interaction.user.id)
        community = self.community(interaction)

        async def program(page: int) -> tuple[discord.Embed, int, int]:
            if campaign:
                shown = await seasons.campaign_board(community, campaign, page, viewer)
            else:
                shown = await seasons.season_board(community, season, page, viewer, by_team=board == "teams")
            return board_embed(shown), shown.page, shown.pages

        async def standard(page: int) -> tuple[discord.Embed, int, int]:
            shown = await leaderboard_page(community, parse_board(board), page, viewer)
            return leaderboard_embed(shown), shown.page, shown.pages

        return program if campaign or season or board == "teams" else standard

    @leaderboard.autocomplete("season")
    async def _seasons(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        found = await seasons.seasons(self.community(interaction).store)
        return _choices(current, [season.name for season in reversed(found)])

    @leaderboard.autocomplete("campaign")
    async def _campaigns(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        found = await seasons.campaigns(self.community(interaction).store)
        return _choices(current, [campaign.name for campaign in reversed(found)])


def _choices(current: str, names: list[str]) -> list[app_commands.Choice[str]]:
    wanted = current.strip().casefold()
    return [app_commands.Choice(name=name, value=name) for name in names if wanted in name.casefold()][:25]
