"""/roles (admins): reward roles and tier promotion rules; every few minutes the bot applies them."""

from __future__ import annotations

import logging
from typing import Literal

import discord
from discord import app_commands
from redis.exceptions import RedisError

from bot.exts.admin._checks import admin_only
from bot.polling import PollingCog
from engagement import role_rewards as core
from engagement.store import Store
from rules.wording import plural

log = logging.getLogger(__name__)
GUILD_ONLY = app_commands.AppCommandContext(guild=True, dm_channel=False, private_channel=False)
REASON = "engagement tracker: role reward"


def rules_text(rewards: list[core.RoleReward], tiers: dict[int, int]) -> str:
    lines = [
        f"<@&{r.role_id}> at {plural(r.threshold, 'point')} ({r.scope}{', taken back below it' if r.revoke else ''})"
        for r in rewards
    ] or ["No reward roles."]
    lines += [f"Tier {level} at {plural(points, 'all-time point')}" for level, points in sorted(tiers.items())]
    if not tiers:
        lines.append("Tier promotion is off.")
    return "\n".join(lines)


class RoleRewardsCog(PollingCog):
    POLL_SECONDS = 300.0  # rules change rarely; Discord's role routes are rate-limited

    roles = app_commands.Group(
        name="roles", description="Admins: roles granted at point thresholds, tier promotion.", guild_only=True,
        allowed_contexts=GUILD_ONLY, default_permissions=discord.Permissions(manage_guild=True),
    )  # fmt: skip

    @roles.command(name="add", description="Grant a role when a member reaches a number of points.")
    @app_commands.describe(scope="alltime, or season: the open season's points", revoke="Take it back below it")
    @admin_only()
    async def add(
        self, interaction: discord.Interaction, role: discord.Role, threshold: app_commands.Range[int, 1, 10_000_000],
        scope: Literal["alltime", "season"] = "alltime", revoke: bool = False,
    ) -> None:  # fmt: skip
        found = await core.add_role_reward(self.community(interaction), str(interaction.user.id), role.id, threshold,
                                           scope, revoke)  # fmt: skip
        await interaction.response.send_message(
            f"{role.mention} is granted at {plural(found.threshold, 'point')} ({found.scope}), within 5 minutes.",
            ephemeral=True, allowed_mentions=discord.AllowedMentions.none(),
        )  # fmt: skip

    @roles.command(name="remove", description="Stop granting a role (members keep it).")
    @admin_only()
    async def remove(self, interaction: discord.Interaction, role: discord.Role) -> None:
        await core.remove_role_reward(self.community(interaction), str(interaction.user.id), role.id)
        await interaction.response.send_message(f"{role.mention} is no longer a reward.", ephemeral=True,
                                                allowed_mentions=discord.AllowedMentions.none())  # fmt: skip

    @roles.command(name="tier", description="Promote members to a tier at all-time points (0: off).")
    @admin_only()
    async def tier(
        self, interaction: discord.Interaction, level: app_commands.Range[int, 2, 3],
        threshold: app_commands.Range[int, 0, 10_000_000],
    ) -> None:  # fmt: skip
        await core.set_tier_rule(self.community(interaction), str(interaction.user.id), level, threshold)
        said = "off" if threshold == 0 else f"at {plural(threshold, 'all-time point')}"
        await interaction.response.send_message(f"Promotion to tier {level}: {said}.", ephemeral=True)

    @roles.command(name="list", description="The reward roles and tier promotion rules.")
    @admin_only()
    async def list_rules(self, interaction: discord.Interaction) -> None:
        store = self.community(interaction).store
        text = rules_text(await core.role_rewards(store), await core.tier_rules(store))
        await interaction.response.send_message(text, ephemeral=True, allowed_mentions=discord.AllowedMentions.none())

    async def tick(self) -> int:
        """Promote tiers and give or take back reward roles in every community; how many changes were made."""
        done = 0
        try:
            for guild_id, store in self.services.communities:
                done += await core.promote_tiers(store)
                if guild_id is not None:
                    done += await self._apply_roles(guild_id, store)
        except RedisError as error:
            log.warning("could not apply the role rewards: %s", error)
        return done

    async def _apply_roles(self, guild_id: int, store: Store) -> int:
        done = 0
        for change in await core.role_changes(store):
            for members, granted in ((change.grant, True), (change.revoke, False)):
                changed = [m for m in members if await self._set_role(guild_id, m, change.reward.role_id, granted)]
                await store.note_granted(change.reward.role_id, changed, granted=granted)
                done += len(changed)
        return done

    async def _set_role(self, guild_id: int, member: str, role_id: str, granted: bool) -> bool:
        """Give or take one role; a refusal (no Manage Roles, or the role above the bot's) is logged and retried."""
        call = self.bot.http.add_role if granted else self.bot.http.remove_role
        try:
            await call(guild_id, int(member), int(role_id), reason=REASON)
        except discord.NotFound:
            return not granted  # the member left: nothing to take back
        except discord.HTTPException as error:
            log.warning("could not %s role %s for member %s: %s", "give" if granted else "take back", role_id, member,
                        error)  # fmt: skip
            return False
        return True
