"""The bot joins or leaves a server: the community's scanning follows, nothing is written for a server not served."""

from __future__ import annotations

import logging

import discord
from discord.ext import commands

from bot.bot import FeatureCog
from bot.exts.admin._setup import setup_report
from engagement.communities import NOT_SERVED

log = logging.getLogger(__name__)
Target = discord.User | discord.Member | discord.TextChannel


def _first_writable(guild: discord.Guild) -> discord.TextChannel | None:
    """Where to say so: the server's system channel, else its first text channel the bot may post in."""
    me = guild.me
    candidates = [guild.system_channel, *guild.text_channels] if guild.system_channel else guild.text_channels
    return next((c for c in candidates if c is not None and me and c.permissions_for(me).send_messages), None)


async def _adder(guild: discord.Guild, bot_id: int) -> discord.User | discord.Member | None:
    """Who added the bot, from the audit log (needs View Audit Log: None without it)."""
    try:
        async for entry in guild.audit_logs(limit=5, action=discord.AuditLogAction.bot_add):
            if entry.target is not None and entry.target.id == bot_id:
                return entry.user
    except discord.HTTPException:
        return None
    return None


async def _send_to_first(targets: list[Target], text: str) -> bool:
    for target in targets:
        try:
            await target.send(text)
            return True
        except discord.HTTPException:  # no DMs from servers, no permission there: try the next
            continue
    return False


class GuildsCog(FeatureCog):
    @commands.Cog.listener()
    async def on_guild_join(self, guild: discord.Guild) -> None:
        if await self.services.communities.joined(guild.id):
            await self._post_setup_check(guild)
            return
        channel = _first_writable(guild)
        if channel is not None:
            try:
                await channel.send(NOT_SERVED)
            except discord.HTTPException as error:
                log.warning("could not tell server %s it is not served: %s", guild.id, error)

    async def _post_setup_check(self, guild: discord.Guild) -> None:
        """The setup check, to whoever added the bot (a DM), else the system channel, else the owner."""
        report = await setup_report(self.services.for_guild(guild.id), guild)
        text = f"Thanks for adding me to **{guild.name}**. {report}\nRun `/admin setup` again after fixing anything."
        adder, owner = await _adder(guild, self.bot.user.id if self.bot.user else 0), guild.owner
        targets: list[Target] = [t for t in (adder, guild.system_channel, owner) if t is not None]
        if not await _send_to_first(targets, text):
            log.warning("could not post the setup check for server %s anywhere; /admin setup shows it", guild.id)

    @commands.Cog.listener()
    async def on_guild_remove(self, guild: discord.Guild) -> None:
        await self.services.communities.left(guild.id)
