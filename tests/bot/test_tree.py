from __future__ import annotations

import discord
import pytest
from discord import app_commands

from bot.tree import ADMINS_ONLY, BAD_OPTION, describe, unwrap
from engagement.errors import NotConnected
from engagement.x.errors import RateLimited, XAuthError, XUnavailable

NOW = 1_795_000_000.0
INTERACTION = 1234567890


@pytest.mark.parametrize(
    ("error", "message", "expected"),
    [
        (RateLimited("tweets_lookup", NOW + 30), "try again in 1 minute.", True),
        (RateLimited("tweets_lookup", NOW + 61), "try again in 2 minutes.", True),
        (RateLimited("tweets_lookup", NOW - 5), "try again in 1 minute.", True),
        (XUnavailable("500 three times"), "try again in 5 minutes.", True),
        (NotConnected("You have not connected an X account yet."), "You have not connected an X account yet.", True),
        (app_commands.CheckFailure("nope"), ADMINS_ONLY, True),
        (XAuthError("TWITTER_BEARER_TOKEN was refused"), f"(reference {INTERACTION})", False),
        (ValueError("bug"), f"Sorry, something went wrong on our side (reference {INTERACTION})", False),
    ],
)
def test_every_error_becomes_a_short_message(error: Exception, message: str, expected: bool) -> None:
    shown, was_expected = describe(error, INTERACTION, NOW)
    assert message in shown
    assert was_expected is expected
    assert "TWITTER_BEARER_TOKEN" not in shown


def test_transformer_error_without_a_cause_asks_to_pick_from_the_list() -> None:
    error = app_commands.TransformerError("someone", discord.AppCommandOptionType.user, app_commands.Transformer())
    assert describe(unwrap(error), INTERACTION, NOW) == (BAD_OPTION, True)
