"""Slash commands that link and unlink a member's X account (and their Threads account)."""

from __future__ import annotations

from typing import Literal

import discord
from discord import app_commands

from bot.bot import FeatureCog
from bot.exts.connect._views import (
    SIGN_IN_TEXT,
    THREADS_TEXT,
    VerifyView,
    connected,
    instructions,
    link_view,
    sign_in_view,
)
from engagement.connections import ConnectResult, disconnect, remember_display_name, start_connect
from engagement.errors import Refused
from engagement.threads.sign_in import disconnect_threads, threads_sign_in_link
from engagement.x_oauth.sign_in import NOT_SET_UP, sign_in_link

Platform = Literal["x", "threads"]


class ConnectCog(FeatureCog):
    @app_commands.command(name="connect", description="Link your X account: Sign in with X, or a code in your bio.")
    @app_commands.describe(
        handle="Your X username, for example @alice (to prove it with a code instead)",
        platform="x (the default) or threads: connect your Threads account by signing in at Threads",
    )
    @app_commands.guild_only()
    async def connect(
        self,
        interaction: discord.Interaction,
        handle: app_commands.Range[str, 1, 16] | None = None,
        platform: Platform = "x",
    ) -> None:
        community = self.community(interaction)
        member = str(interaction.user.id)
        if platform == "threads":
            threads_link = await threads_sign_in_link(community, member, interaction.guild_id)
            await interaction.response.send_message(
                THREADS_TEXT, view=link_view("Connect Threads", threads_link), ephemeral=True
            )
            await remember_display_name(community, member, interaction.user.display_name)
            return
        link = await sign_in_link(community, member, interaction.guild_id) if community.settings.x_sign_in else None
        if handle is None:
            if link is None:
                raise Refused(NOT_SET_UP)
            await interaction.response.send_message(SIGN_IN_TEXT, view=sign_in_view(link), ephemeral=True)
            await remember_display_name(community, member, interaction.user.display_name)
            return
        await interaction.response.defer(ephemeral=True, thinking=True)  # a member who proved it before: X is asked
        started = await start_connect(community, member, handle)
        await remember_display_name(community, member, interaction.user.display_name)
        if isinstance(started, ConnectResult):  # proved before, in this or another community: linked now
            await interaction.followup.send(connected(started, again=True), ephemeral=True)
            return
        view = VerifyView(community, interaction.user.id, timeout=started.valid_minutes * 60, sign_in=link)
        await interaction.followup.send(instructions(started, sign_in=link is not None), view=view, ephemeral=True)

    @app_commands.command(name="disconnect", description="Unlink your X account. Your points and tier stay.")
    @app_commands.describe(platform="x (the default) or threads")
    @app_commands.guild_only()
    async def disconnect(self, interaction: discord.Interaction, platform: Platform = "x") -> None:
        if platform == "threads":
            username = await disconnect_threads(self.community(interaction), str(interaction.user.id))
            await interaction.response.send_message(
                f"Disconnected Threads account @{username}. Your points and tier stay with you; "
                "/connect platform:threads links one again.",
                ephemeral=True,
            )
            return
        removed = await disconnect(self.community(interaction), str(interaction.user.id))
        await interaction.response.send_message(
            f"Disconnected @{removed.handle}. Your points and tier stay with you; /connect links an account again.",
            ephemeral=True,
        )
