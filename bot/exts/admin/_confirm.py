"""Confirm / Cancel before an admin action that is hard to undo: only the invoking admin may press, and it
expires (by the bot's clock, and the buttons go when discord.py's view times out)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

import discord

from bot.views import OwnedView
from engagement.confirmations import Deadline

log = logging.getLogger(__name__)

CANCELLED = "Cancelled: nothing was changed."
EXPIRED = "This confirmation expired: nothing was changed. Run the command again to do it."

Action = Callable[[discord.Interaction], Awaitable[None]]


class Confirmation(OwnedView):
    """`action(interaction)` runs once, on Confirm before the deadline; it answers the button's interaction."""

    def __init__(self, owner_id: int, action: Action, *, timeout: float, clock: Callable[[], float]) -> None:
        super().__init__(owner_id, timeout=timeout)
        self.action = action
        self.clock = clock
        self.deadline = Deadline.after(clock(), timeout)
        self.source: discord.Interaction | None = None  # the interaction whose reply carries the buttons
        self.done = False

    async def _close(self, interaction: discord.Interaction, text: str) -> None:
        self.done = True
        self.stop()
        await interaction.response.edit_message(content=text, embed=None, view=None)

    @discord.ui.button(label="Confirm", style=discord.ButtonStyle.danger)
    async def confirm(self, interaction: discord.Interaction, button: discord.ui.Button[Confirmation]) -> None:
        if self.done or self.deadline.passed(self.clock()):
            await self._close(interaction, EXPIRED)
            return
        self.done = True  # before any await: a second press cannot run it again
        self.stop()
        await self.action(interaction)

    @discord.ui.button(label="Cancel", style=discord.ButtonStyle.secondary)
    async def cancel(self, interaction: discord.Interaction, button: discord.ui.Button[Confirmation]) -> None:
        await self._close(interaction, CANCELLED)

    async def on_timeout(self) -> None:
        if self.done or self.source is None:
            return
        self.done = True
        try:
            await self.source.edit_original_response(content=EXPIRED, view=None)
        except discord.HTTPException:  # the message was deleted, or the token expired
            log.info("could not close the confirmation of interaction %s", self.source.id)


async def ask(
    interaction: discord.Interaction, question: str, action: Action, *, expires_in: float, clock: Callable[[], float]
) -> None:
    """Answer the command with `question` and the Confirm / Cancel pair (privately)."""
    view = Confirmation(interaction.user.id, action, timeout=expires_in, clock=clock)
    view.source = interaction
    await interaction.response.send_message(question, view=view, ephemeral=True)
