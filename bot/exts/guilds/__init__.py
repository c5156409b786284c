"""Servers joining and leaving: a server not served is told so once; leaving a served one stops its scanning."""

from __future__ import annotations

from bot.bot import EngagementBot
from bot.exts.guilds._cog import GuildsCog


async def setup(bot: EngagementBot) -> None:
    await bot.add_cog(GuildsCog(bot))
