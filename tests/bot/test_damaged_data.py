"""A member whose stored record is damaged gets one clear sentence, not "something went wrong", and nothing changes."""

from __future__ import annotations

from engagement.store import Store
from tests.bot.conftest import ALICE
from tests.fakes.discord_fixtures import Keyspace
from tests.fakes.discord_harness import DiscordHarness


async def test_stats_and_disconnect_on_a_damaged_record_say_so_and_change_nothing(
    discord: DiscordHarness, store: Store, alice_x: str, keyspace: Keyspace
) -> None:
    key = store.keys.connection(str(ALICE.id))
    await store.redis.hset(key, "points", "oops")

    stats = await discord.slash("stats", member=ALICE)
    assert f"Some stored data is damaged ({key} has a count that is not a number)" in stats.last.content
    assert stats.last.ephemeral

    await store.redis.delete(key)
    await store.redis.set(key, "oops")
    before = await keyspace()
    gone = await discord.slash("disconnect", member=ALICE)
    assert f"Some stored data is damaged ({key} is not a hash), so nothing was changed" in gone.last.content
    assert await keyspace() == before
