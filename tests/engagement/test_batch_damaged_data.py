"""A damaged key costs only its own member, tweet or log: the batch goes on and says which key it stepped over.

Also the exactly-once guard per member: relinking to another X account that engaged too pays nothing more.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

import pytest

from engagement.batch import COMPLETED
from engagement.errors import DamagedData
from engagement.store import Store
from tests.engagement.batch_world import BatchWorld


async def _three_repliers(world: BatchWorld) -> str:
    for name in ("alice", "bob", "carol", "dave"):
        await world.member(name)
    tweet = await world.submit("t1", "alice")
    for name in ("bob", "carol", "dave"):
        world.fake.reply(world.x_id(name), tweet)
    return tweet


async def test_a_member_record_of_the_wrong_type_skips_only_that_member(world: BatchWorld) -> None:
    await _three_repliers(world)
    bad_key = world.store.keys.connection(world.discord("carol"))
    await world.store.redis.delete(bad_key)
    await world.store.redis.set(bad_key, "oops")

    outcome = await world.run()

    assert outcome.status == COMPLETED
    assert await world.awards() == {world.row("t1", "bob", "reply", 3), world.row("t1", "dave", "reply", 3)}
    errors = json.loads((await world.store.get_batch(str(outcome.batch_id)))["errors"])
    assert any(bad_key in error for error in errors)
    assert await world.store.redis.get(bad_key) == "oops"  # left for an admin to repair, not overwritten


async def test_non_numeric_points_refuse_the_award_whole_and_it_is_paid_once_repaired(world: BatchWorld) -> None:
    tweet = await _three_repliers(world)
    carol = world.store.keys.connection(world.discord("carol"))
    await world.store.redis.hset(carol, "points", "oops")

    first = await world.run()

    assert first.status == COMPLETED
    assert world.row("t1", "carol", "reply", 3) not in await world.awards()
    assert not await world.store.is_awarded(tweet, world.x_id("carol"), "reply")  # the guard is not spent
    assert await world.store.redis.zscore(world.store.keys.leaderboard_alltime(), world.discord("carol")) is None
    errors = json.loads((await world.store.get_batch(str(first.batch_id)))["errors"])
    assert any(f"{carol} field points is not an integer" in error for error in errors)

    await world.store.redis.hset(carol, "points", "0")
    world.fake.reply(world.x_id("carol"), tweet)  # a fresh reply moves the counter, so the batch reads again
    await world.run()
    assert world.row("t1", "carol", "reply", 3) in await world.awards()
    connection = await world.store.get_connection(world.discord("carol"))
    assert connection is not None
    assert connection.points == 3


async def test_a_damaged_submission_is_skipped_and_the_others_are_scanned(world: BatchWorld) -> None:
    await _three_repliers(world)
    await world.member("erin")
    other = await world.submit("t2", "erin")
    world.fake.reply(world.x_id("bob"), other)
    await world.store.redis.delete(world.store.keys.tweet("1"))
    await world.store.redis.rpush(world.store.keys.tweet("1"), "oops")

    outcome = await world.run()

    assert outcome.status == COMPLETED
    assert world.row("t2", "bob", "reply", 3) in await world.awards()
    errors = json.loads((await world.store.get_batch(str(outcome.batch_id)))["errors"])
    assert any("submission 1 is damaged" in error for error in errors)


async def test_points_adjustment_on_damaged_points_is_refused_with_nothing_written(world: BatchWorld) -> None:
    await world.member("alice")
    key = world.store.keys.connection(world.discord("alice"))
    await world.store.redis.hset(key, "points", "oops")
    with pytest.raises(DamagedData, match="field points is not an integer"):
        await world.store.adjust_points("999", world.discord("alice"), 50, "bonus")
    assert await world.store.recent_logs(world.discord("alice")) == []
    assert await world.store.audit_entries() == []


async def test_relinking_to_accounts_that_also_engaged_pays_the_member_once(world: BatchWorld) -> None:
    await world.member("alice")
    await world.member("bob")
    b2, b3 = world.fake.add_user("bob_second"), world.fake.add_user("bob_third")
    tweet = await world.submit("t1", "alice")
    for account in (world.x_id("bob"), b2, b3):
        world.fake.reply(account, tweet)
    bob = world.discord("bob")

    await world.run()
    await world.store.link_account(bob, b2, "bob_second", "bio", "2026-11-18T01:00:00+00:00")
    world.fake.reply(b2, tweet)
    await world.run()
    await world.store.unlink_account(bob)  # /disconnect, then a third account
    await world.store.link_account(bob, b3, "bob_third", "bio", "2026-11-18T02:00:00+00:00")
    world.fake.reply(b3, tweet)
    await world.run()

    assert await world.awards() == {world.row("t1", "bob", "reply", 3)}
    connection = await world.store.get_connection(bob)
    assert connection is not None
    assert connection.points == 3


async def test_an_account_moved_to_another_member_pays_nobody_twice(world: BatchWorld) -> None:
    await world.member("alice")
    bob = await world.member("bob")
    tweet = await world.submit("t1", "alice")
    world.fake.reply(bob.x_id, tweet)
    await world.run()
    await world.store.unlink_account(world.discord("bob"))
    await world.store.link_account("900077", bob.x_id, "bob", "bio", "2026-11-18T01:00:00+00:00")
    world.fake.reply(bob.x_id, tweet)

    await world.run()

    assert await world.awards() == {world.row("t1", "bob", "reply", 3)}
    new_owner = await world.store.get_connection("900077")
    assert new_owner is not None
    assert new_owner.points == 0


class _DamagedMidBatch(Store):
    """A store whose submission 1 is overwritten by someone else just before the batch saves its scan state."""

    async def update_submissions_fields(
        self, updates: Mapping[str, Mapping[str, str | int | float]]
    ) -> dict[str, DamagedData]:
        if "1" in updates:
            await self.redis.set(self.keys.tweet("1"), "oops")
        return await super().update_submissions_fields(updates)


async def test_a_submission_damaged_mid_batch_is_recorded_and_the_batch_goes_on(world: BatchWorld) -> None:
    await _three_repliers(world)
    await world.member("erin")
    other = await world.submit("t2", "erin")
    world.fake.reply(world.x_id("bob"), other)
    world.store = _DamagedMidBatch(world.store.redis, world.store.keys, clock=world.clock)

    outcome = await world.run()

    assert outcome.status != "failed"
    assert world.row("t2", "bob", "reply", 3) in await world.awards()
    errors = json.loads((await world.store.get_batch(str(outcome.batch_id)))["errors"])
    assert any("its scan state was not saved" in error for error in errors)
