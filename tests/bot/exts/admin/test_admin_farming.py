"""/admin config sets the anti-farming rules: each shown off by default, set and checked, a bad value refused with
the setting's range and nothing stored."""

from __future__ import annotations

import pytest

from engagement.store import Store
from tests.bot.conftest import ADMIN_BY_ROLE
from tests.bot.exts.admin.admin_commands import admin, fields, refused
from tests.fakes.discord_fixtures import Keyspace
from tests.fakes.discord_harness import DiscordHarness

RULES = {
    "min_account_age_days": "`0`",
    "min_followers": "`0`",
    "min_reply_chars": "`0`",
    "reject_low_effort_replies": "`false`",
    "reject_repeated_replies": "`false`",
    "daily_award_cap": "`0`",
    "engagement_cooldown_seconds": "`0`",
}


async def test_every_rule_is_shown_off_then_set(discord: DiscordHarness, store: Store) -> None:
    shown = fields(await admin(discord, "config", member=ADMIN_BY_ROLE))
    assert {name: shown[name] for name in RULES} == RULES
    reply = await admin(
        discord, "config", {"setting": "reject_low_effort_replies", "value": "Yes"}, member=ADMIN_BY_ROLE
    )
    assert reply.last.content == "`reject_low_effort_replies` set to `true` (was `not set`)."
    assert fields(reply)["reject_low_effort_replies"] == "`true` (set by an admin)"
    reply = await admin(discord, "config", {"setting": "daily_award_cap", "value": "25"}, member=ADMIN_BY_ROLE)
    assert reply.last.content == "`daily_award_cap` set to `25` (was `not set`)."
    assert await store.config_values() == {"reject_low_effort_replies": "true", "daily_award_cap": "25"}
    one = await admin(discord, "config", {"setting": "min_followers"}, member=ADMIN_BY_ROLE)
    assert one.last.content == "`min_followers` is `0` (the environment's value)."


@pytest.mark.parametrize(
    ("setting", "value", "message"),
    [
        ("min_account_age_days", "3651", "min_account_age_days must be a whole number from 0 to 3,650"),
        ("min_account_age_days", "a month", "min_account_age_days must be a whole number from 0 to 3,650"),
        ("min_followers", "1000001", "min_followers must be a whole number from 0 to 1,000,000"),
        ("min_followers", "-5", "min_followers must be a whole number from 0 to 1,000,000"),
        ("min_reply_chars", "281", "min_reply_chars must be a whole number from 0 to 280"),
        ("reject_low_effort_replies", "sometimes", "reject_low_effort_replies must be true or false"),
        ("reject_repeated_replies", "2", "reject_repeated_replies must be true or false"),
        ("daily_award_cap", "10001", "daily_award_cap must be a whole number from 0 to 10,000"),
        ("engagement_cooldown_seconds", "3601", "engagement_cooldown_seconds must be a whole number from 0 to 3,600"),
        ("engagement_cooldown_seconds", "1.5", "engagement_cooldown_seconds must be a whole number from 0 to 3,600"),
    ],
)
async def test_a_bad_value_is_refused_and_nothing_stored(
    discord: DiscordHarness, keyspace: Keyspace, store: Store, setting: str, value: str, message: str
) -> None:
    await refused(discord, keyspace, "config", {"setting": setting, "value": value}, message)
    assert await store.config_values() == {}
