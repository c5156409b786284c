"""Rate limits, X failures and bad items: the batch records them, carries the rest over, and loses nothing."""

from __future__ import annotations

import asyncio
import json

from engagement.batch import COMPLETED, FAILED, PARTIAL, run_batch
from engagement.batch._awarding import Awarder
from engagement.batch._record import BatchTally
from engagement.batch._selection import MAX_ITEM_FAILURES, TrackedTweet
from engagement.x import XClient
from rules import default_rules
from sandbox.fake_x import FakeX
from tests.conftest import FakeClock
from tests.engagement.batch_world import AwardRow, BatchWorld
from tests.fakes.x_fixtures import RETRY_DELAYS

HALF_HOUR = 1800


async def five_tweets_engaged_by_bob(world: BatchWorld) -> set[AwardRow]:
    """Five tweets, each retweeted and replied to by bob (tier 2); returns the awards a run without limits pays."""
    await world.member("alice")
    bob = await world.member("bob", 2)
    expected = set()
    for i in range(5):
        label = f"t{i}"
        tweet_id = await world.submit(label, "alice")
        world.fake.retweet(bob.x_id, tweet_id)
        world.fake.reply(bob.x_id, tweet_id)
        expected |= {world.row(label, "bob", "retweet", 4), world.row(label, "bob", "reply", 6)}
    return expected


async def test_rate_limit_mid_batch_is_partial_and_the_next_batch_completes(
    world: BatchWorld, clock: FakeClock
) -> None:
    expected = await five_tweets_engaged_by_bob(world)
    world.fake.set_limit("retweeted_by", 2)  # spent after two tweets: the budget check stops the third
    world.fake.set_limit("search_recent", 0)  # the first search meets a 429
    first = await world.run()
    assert first.status == PARTIAL
    assert first.tally.carried_over == 5
    assert {row[2] for row in await world.awards()} == {"retweet"}
    assert len(await world.awards()) == 2
    assert world.fake.request_counts["retweeted_by"] == 2
    assert any("retweeted_by: rate limit" in error for error in first.tally.errors)
    assert any("search_recent: rate limit" in error for error in first.tally.errors)
    assert first.batch_id is not None
    record = await world.store.get_batch(first.batch_id)
    assert (record["status"], record["carried_over"]) == ("partial", "5")

    world.fake.set_limit("search_recent", 450)
    world.fake.set_limit("retweeted_by", 3)  # just enough for what was carried over
    clock.advance(HALF_HOUR)  # a new 15-minute window
    second = await world.run()
    assert second.status == COMPLETED
    assert second.tally.carried_over == 0
    assert await world.awards() == expected
    assert await world.store.carry_over() == {}


async def test_carried_work_is_finished_after_the_tweet_left_the_window(world: BatchWorld, clock: FakeClock) -> None:
    expected = await five_tweets_engaged_by_bob(world)
    world.fake.set_limit("search_recent", 0)  # no search: reposts fall back to lists, replies wait
    world.fake.set_limit("retweeted_by", 2)
    await world.run()
    world.fake.reset_counts()
    world.fake.set_limit("search_recent", 450)
    clock.advance(25 * 3600)  # the window has moved past every tweet
    second = await world.run()
    assert second.status == COMPLETED
    assert await world.awards() == expected
    # only the carried work: the 3 tweets' reposts in one search, the 5 tweets' replies in another
    assert dict(world.fake.request_counts) == {"tweets_lookup": 1, "search_recent": 2}
    assert second.tally.tweets_scanned == 5
    assert await world.store.recent_submission_ids(0) == []  # retention: the scan set is empty again
    assert await world.store.get_submission("1") is not None  # history stays


async def test_lookup_budget_spent_carries_whole_tweets(world: BatchWorld, clock: FakeClock) -> None:
    expected = await five_tweets_engaged_by_bob(world)
    world.fake.set_limit("tweets_lookup", 0)
    first = await world.run()
    assert (first.status, first.tally.carried_over, first.tally.tweets_scanned) == (PARTIAL, 5, 0)
    assert set((await world.store.carry_over())["1"]) == {"lookup", "retweet", "quote", "like", "reply"}
    world.fake.set_limit("tweets_lookup", 10)
    clock.advance(HALF_HOUR)
    assert (await world.run()).status == COMPLETED
    assert await world.awards() == expected


async def test_malformed_response_skips_that_item_and_goes_on(world: BatchWorld, clock: FakeClock) -> None:
    expected = await five_tweets_engaged_by_bob(world)
    world.fake.set_limit("search_recent", 0)  # reposts by list, one request per tweet
    world.fake.inject_fault("retweeted_by", "malformed", times=len(RETRY_DELAYS) + 1)  # every try of one call
    first = await world.run()
    assert first.status == PARTIAL
    assert len(await world.awards()) == 4  # every retweet but the oldest tweet's (replies wait for search)
    assert any("retweeted_by failed for tweet" in error for error in first.tally.errors)
    world.fake.set_limit("search_recent", 450)
    clock.advance(HALF_HOUR)
    assert (await world.run()).status == COMPLETED
    assert await world.awards() == expected


async def test_a_failed_repost_search_falls_back_to_lists_in_the_same_batch(world: BatchWorld) -> None:
    expected = await five_tweets_engaged_by_bob(world)
    world.fake.inject_fault("search_recent", "malformed", times=len(RETRY_DELAYS) + 1)  # the repost search
    outcome = await world.run()
    assert outcome.status == COMPLETED
    assert await world.awards() == expected
    assert world.fake.request_counts["retweeted_by"] == 5
    assert any("search_recent failed for tweet" in error for error in outcome.tally.errors)


async def test_an_item_failing_batch_after_batch_is_given_up(world: BatchWorld, clock: FakeClock) -> None:
    await world.member("alice")
    bob = await world.member("bob")
    tweet_id = await world.submit("t0", "alice")
    world.fake.retweet(bob.x_id, tweet_id)
    for endpoint in ("search_recent", "retweeted_by"):  # the repost search, then its fallback, both fail
        world.fake.inject_fault(endpoint, "500", times=(len(RETRY_DELAYS) + 1) * MAX_ITEM_FAILURES)
    for _ in range(MAX_ITEM_FAILURES - 1):
        assert (await world.run()).status == PARTIAL
        clock.advance(HALF_HOUR)
    last = await world.run()
    assert last.status == COMPLETED
    assert any("gave up on retweet" in error for error in last.tally.errors)
    assert await world.store.carry_over() == {}


async def test_bad_submissions_and_deleted_tweets_are_recorded_and_skipped(world: BatchWorld) -> None:
    await world.member("alice")
    bob = await world.member("bob")
    good, missing, deleted, weird = [await world.submit(f"t{i}", "alice") for i in range(4)]
    for tweet_id in (good, missing, deleted, weird):
        world.fake.retweet(bob.x_id, tweet_id)
    await world.store.redis.hdel(world.store.keys.tweet("2"), "author_x_id")
    await world.store.redis.hset(world.store.keys.tweet("4"), "tweet_id", "not-a-number")
    world.fake.delete_tweet(deleted)
    outcome = await world.run()
    assert outcome.status == COMPLETED
    assert await world.awards() == {world.row("t0", "bob", "retweet", 2)}
    errors = " | ".join(outcome.tally.errors)
    assert "submission 2 is damaged" in errors
    assert "submission 4 is damaged" in errors
    assert f"tweet {deleted} (submission 3) is deleted or private" in errors
    [gone] = await world.store.submission_hashes(["3"])
    assert float(gone["gone_at"]) == world.store.now()  # /why says the post is deleted on X
    assert outcome.batch_id is not None
    assert len(json.loads((await world.store.get_batch(outcome.batch_id))["errors"])) == 3


async def test_engager_without_a_usable_id_is_recorded_and_skipped(world: BatchWorld) -> None:
    await world.member("alice")
    bob = await world.member("bob")
    await world.submit("t0", "alice")
    submission = await world.store.get_submission("1")
    assert submission is not None
    tally = BatchTally()
    item = TrackedTweet(submission, {}, {"retweet": 0})
    await Awarder(world.store, default_rules(), "1", tally).award(item, "retweet", ["", "12x", bob.x_id, bob.x_id])
    assert (tally.awards, tally.engagements_seen, len(tally.errors)) == (1, 1, 2)


async def test_refused_app_token_fails_the_batch_and_keeps_the_work(world: BatchWorld, fake_x: FakeX) -> None:
    expected = await five_tweets_engaged_by_bob(world)
    good_client = world.x
    world.x = XClient(fake_x.base_url, "not-the-token", retry_delays=RETRY_DELAYS, clock=world.clock)
    try:
        failed = await world.run()
    finally:
        await world.x.aclose()
    assert failed.status == FAILED
    assert "TWITTER_BEARER_TOKEN" in failed.reason
    assert failed.batch_id is not None
    assert (await world.store.get_batch(failed.batch_id))["status"] == "failed"
    assert len(await world.store.carry_over()) == 5
    world.x = good_client
    assert (await world.run()).status == COMPLETED
    assert await world.awards() == expected


async def test_shutdown_stops_the_batch_before_its_next_request(world: BatchWorld, clock: FakeClock) -> None:
    expected = await five_tweets_engaged_by_bob(world)
    shutdown = asyncio.Event()
    shutdown.set()
    stopped = await run_batch(world.store, world.x, world.settings, clock=clock, shutdown=shutdown)
    assert (stopped.status, stopped.reason, stopped.tally.carried_over) == (PARTIAL, "stopped early for shutdown", 5)
    assert sum(world.fake.request_counts.values()) == 0
    clock.advance(HALF_HOUR)
    assert (await world.run()).status == COMPLETED
    assert await world.awards() == expected
