"""/submit: a member's own tweet, announced in the submissions channel."""

from __future__ import annotations

from bot.bot import EngagementBot
from bot.exts.submit._cog import SubmitCog


async def setup(bot: EngagementBot) -> None:
    await bot.add_cog(SubmitCog(bot))
