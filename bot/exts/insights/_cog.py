"""The /insights command."""

from __future__ import annotations

import asyncio
import io
import logging

import discord
from discord import app_commands

from bot.bot import FeatureCog
from bot.exts.admin._checks import is_admin
from bot.exts.insights._embeds import community_embeds, member_embed, post_embed
from engagement.analytics import (
    best_times_chart,
    insights_for_community,
    insights_for_member,
    insights_for_post,
    mix_chart,
    post_chart,
)

log = logging.getLogger(__name__)
NOT_ADMIN = "Only admins can see the whole community's insights. Run /insights without `community` for your own."


class InsightsCog(FeatureCog):
    @app_commands.command(name="insights", description="How your posts do, one post's curve, or the community's.")
    @app_commands.describe(
        post="Link to a submitted post on X or Threads: its figures and engagement over time",
        community="Admins: the whole community, with its type and best posting times",
        days="The period, 1 to 90 days (7 by default)",
    )
    @app_commands.guild_only()
    async def insights(
        self,
        interaction: discord.Interaction,
        post: str | None = None,
        community: bool = False,
        days: app_commands.Range[int, 1, 90] = 7,
    ) -> None:
        services = self.community(interaction)
        if community and not is_admin(interaction, services.settings.admin_role_ids):
            log.warning("refused /insights community to member %s: not an admin", interaction.user.id)
            await interaction.response.send_message(NOT_ADMIN, ephemeral=True)
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        if post is not None:
            found = await insights_for_post(services, post)
            chart = await asyncio.to_thread(post_chart, found.post)
            file = discord.File(_png(chart), filename="post.png")
            await interaction.followup.send(embed=post_embed(found), file=file, ephemeral=True)
        elif community:
            overview = await insights_for_community(services, days)
            slots = [vars(slot) for slot in overview.grid.values()]
            heat = await asyncio.to_thread(best_times_chart, slots, overview.zone)
            mix = await asyncio.to_thread(mix_chart, overview.mix.counts)
            files = [discord.File(_png(heat), filename="best-times.png"), discord.File(_png(mix), filename="mix.png")]
            await interaction.followup.send(embeds=community_embeds(overview, days), files=files, ephemeral=True)
        else:
            mine = await insights_for_member(services, str(interaction.user.id), days)
            await interaction.followup.send(embed=member_embed(mine, days), ephemeral=True)


def _png(data: bytes) -> io.BytesIO:
    return io.BytesIO(data)
