"""Admin commands. Each feature is a cog in its own module of this folder, added here."""

from __future__ import annotations

from bot.bot import EngagementBot
from bot.exts.admin._admin_alerts import AlertsCog
from bot.exts.admin._admin_cog import AdminCog
from bot.exts.admin._admin_runtime import RuntimeSettings
from bot.exts.admin._tier import TierCog


async def setup(bot: EngagementBot) -> None:
    await bot.add_cog(TierCog(bot))
    runtime = RuntimeSettings(bot)
    await bot.add_cog(AdminCog(bot, runtime))
    await bot.add_cog(AlertsCog(bot, runtime))
