"""/connect under the anti-farming link gate, through the real discord.py: the refusal names the rule and the
account's figure, and nothing is linked."""

from __future__ import annotations

from datetime import timedelta

from engagement.services import Services
from engagement.store import Store
from sandbox.fake_x import FakeX
from tests.bot.conftest import ADMIN_BY_ROLE, ALICE
from tests.bot.exts.admin.admin_commands import admin
from tests.bot.exts.connect.test_cog import code_in, refused_click, start
from tests.fakes.discord_fixtures import Keyspace
from tests.fakes.discord_harness import DiscordHarness


async def test_a_young_account_is_refused_at_verify(
    discord: DiscordHarness, keyspace: Keyspace, services: Services, store: Store, fake_x: FakeX
) -> None:
    await admin(discord, "config", {"setting": "min_account_age_days", "value": "30"}, member=ADMIN_BY_ROLE)
    x_id = fake_x.add_user("alice", created_at=services.now() - timedelta(days=3), followers=400)
    started = await start(discord)
    fake_x.set_description(x_id, code_in(started))
    await refused_click(
        discord, keyspace, started, "@alice is 3 days old; this server needs accounts at least 30 days old."
    )
    assert await store.member_for_x_user(x_id) is None
    assert await store.get_connection(str(ALICE.id)) is None


async def test_a_small_account_is_refused_at_verify(
    discord: DiscordHarness, keyspace: Keyspace, store: Store, fake_x: FakeX
) -> None:
    await admin(discord, "config", {"setting": "min_followers", "value": "50"}, member=ADMIN_BY_ROLE)
    x_id = fake_x.add_user("alice", followers=3)
    started = await start(discord)
    fake_x.set_description(x_id, code_in(started))
    await refused_click(
        discord, keyspace, started, "@alice has 3 followers; this server needs accounts with at least 50"
    )
    assert await store.member_for_x_user(x_id) is None
