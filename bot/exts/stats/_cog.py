"""The /stats command."""

from __future__ import annotations

import discord
from discord import app_commands

from bot.bot import FeatureCog
from bot.exts.stats._embeds import stats_embed
from engagement.stats import member_stats
from engagement.why import not_counted


class StatsCog(FeatureCog):
    @app_commands.command(name="stats", description="Points, ranks, tier and recent awards.")
    @app_commands.describe(member="Whose stats to show (yours when left empty)")
    @app_commands.guild_only()
    async def stats(self, interaction: discord.Interaction, member: discord.Member | None = None) -> None:
        target = member or interaction.user
        await interaction.response.defer(ephemeral=True, thinking=True)
        services = self.community(interaction)
        found = await member_stats(services, str(target.id), asked_by=str(interaction.user.id))
        own = target.id == interaction.user.id
        uncounted = await not_counted(services, str(target.id)) if own and found.handle else None  # X likes
        await interaction.followup.send(embed=stats_embed(found, target, uncounted), ephemeral=True)
