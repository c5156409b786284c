"""The /help command."""

from __future__ import annotations

import discord
from discord import app_commands

from bot.bot import FeatureCog
from bot.exts.help._embeds import help_embed
from engagement.member_guide import help_facts


class HelpCog(FeatureCog):
    @app_commands.command(name="help", description="How to connect, submit and earn points here.")
    @app_commands.guild_only()
    async def help(self, interaction: discord.Interaction) -> None:
        facts = await help_facts(self.community(interaction))
        channel = _channel_mention(interaction, facts.submission_channel)
        await interaction.response.send_message(embed=help_embed(facts, channel), ephemeral=True)


def _channel_mention(interaction: discord.Interaction, name: str) -> str:
    guild = interaction.guild
    found = discord.utils.get(guild.text_channels, name=name) if guild else None
    return found.mention if found else f"#{name}"
