"""/shop-admin: list, restock and retire rewards, decide redemptions (granting their role), export payouts."""

from __future__ import annotations

import io
import logging

import discord
from discord import app_commands

from bot.bot import FeatureCog
from bot.exts.admin._checks import admin_only
from bot.exts.shop._cog import GUILD_ONLY, reward_choices, send_pages
from bot.exts.shop._embeds import decided_text, redemptions_embed, reward_text, stock_text
from engagement import shop
from engagement.shop import MAX_COST, MAX_LIMIT, MAX_STOCK
from engagement.store import Store
from rules.wording import plural

log = logging.getLogger(__name__)


def _actor(interaction: discord.Interaction) -> str:
    return str(interaction.user.id)


def _display_names(guild: discord.Guild | None) -> dict[str, str]:
    """Names of the members this bot has seen (no member intent: the rest come from /connect and /submit)."""
    return {str(member.id): member.display_name for member in guild.members} if guild else {}


class ShopAdminCog(FeatureCog):
    shop_admin = app_commands.Group(
        name="shop-admin",
        description="Admin tools for the rewards shop: rewards, redemptions, the payouts CSV.",
        guild_only=True,
        allowed_contexts=GUILD_ONLY,
        default_permissions=discord.Permissions(manage_guild=True),
    )

    def _store(self, interaction: discord.Interaction) -> Store:
        return self.community(interaction).store

    @shop_admin.command(name="add", description="List a new reward.")
    @app_commands.describe(
        name="1-60 characters, unique among the rewards on offer",
        cost="Points, 1 to 1,000,000",
        description="Up to 300 characters",
        stock="How many, 0 to 1,000,000 (leave out: unlimited)",
        limit="Redemptions per member, 1 to 1,000 (leave out: no limit)",
        role="A role the bot grants when an admin fulfils a redemption",
    )
    @admin_only()
    async def add(
        self,
        interaction: discord.Interaction,
        name: str,
        cost: app_commands.Range[int, 1, MAX_COST],
        description: str | None = None,
        stock: app_commands.Range[int, 0, MAX_STOCK] | None = None,
        limit: app_commands.Range[int, 1, MAX_LIMIT] | None = None,
        role: discord.Role | None = None,
    ) -> None:
        role_id = shop.check_role(role.id, role.is_default(), role.managed) if role else None
        checked = shop.check_reward(name, cost, description, stock, limit, role_id)
        listed = await shop.add_reward(self._store(interaction), _actor(interaction), checked)
        await interaction.response.send_message(f"Listed {reward_text(listed)}.", ephemeral=True)

    @shop_admin.command(name="stock", description="Set a reward's stock.")
    @app_commands.describe(
        reward="The reward's name, or its number", stock="0 to 1,000,000", unlimited="True: no stock count"
    )
    @admin_only()
    async def stock(
        self,
        interaction: discord.Interaction,
        reward: str,
        stock: app_commands.Range[int, 0, MAX_STOCK] | None = None,
        unlimited: bool = False,
    ) -> None:
        value = shop.stock_value(stock, unlimited)
        change = await shop.set_stock(self._store(interaction), _actor(interaction), reward, value)
        text = f"**{shop.shown(change.reward.name)}**: stock {stock_text(change.new)} (was {stock_text(change.old)})."
        await interaction.response.send_message(text, ephemeral=True)

    @shop_admin.command(name="retire", description="Stop offering a reward (its redemptions stay).")
    @app_commands.describe(reward="The reward's name, or its number")
    @admin_only()
    async def retire(self, interaction: discord.Interaction, reward: str) -> None:
        retired = await shop.retire_reward(self._store(interaction), _actor(interaction), reward)
        text = f"**{shop.shown(retired.name)}** is no longer offered; its redemptions stay and can still be decided."
        await interaction.response.send_message(text, ephemeral=True)

    @stock.autocomplete("reward")
    @retire.autocomplete("reward")
    async def _reward_choices(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return await reward_choices(self._store(interaction), current)

    @shop_admin.command(name="pending", description="Redemptions waiting for a decision, oldest first.")
    @app_commands.describe(page="Page number, from 1")
    @admin_only()
    async def pending(self, interaction: discord.Interaction, page: int = 1) -> None:
        store = self._store(interaction)

        async def render(index: int) -> tuple[discord.Embed, int, int]:
            shown = await shop.pending_redemptions(store, index + 1)
            embed = redemptions_embed(shown, title="Pending redemptions", empty="Nothing is waiting.", who=True)
            return embed, shown.page - 1, shown.pages

        await send_pages(interaction, render, self.bot.view_timeout, page - 1)

    @shop_admin.command(name="fulfil", description="Mark a redemption fulfilled (grants its role, if it has one).")
    @app_commands.describe(number="The redemption's number (see pending)")
    @app_commands.rename(number="id")
    @admin_only()
    async def fulfil(self, interaction: discord.Interaction, number: int) -> None:
        done = await shop.fulfil(self._store(interaction), _actor(interaction), number)
        text = decided_text(done)
        if done.role_id and interaction.guild_id is not None:
            text += " " + await self._grant(interaction.guild_id, done)
        await interaction.response.send_message(text, ephemeral=True)

    async def _grant(self, guild_id: int, done: shop.Redemption) -> str:
        """Give the redemption's role; what the admin is told (by hand when Discord refuses)."""
        member, role = f"<@{done.discord_id}>", f"<@&{done.role_id}>"
        try:
            await self.bot.http.add_role(
                guild_id, int(done.discord_id), int(done.role_id or 0), reason=f"Shop redemption #{done.number}"
            )
        except discord.HTTPException as error:
            log.warning("could not grant role %s for redemption %d: %s", done.role_id, done.number, error)
            return (
                f"I could not give {member} the {role} role (I need Manage Roles and my role above it, and they must "
                "still be in the server): please grant it by hand. The redemption stays fulfilled."
            )
        return f"I gave {member} the {role} role."

    @shop_admin.command(name="refuse", description="Refuse a redemption: its points are refunded, its stock restored.")
    @app_commands.describe(number="The redemption's number (see pending)", reason="Why (the member sees it)")
    @app_commands.rename(number="id")
    @admin_only()
    async def refuse(self, interaction: discord.Interaction, number: int, reason: str) -> None:
        done = await shop.refuse(self._store(interaction), _actor(interaction), number, reason)
        await interaction.response.send_message(decided_text(done), ephemeral=True)

    @shop_admin.command(name="payouts", description="CSV of the members with a payout address and their points.")
    @admin_only()
    async def payouts(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        names = _display_names(interaction.guild)
        export = await shop.payouts_csv(self._store(interaction), _actor(interaction), names)
        file = discord.File(io.BytesIO(export.csv_text.encode()), filename=export.filename)
        text = f"Exported the payout addresses: {plural(export.rows, 'row')} (one per member, most points first)."
        await interaction.followup.send(text, file=file, ephemeral=True)
