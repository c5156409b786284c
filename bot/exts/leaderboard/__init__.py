"""/leaderboard: weekly or all-time, ten per page, with Previous/Next buttons."""

from __future__ import annotations

from bot.bot import EngagementBot
from bot.exts.leaderboard._cog import LeaderboardCog


async def setup(bot: EngagementBot) -> None:
    await bot.add_cog(LeaderboardCog(bot))
