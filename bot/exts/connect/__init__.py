"""/connect, its Verify button, and /disconnect."""

from __future__ import annotations

from bot.bot import EngagementBot
from bot.exts.connect._cog import ConnectCog


async def setup(bot: EngagementBot) -> None:
    await bot.add_cog(ConnectCog(bot))
