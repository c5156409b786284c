"""The bot joins or leaves a server: the community's scanning follows, nothing is written for a server not served."""

from __future__ import annotations

import logging

import discord
from discord.ext import commands

from bot.bot import FeatureCog
from engagement.communities import NOT_SERVED

log = logging.getLogger(__name__)


def _first_writable(guild: discord.Guild) -> discord.TextChannel | None:
    """Where to say so: the server's system channel, else its first text channel the bot may post in."""
    me = guild.me
    candidates = [guild.system_channel, *guild.text_channels] if guild.system_channel else guild.text_channels
    return next((c for c in candidates if c is not None and me and c.permissions_for(me).send_messages), None)


class GuildsCog(FeatureCog):
    @commands.Cog.listener()
    async def on_guild_join(self, guild: discord.Guild) -> None:
        if await self.services.communities.joined(guild.id):
            return
        channel = _first_writable(guild)
        if channel is not None:
            try:
                await channel.send(NOT_SERVED)
            except discord.HTTPException as error:
                log.warning("could not tell server %s it is not served: %s", guild.id, error)

    @commands.Cog.listener()
    async def on_guild_remove(self, guild: discord.Guild) -> None:
        await self.services.communities.left(guild.id)
