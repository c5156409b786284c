"""/help names the community's own values: its rules, daily limits, channel and batch times."""

from __future__ import annotations

import pytest

from engagement.settings import Settings
from engagement.store import Store
from sandbox.fake_x import FakeX
from tests.bot.conftest import ADMIN_BY_ROLE, ALICE
from tests.bot.exts.admin.admin_commands import admin
from tests.conftest import FakeClock
from tests.fakes.discord_fixtures import Keyspace
from tests.fakes.discord_harness import DiscordHarness, Reply
from tests.fakes.discord_payloads import SUBMIT_CHANNEL_ID
from tests.fakes.x_tokens import with_x_sign_in


def help_fields(reply: Reply) -> dict[str, str]:
    [embed] = reply.last.embeds
    return {field["name"]: field["value"] for field in embed["fields"]}


EARNS = "3. Engage: points by tier (Basic · Active · Power)"


async def test_help_is_ephemeral_and_writes_nothing(discord: DiscordHarness, keyspace: Keyspace) -> None:
    before = await keyspace()
    reply = await discord.slash("help", member=ALICE)
    assert reply.callback_flags == 64
    assert reply.last.ephemeral
    assert reply.last.embeds[0]["title"] == "How to earn points here"
    assert await keyspace() == before


async def test_help_shows_the_rules_and_limits_in_force(discord: DiscordHarness) -> None:
    fields = help_fields(await discord.slash("help", member=ALICE))
    assert fields[EARNS].splitlines() == [
        "Like: 1 · 2 · 3 points",
        "Repost: 2 · 4 · 6 points",
        "Reply: 3 · 6 · 9 points",
        "Quote: 2 · 4 · 6 points",
    ]
    submit = fields["2. Submit your posts"]
    assert f"`/submit` in <#{SUBMIT_CHANNEL_ID}>" in submit
    assert "last 24 hours" in submit
    assert submit.endswith("Basic: 2 submissions a day\nActive: 3 submissions a day\nPower: 10 submissions a day")

    await admin(discord, "rules set", {"tier": 2, "type": "retweet", "points": 11}, member=ADMIN_BY_ROLE)
    await admin(discord, "config", {"setting": "daily_limit_tier1", "value": "1"}, member=ADMIN_BY_ROLE)

    changed = help_fields(await discord.slash("help", member=ALICE))
    assert "Repost: 2 · 11 · 6 points" in changed[EARNS].splitlines()
    assert "Basic: 1 submission a day\nActive: 3 submissions a day" in changed["2. Submit your posts"]


async def test_help_says_when_points_arrive(discord: DiscordHarness, store: Store, clock: FakeClock) -> None:
    timing = help_fields(await discord.slash("help", member=ALICE))["When points arrive"]
    assert timing.startswith("Points are paid in batches, every 30-60 minutes.")
    assert "next batch" not in timing  # the worker has not said when

    await store.set_next_batch_at(clock() + 600)
    timing = help_fields(await discord.slash("help", member=ALICE))["When points arrive"]
    assert timing.endswith(f"The next batch runs <t:{int(clock() + 600)}:R>.")

    clock.advance(601)  # that time passed with no new one written (the worker is not running)
    timing = help_fields(await discord.slash("help", member=ALICE))["When points arrive"]
    assert "next batch" not in timing


async def test_help_says_likes_count_only_for_authors_signed_in(discord: DiscordHarness) -> None:
    fields = help_fields(await discord.slash("help", member=ALICE))
    assert fields["Likes"].startswith("Likes count only on posts whose author signed in with X")
    connect = fields["1. Connect your X account"]
    assert "Sign in with X" not in connect  # not set up in this deployment
    assert "code it gives you in your X bio" in connect


class TestWithSignIn:
    @pytest.fixture
    def bot_settings(self, bot_settings: Settings, fake_x: FakeX) -> Settings:
        return with_x_sign_in(bot_settings, fake_x, "help-client", "https://panel.example")

    async def test_connect_offers_sign_in_with_x(self, discord: DiscordHarness) -> None:
        connect = help_fields(await discord.slash("help", member=ALICE))["1. Connect your X account"]
        assert connect.startswith("Run `/connect` and press **Sign in with X**")
        assert "code it gives you in your X bio" in connect
