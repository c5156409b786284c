"""Posts the weekly reports the worker made to each community's REPORT_CHANNEL, with their charts."""

from __future__ import annotations

from bot.bot import EngagementBot
from bot.exts.reports._cog import ReportsCog


async def setup(bot: EngagementBot) -> None:
    await bot.add_cog(ReportsCog(bot))
