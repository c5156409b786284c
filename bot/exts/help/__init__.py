"""/help: how to connect and submit, what each engagement earns, the daily limits, when points arrive."""

from __future__ import annotations

from bot.bot import EngagementBot
from bot.exts.help._cog import HelpCog


async def setup(bot: EngagementBot) -> None:
    await bot.add_cog(HelpCog(bot))
