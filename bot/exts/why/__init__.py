"""/why: whether a member was paid for engaging with one post, and why not."""

from __future__ import annotations

from bot.bot import EngagementBot
from bot.exts.why._cog import WhyCog


async def setup(bot: EngagementBot) -> None:
    await bot.add_cog(WhyCog(bot))
