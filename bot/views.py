"""Views shared by the features: errors go to the tree's one handler; only the invoker may press."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

import discord

from bot.tree import EngagementTree, refuse_other_guild

log = logging.getLogger(__name__)

PageRenderer = Callable[[int], Awaitable[tuple[discord.Embed, int, int]]]


class OwnedView(discord.ui.View):
    """A view only the member who opened it can use; its errors become the usual ephemeral messages."""

    def __init__(self, owner_id: int, *, timeout: float | None) -> None:
        super().__init__(timeout=timeout)
        self.owner_id = owner_id

    async def interaction_check(self, interaction: discord.Interaction, /) -> bool:
        if not await refuse_other_guild(interaction):
            return False
        if interaction.user.id == self.owner_id:
            return True
        await interaction.response.send_message(
            "These buttons belong to the member who ran the command; run it yourself to get your own.",
            ephemeral=True,
        )
        return False

    async def on_error(self, interaction: discord.Interaction, error: Exception, item: discord.ui.Item[Any], /) -> None:
        tree = getattr(interaction.client, "tree", None)
        if isinstance(tree, EngagementTree):
            await tree.handle_error(interaction, error)
        else:  # pragma: no cover - only EngagementBot builds these views
            await super().on_error(interaction, error, item)


class Paginator(OwnedView):
    """Previous/Next over pages drawn by `render(page) -> (embed, page, pages)`; buttons grey out on timeout."""

    def __init__(self, owner_id: int, render: PageRenderer, page: int, pages: int, *, timeout: float) -> None:
        super().__init__(owner_id, timeout=timeout)
        self.render = render
        self.page = page
        self.pages = pages
        self.source: discord.Interaction | None = None  # the interaction whose reply carries the buttons
        self._refresh_buttons()

    def _refresh_buttons(self) -> None:
        self.previous_page.disabled = self.page <= 0
        self.next_page.disabled = self.page >= self.pages - 1

    async def _show(self, interaction: discord.Interaction, page: int) -> None:
        embed, self.page, self.pages = await self.render(page)
        self._refresh_buttons()
        await interaction.response.edit_message(embed=embed, view=self)

    @discord.ui.button(label="Previous", style=discord.ButtonStyle.secondary)
    async def previous_page(self, interaction: discord.Interaction, button: discord.ui.Button[Paginator]) -> None:
        await self._show(interaction, self.page - 1)

    @discord.ui.button(label="Next", style=discord.ButtonStyle.secondary)
    async def next_page(self, interaction: discord.Interaction, button: discord.ui.Button[Paginator]) -> None:
        await self._show(interaction, self.page + 1)

    async def on_timeout(self) -> None:
        for item in self.children:
            if isinstance(item, discord.ui.Button):
                item.disabled = True
        if self.source is None:
            return
        try:
            await self.source.edit_original_response(view=self)
        except discord.HTTPException:  # the message was deleted, or the token expired
            log.info("could not grey out the buttons of interaction %s", self.source.id)
