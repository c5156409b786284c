"""/insights: a member's own figures, one post's, or (for admins) the community's, with charts."""

from __future__ import annotations

from bot.bot import EngagementBot
from bot.exts.insights._cog import InsightsCog


async def setup(bot: EngagementBot) -> None:
    await bot.add_cog(InsightsCog(bot))
