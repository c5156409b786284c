"""The setup check as text for a server: what `/admin setup` replies and what the bot posts when it joins."""

from __future__ import annotations

import discord

from bot.exts.admin._admin_embeds import setup_text
from engagement.role_rewards import role_rewards
from engagement.services import Services
from engagement.setup_check import ChannelAccess, RoleAccess, role_rewards_check, setup_checks


def channel_access(guild: discord.Guild | None, name: str) -> ChannelAccess:
    """What Discord says about the text channel `name` from the bot's side: found, and its permissions there."""
    wanted = name.removeprefix("#").casefold()
    channel = next((c for c in guild.text_channels if c.name.casefold() == wanted), None) if guild else None
    me = guild.me if guild else None
    if channel is None:
        return ChannelAccess(name, found=False)
    if me is None:
        return ChannelAccess(name, found=True, known=False)
    granted = channel.permissions_for(me)
    return ChannelAccess(name, True, True, granted.view_channel, granted.send_messages, granted.embed_links)


async def setup_report(services: Services, guild: discord.Guild | None) -> str:
    """Run every check for the community `services` serves, with what Discord says about `guild`'s channels."""
    settings = services.settings
    alerts = channel_access(guild, settings.alert_channel) if settings.alert_channel else None
    reports = channel_access(guild, settings.report_channel) if settings.report_channel else None
    submissions = channel_access(guild, settings.submission_channel)
    threads = (services.settings, services.threads)
    checks = await setup_checks(services.store, services.x, submissions, alerts, reports, threads)
    roles = role_rewards_check(*await _reward_roles(services, guild))
    return setup_text([*checks, roles] if roles else checks)


async def _reward_roles(services: Services, guild: discord.Guild | None) -> tuple[list[RoleAccess], bool | None]:
    """Each reward role as the bot sees it, and whether it may manage roles (None: its member is not known)."""
    me = guild.me if guild else None
    found = []
    for reward in await role_rewards(services.store):
        role = guild.get_role(int(reward.role_id)) if guild else None
        below = role is not None and me is not None and role < me.top_role
        found.append(RoleAccess(reward.role_id, role is not None, below))
    return found, (me.guild_permissions.manage_roles if me else None)
