"""Slash commands that link and unlink a member's X account."""

from __future__ import annotations

import discord
from discord import app_commands

from bot.bot import FeatureCog
from bot.exts.connect._views import VerifyView, connected, instructions
from engagement.connections import ConnectResult, disconnect, start_connect


class ConnectCog(FeatureCog):
    @app_commands.command(name="connect", description="Link your X account: you prove it is yours with a code.")
    @app_commands.describe(handle="Your X username, for example @alice")
    @app_commands.guild_only()
    async def connect(self, interaction: discord.Interaction, handle: app_commands.Range[str, 1, 16]) -> None:
        community = self.community(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)  # a member who proved it before: X is asked
        started = await start_connect(community, str(interaction.user.id), handle)
        if isinstance(started, ConnectResult):  # proved before, in this or another community: linked now
            await interaction.followup.send(connected(started, again=True), ephemeral=True)
            return
        view = VerifyView(community, interaction.user.id, timeout=started.valid_minutes * 60)
        await interaction.followup.send(instructions(started), view=view, ephemeral=True)

    @app_commands.command(name="disconnect", description="Unlink your X account. Your points and tier stay.")
    @app_commands.guild_only()
    async def disconnect(self, interaction: discord.Interaction) -> None:
        removed = await disconnect(self.community(interaction), str(interaction.user.id))
        await interaction.response.send_message(
            f"Disconnected @{removed.handle}. Your points and tier stay with you; /connect links an account again.",
            ephemeral=True,
        )
