"""The batch end to end on a hand-written world: who earns what, exactly once, and what the record says."""

from __future__ import annotations

import asyncio
import json

from engagement.admin import BatchRecord
from engagement.batch import COMPLETED
from engagement.batch._lock import Halt
from engagement.batch._run import BatchRun
from engagement.batch._scan import STEPS
from tests.conftest import FakeClock
from tests.engagement.batch_world import BatchWorld
from tests.fakes.x_tokens import stored_tokens


async def build_scenario(world: BatchWorld) -> None:
    """Every case once: self-engagement, an unlinked engager, tiers 1/2/3, one member doing everything."""
    for name, tier in (("alice", 1), ("bob", 2), ("carol", 3), ("dave", 1)):
        await world.member(name, tier)
    await world.member("stranger", linked=False)
    fake, x = world.fake, world.x_id
    t1 = await world.submit("t1", "alice")
    t2 = await world.submit("t2", "bob", submitter="carol")
    fake.retweet(x("alice"), t1)  # the author: nothing
    fake.reply(x("alice"), t1)
    fake.retweet(x("bob"), t1)  # bob, tier 2: retweet + two replies + quote
    fake.reply(x("bob"), t1)
    fake.reply(x("bob"), t1)
    fake.quote(x("bob"), t1)
    fake.retweet(x("carol"), t1)  # tier 3
    fake.like(x("carol"), t1)  # alice never connected with OAuth: likes are not readable
    fake.retweet(x("stranger"), t1)  # not linked: nothing
    fake.reply(x("stranger"), t1)
    fake.reply(x("dave"), t1)
    fake.retweet(x("alice"), t2)
    fake.like(x("alice"), t2)  # bob granted like.read
    fake.reply(x("carol"), t2)
    fake.quote(x("carol"), t2)
    fake.quote(x("bob"), t2)  # the author quoting himself: nothing
    await world.grant_likes("bob")


def scenario_awards(world: BatchWorld) -> set[tuple[str, str, str, int]]:
    r = world.row
    return {
        r("t1", "bob", "retweet", 4),
        r("t1", "bob", "reply", 6),
        r("t1", "bob", "quote", 4),
        r("t1", "carol", "retweet", 6),
        r("t1", "dave", "reply", 3),
        r("t2", "alice", "retweet", 2),
        r("t2", "alice", "like", 1),
        r("t2", "carol", "reply", 9),
        r("t2", "carol", "quote", 6),
    }


async def test_scenario_awards_exactly_the_expected_set(world: BatchWorld) -> None:
    await build_scenario(world)
    outcome = await world.run()
    assert outcome.status == COMPLETED
    assert await world.awards() == scenario_awards(world)
    assert outcome.tally.awards == 9
    assert outcome.tally.points_awarded == 41
    assert outcome.tally.tweets_scanned == 2
    assert outcome.tally.likes_untracked == 1
    bob = await world.store.get_connection(world.discord("bob"))
    assert bob is not None
    assert (bob.points, bob.counts["reply"]) == (14, 1)


async def test_batch_record_holds_counts_usage_and_worker(world: BatchWorld) -> None:
    await build_scenario(world)
    outcome = await world.run()
    assert outcome.batch_id is not None
    record = await world.store.get_batch(outcome.batch_id)
    assert record["status"] == "completed"
    assert int(record["started_at"]) <= int(record["finished_at"])
    assert (record["tweets_scanned"], record["awards"], record["points_awarded"]) == ("2", "9", "41")
    assert record["likes_untracked"] == "1"
    assert record["carried_over"] == "0"
    assert json.loads(record["errors"]) == []
    prefix = "x_requests_"
    per_endpoint = {key.removeprefix(prefix): int(v) for key, v in record.items() if key.startswith(prefix)}
    assert per_endpoint == dict(world.fake.request_counts)
    assert int(record["x_requests"]) == sum(world.fake.request_counts.values())
    assert int(record["posts_read"]) > 0
    assert int(record["users_read"]) > 0
    assert float(record["cost_usd"]) == outcome.usage.cost_usd > 0
    assert ":" in record["worker"]
    assert await world.store.recent_batch_ids(5) == [outcome.batch_id]
    # the live status written after each step ends at the last one
    assert (record["steps_done"], record["steps_total"], record["tweets_selected"]) == (str(len(STEPS)),) * 2 + ("2",)


async def test_a_running_batch_shows_its_progress_after_each_step(world: BatchWorld) -> None:
    await build_scenario(world)
    run = BatchRun(
        world.store, world.x, world.settings, world.clock, Halt(asyncio.Event()), tokens=stored_tokens(world.store)
    )
    await run.open()
    seen = []
    for step in STEPS:
        await run.step(step)
        record = BatchRecord.from_hash(run.batch_id, await world.store.get_batch(run.batch_id))
        seen.append((record.status, record.steps_done, record.steps_total, record.awards))
    await run.close()
    assert [done for _, done, _, _ in seen] == list(range(1, len(STEPS) + 1))
    assert {status for status, _, _, _ in seen} == {"running"}
    assert seen[-1][3] == 9  # awards so far, as the panel shows them


async def test_second_run_awards_nothing_new_and_a_new_engagement_once(world: BatchWorld, clock: FakeClock) -> None:
    await build_scenario(world)
    await world.run()
    clock.advance(1800)
    again = await world.run()
    assert again.status == COMPLETED
    assert again.tally.awards == 0
    assert await world.awards() == scenario_awards(world)
    world.fake.retweet(world.x_id("dave"), world.tweets["t2"])
    clock.advance(1800)
    third = await world.run()
    assert third.tally.awards == 1
    assert await world.awards() == scenario_awards(world) | {world.row("t2", "dave", "retweet", 2)}


async def test_tier_change_between_batches_applies_to_new_awards_only(world: BatchWorld, clock: FakeClock) -> None:
    await build_scenario(world)
    await world.run()
    await world.store.set_tier("1", world.discord("dave"), 3)
    world.fake.retweet(world.x_id("dave"), world.tweets["t1"])
    clock.advance(1800)
    await world.run()
    assert await world.awards() == scenario_awards(world) | {world.row("t1", "dave", "retweet", 6)}
    dave = await world.store.get_connection(world.discord("dave"))
    assert dave is not None
    assert dave.points == 3 + 6


async def test_rule_overrides_are_applied(world: BatchWorld) -> None:
    await world.member("alice")
    await world.member("bob", 2)
    t1 = await world.submit("t1", "alice")
    world.fake.retweet(world.x_id("bob"), t1)
    await world.store.set_rule("1", 2, "retweet", 10, 4)
    await world.store.redis.set(world.store.keys.rule(2, "reply"), "lots")  # damaged: default kept, noted
    outcome = await world.run()
    assert await world.awards() == {world.row("t1", "bob", "retweet", 10)}
    assert any("2-reply" in error for error in outcome.tally.errors)


async def test_unlinking_before_the_batch_earns_nothing(world: BatchWorld) -> None:
    await world.member("alice")
    await world.member("bob")
    t1 = await world.submit("t1", "alice")
    world.fake.retweet(world.x_id("bob"), t1)
    await world.store.unlink_account(world.discord("bob"))
    outcome = await world.run()
    assert outcome.status == COMPLETED
    assert outcome.tally.engagements_seen == 1
    assert await world.awards() == set()


async def test_nothing_submitted_is_a_completed_batch_without_requests(world: BatchWorld) -> None:
    outcome = await world.run()
    assert outcome.status == COMPLETED
    assert outcome.tally.tweets_scanned == 0
    assert sum(world.fake.request_counts.values()) == 0
