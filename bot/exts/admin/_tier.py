"""/tier member level: stored once (in the connection hash) and audited in the same step."""

from __future__ import annotations

import discord
from discord import app_commands

from bot.bot import FeatureCog
from bot.exts.admin._checks import admin_only
from engagement.connections import change_tier
from rules.scoring import TIER_NAMES


class TierCog(FeatureCog):
    @app_commands.command(name="tier", description="Set a member's tier (admins only).")
    @app_commands.describe(member="The member", level="1 Basic, 2 Active, 3 Power")
    @app_commands.default_permissions(manage_guild=True)
    @app_commands.guild_only()
    @admin_only()
    async def tier(
        self, interaction: discord.Interaction, member: discord.Member, level: app_commands.Range[int, 1, 3]
    ) -> None:
        old, new = await change_tier(
            self.community(interaction), str(interaction.user.id), str(member.id), level, member_is_bot=member.bot
        )
        await interaction.response.send_message(
            f"{member.mention} is now tier {new} ({TIER_NAMES[new]}); it was tier {old} ({TIER_NAMES.get(old, '?')}).",
            ephemeral=True,
        )
