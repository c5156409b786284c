"""The /leaderboard command."""

from __future__ import annotations

from typing import Any, Literal

import discord
from discord import app_commands

from bot.bot import FeatureCog
from bot.exts.leaderboard._embeds import leaderboard_embed
from bot.views import Paginator
from engagement.stats import leaderboard_page, parse_board


class LeaderboardCog(FeatureCog):
    @app_commands.command(name="leaderboard", description="Top engagers, all-time or this week.")
    @app_commands.describe(board="Which board to show")
    @app_commands.guild_only()
    async def leaderboard(
        self, interaction: discord.Interaction, board: Literal["alltime", "weekly"] = "alltime"
    ) -> None:
        weekly = parse_board(board)
        viewer = str(interaction.user.id)
        community = self.community(interaction)

        async def render(page: int) -> tuple[discord.Embed, int, int]:
            shown = await leaderboard_page(community, weekly, page, viewer)
            return leaderboard_embed(shown), shown.page, shown.pages

        embed, page, pages = await render(0)
        extra: dict[str, Any] = {}
        if pages > 1:
            view = Paginator(interaction.user.id, render, page, pages, timeout=self.bot.view_timeout)
            view.source = interaction
            extra["view"] = view
        await interaction.response.send_message(embed=embed, **extra)
