"""/shop: the rewards on offer, redeeming one (once per interaction), your redemptions, your payout address."""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands

from bot.bot import FeatureCog
from bot.exts.shop._embeds import address_text, redeemed_text, redemptions_embed, shop_embed
from bot.views import PageRenderer, Paginator
from engagement import shop
from engagement.connections import remember_display_name
from engagement.store import Store

GUILD_ONLY = app_commands.AppCommandContext(guild=True, dm_channel=False, private_channel=False)


async def reward_choices(store: Store, current: str) -> list[app_commands.Choice[str]]:
    """The rewards on offer matching what was typed, for autocomplete (Discord shows 25 at most)."""
    return [app_commands.Choice(name=name, value=name) for name in await shop.reward_names(store, current)][:25]


async def send_pages(interaction: discord.Interaction, render: PageRenderer, expiry: float, start: int = 0) -> None:
    """Page `start` (0-based) privately, with Previous/Next when there are more."""
    embed, page, pages = await render(start)
    extra: dict[str, Any] = {}
    if pages > 1:
        view = Paginator(interaction.user.id, render, page, pages, timeout=expiry)
        view.source = interaction
        extra["view"] = view
    await interaction.response.send_message(embed=embed, ephemeral=True, **extra)


class ShopCog(FeatureCog):
    shop = app_commands.Group(
        name="shop", description="Spend your points on rewards.", guild_only=True, allowed_contexts=GUILD_ONLY
    )

    def _store(self, interaction: discord.Interaction) -> Store:
        return self.community(interaction).store

    @shop.command(name="list", description="The rewards on offer, what they cost, their stock and your balance.")
    async def list_rewards(self, interaction: discord.Interaction) -> None:
        store, viewer = self._store(interaction), str(interaction.user.id)

        async def render(index: int) -> tuple[discord.Embed, int, int]:
            page = await shop.shop_page(store, viewer, index + 1)
            return shop_embed(page), page.page - 1, page.pages

        await send_pages(interaction, render, self.bot.view_timeout)

    @shop.command(name="redeem", description="Redeem a reward with your points (an admin then fulfils it).")
    @app_commands.describe(reward="The reward's name, or its number")
    async def redeem(self, interaction: discord.Interaction, reward: str) -> None:
        # The interaction id is the request's key: Discord delivering it twice redeems once.
        done = await shop.redeem(self._store(interaction), str(interaction.user.id), reward, interaction.id)
        await interaction.response.send_message(redeemed_text(done), ephemeral=True)

    @redeem.autocomplete("reward")
    async def _reward_choices(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return await reward_choices(self._store(interaction), current)

    @shop.command(name="mine", description="Your redemptions and their status.")
    async def mine(self, interaction: discord.Interaction) -> None:
        store, viewer = self._store(interaction), str(interaction.user.id)

        async def render(index: int) -> tuple[discord.Embed, int, int]:
            page = await shop.my_redemptions(store, viewer, index + 1)
            empty = "You have not redeemed anything yet. `/shop list` shows the rewards."
            return redemptions_embed(page, title="Your redemptions", empty=empty, who=False), page.page - 1, page.pages

        await send_pages(interaction, render, self.bot.view_timeout)

    @shop.command(name="address", description="Show your payout address, or register one (EVM or Solana).")
    @app_commands.describe(value="Your EVM (0x...) or Solana address; leave out to see the one registered")
    async def address(self, interaction: discord.Interaction, value: str | None = None) -> None:
        store, member = self._store(interaction), str(interaction.user.id)
        if value is None:
            shown = await shop.registered_address(store, member)
            await interaction.response.send_message(address_text(shown), ephemeral=True)
            return
        registered = await shop.register_payout_address(store, member, value)
        # The payouts CSV names members by this (the bot has no member list).
        await remember_display_name(self.community(interaction), member, interaction.user.display_name)
        await interaction.response.send_message("Saved. " + address_text(registered), ephemeral=True)
