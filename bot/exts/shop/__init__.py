"""/shop (members: list, redeem, mine, address) and /shop-admin (admins: rewards, decisions, the payouts CSV)."""

from __future__ import annotations

from bot.bot import EngagementBot
from bot.exts.shop._admin_cog import ShopAdminCog
from bot.exts.shop._cog import ShopCog


async def setup(bot: EngagementBot) -> None:
    await bot.add_cog(ShopCog(bot))
    await bot.add_cog(ShopAdminCog(bot))
