"""Seasons, teams and campaigns: /season, /team, /campaign, and the season results posted at a season's end."""

from __future__ import annotations

from bot.bot import EngagementBot
from bot.exts.seasons._announce import SeasonResultsCog
from bot.exts.seasons._cog import SeasonsCog


async def setup(bot: EngagementBot) -> None:
    await bot.add_cog(SeasonsCog(bot))
    await bot.add_cog(SeasonResultsCog(bot))
