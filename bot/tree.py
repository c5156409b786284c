"""The command tree with the one error handler every slash command and button goes through."""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import discord
from discord import app_commands

from engagement.communities import Communities
from engagement.errors import EngagementError
from engagement.storage import MEMBER_MESSAGE as STORAGE_FULL_MESSAGE
from engagement.storage import is_storage_full
from engagement.x.errors import RateLimited, XAuthError, XError, XUnavailable

log = logging.getLogger(__name__)

ADMINS_ONLY = "This command is for admins only."
OTHER_SERVER = (
    "This bot is not enabled for this server, so it does nothing here; nothing was read or changed. "
    "Its operator can add the server to ALLOWED_GUILDS."
)
BAD_OPTION = "I could not understand one of the options. Please pick it from the list Discord offers."
STALE_COMMAND = (
    "This command changed since your Discord app loaded it, so nothing was done. Please retry "
    "(if it happens again, reload Discord: Ctrl+R, or restart the app)."
)
X_UNAVAILABLE_MINUTES = 5
MAX_RECORDED_ERRORS = 100


@dataclass(frozen=True)
class HandledError:
    """What went wrong in one interaction and what the member was told; kept for tests and diagnostics."""

    interaction_id: int
    error: BaseException
    message: str
    expected: bool


def unwrap(error: BaseException) -> BaseException:
    """The exception a command or view actually raised, without discord.py's wrapper."""
    if isinstance(error, app_commands.CommandInvokeError | app_commands.TransformerError) and error.__cause__:
        return unwrap(error.__cause__)
    return error


def x_busy_message(error: RateLimited | XUnavailable, now: float) -> str:
    if isinstance(error, RateLimited):
        minutes = max(math.ceil((error.reset_at - now) / 60), 1)
    else:
        minutes = X_UNAVAILABLE_MINUTES
    unit = "minute" if minutes == 1 else "minutes"
    return f"X is busy right now, so nothing was changed. Please try again in {minutes} {unit}."


def apology(interaction_id: int) -> str:
    return f"Sorry, something went wrong on our side (reference {interaction_id}). Please try again later."


def x_refused(interaction_id: int) -> str:
    return (
        "X would not answer that request, so nothing was changed. Please check the link; "
        f"if it keeps happening, tell an admin (reference {interaction_id})."
    )


def describe(error: BaseException, interaction_id: int, now: float) -> tuple[str, bool]:
    """The member-facing message for `error`, and whether it was an expected refusal."""
    if isinstance(error, RateLimited | XUnavailable):
        return x_busy_message(error, now), True
    if is_storage_full(error):  # the alert loop tells the admins (it needs no Redis write to do so)
        return STORAGE_FULL_MESSAGE, True
    if isinstance(error, XAuthError):  # the operator's problem; its text names tokens, not for members
        return apology(interaction_id), False
    if isinstance(error, XError):  # X's own words (e.g. a 400 body) go to the log, never to a member
        return x_refused(interaction_id), True
    if isinstance(error, EngagementError):
        return str(error), True
    if isinstance(error, app_commands.CommandSignatureMismatch | app_commands.CommandNotFound):
        return STALE_COMMAND, True  # a client with an older copy of the command (an option added or renamed)
    if isinstance(error, app_commands.CheckFailure):
        return ADMINS_ONLY, True
    if isinstance(error, app_commands.TransformerError):
        return BAD_OPTION, True
    return apology(interaction_id), False


def _communities(client: discord.Client) -> Communities | None:
    services: Any = getattr(client, "services", None)
    return services.communities if services is not None else None


def from_served_guild(interaction: discord.Interaction) -> bool:
    """From a served community's server (ALLOWED_GUILDS, or DISCORD_GUILD_ID); False for others and DMs."""
    communities = _communities(interaction.client)
    return communities is not None and communities.serves(interaction.guild_id)


async def refuse_other_guild(interaction: discord.Interaction) -> bool:
    """True when the interaction may go on; else it is answered (ephemerally) here, before any Redis access."""
    if from_served_guild(interaction):
        return True
    log.info("refused interaction %s from guild %s (not served)", interaction.id, interaction.guild_id)
    if interaction.type is discord.InteractionType.autocomplete:
        await interaction.response.autocomplete([])
    else:
        await interaction.response.send_message(OTHER_SERVER, ephemeral=True)
    return False


class EngagementTree(app_commands.CommandTree[discord.Client]):
    """Turns every error into a short ephemeral message; unexpected ones are logged with the interaction id."""

    def __init__(self, client: discord.Client, **options: Any) -> None:
        super().__init__(client, **options)
        self.clock: Callable[[], float] = time.time  # the bot sets its services' clock
        self.handled: list[HandledError] = []

    async def interaction_check(self, interaction: discord.Interaction, /) -> bool:
        return await refuse_other_guild(interaction)

    async def on_error(self, interaction: discord.Interaction, error: app_commands.AppCommandError, /) -> None:
        await self.handle_error(interaction, error)

    async def handle_error(self, interaction: discord.Interaction, error: BaseException) -> None:
        original = unwrap(error)
        message, expected = describe(original, interaction.id, self.clock())
        self._record(HandledError(interaction.id, original, message, expected))
        if not expected:
            log.error("interaction %s (%s) failed", interaction.id, _command_name(interaction), exc_info=original)
        elif isinstance(original, app_commands.CheckFailure):
            log.warning("refused %s to member %s: not an admin", _command_name(interaction), interaction.user.id)
        elif isinstance(original, XError):
            log.warning("interaction %s (%s): %s", interaction.id, _command_name(interaction), original)
        if interaction.type is discord.InteractionType.autocomplete:
            return  # an autocomplete cannot carry a message
        try:
            await _send_ephemeral(interaction, message)
        except discord.HTTPException:
            log.warning("could not tell interaction %s about its error", interaction.id, exc_info=True)

    def _record(self, handled: HandledError) -> None:
        self.handled.append(handled)
        del self.handled[:-MAX_RECORDED_ERRORS]


async def _send_ephemeral(interaction: discord.Interaction, message: str) -> None:
    if interaction.response.is_done():
        await interaction.followup.send(message, ephemeral=True)
    else:
        await interaction.response.send_message(message, ephemeral=True)


def _command_name(interaction: discord.Interaction) -> str:
    command = interaction.command
    if command is not None:
        return f"/{command.qualified_name}"
    data: Mapping[str, Any] = interaction.data or {}
    return str(data.get("custom_id") or data.get("name") or interaction.type.name)
