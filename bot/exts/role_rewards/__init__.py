"""/roles: Discord roles granted at point thresholds, tier promotion rules, and the loop that applies them."""

from __future__ import annotations

from bot.bot import EngagementBot
from bot.exts.role_rewards._cog import RoleRewardsCog


async def setup(bot: EngagementBot) -> None:
    await bot.add_cog(RoleRewardsCog(bot))
