"""The /why command."""

from __future__ import annotations

import discord
from discord import app_commands

from bot.bot import FeatureCog
from bot.exts.why._embeds import why_embed
from engagement.why import explain_post


class WhyCog(FeatureCog):
    @app_commands.command(name="why", description="Did you get points for a post? What counted, and why not.")
    @app_commands.describe(url="Link to the post on X")
    @app_commands.guild_only()
    async def why(self, interaction: discord.Interaction, url: str) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        found = await explain_post(self.community(interaction), str(interaction.user.id), url)
        await interaction.followup.send(embed=why_embed(found), ephemeral=True)
