"""/stats: a member's points, ranks, tier, counts and recent awards."""

from __future__ import annotations

from bot.bot import EngagementBot
from bot.exts.stats._cog import StatsCog


async def setup(bot: EngagementBot) -> None:
    await bot.add_cog(StatsCog(bot))
