"""Snapshots: what a batch stores for each post it reads, how the series is thinned, and what /submit keeps."""

from __future__ import annotations

from datetime import timedelta

import pytest

from engagement.analytics import Counters, encode, load_post, load_posts
from engagement.errors import DamagedData
from engagement.services import Services
from engagement.store import SnapshotWrite, Store, SubmissionDraft
from engagement.submissions import submit_tweet
from sandbox.fake_x import FakeX
from tests.conftest import FakeClock
from tests.engagement.batch_world import BatchWorld

PUBLISHED = 1_795_000_000.0
MINUTE, HOUR = 60.0, 3600.0


def write(at: float, likes: int, submission_id: str = "1") -> SnapshotWrite:
    where, entry = encode(at, Counters(likes=likes, impressions=100 * likes), PUBLISHED)
    return SnapshotWrite(submission_id, PUBLISHED, where, entry)


async def likes_kept(store: Store, submission_id: str = "1") -> list[str]:
    return [entry.split("|")[1].split(",")[1] for entry in await store.post_snapshots(submission_id)]


async def test_a_series_keeps_every_batch_of_the_first_day_then_one_an_hour(any_store: Store) -> None:
    # Batches 30 minutes apart for a day (48 kept), then every 10 minutes on day two: one an hour (the newest).
    first_day = [write(PUBLISHED + n * 30 * MINUTE, n) for n in range(48)]
    await any_store.append_snapshots(first_day)
    second_day = [write(PUBLISHED + 24 * HOUR + n * 10 * MINUTE, 100 + n) for n in range(12)]
    await any_store.append_snapshots(second_day)
    kept = await likes_kept(any_store)
    assert kept[:48] == [str(n) for n in range(48)]
    assert kept[48:] == ["105", "111"]  # hour 24 ends with 100+5, hour 25 with 100+11
    assert await any_store.analytics_post_ids(0, PUBLISHED + 1) == ["1"]


async def test_two_batches_within_five_minutes_keep_the_newer_counters(store: Store) -> None:
    await store.append_snapshots([write(PUBLISHED + 10 * MINUTE, 1), write(PUBLISHED + 11 * MINUTE, 2)])
    assert await likes_kept(store) == ["2"]


async def test_a_damaged_series_is_refused_whole_and_others_are_written(any_store: Store) -> None:
    await any_store.redis.set(any_store.keys.snapshots("1"), "not a list")
    damaged = await any_store.append_snapshots([write(PUBLISHED, 1, "1"), write(PUBLISHED, 1, "2")])
    assert list(damaged) == ["1"]
    assert isinstance(damaged["1"], DamagedData)
    assert await any_store.analytics_post_ids(0, PUBLISHED + 1) == ["2"]  # nothing of the damaged one was written
    assert await any_store.redis.get(any_store.keys.snapshots("1")) == "not a list"


async def test_a_batch_stores_each_read_posts_counters_and_publishing_time(world: BatchWorld, clock: FakeClock) -> None:
    await world.member("alice")
    bob = await world.member("bob")
    tweet_id = await world.submit("t1", "alice")
    world.fake.reply(bob.x_id, tweet_id)
    await world.run()
    clock.advance(40 * MINUTE)
    world.fake.retweet(bob.x_id, tweet_id)
    await world.run()
    post = await load_post(world.store, tweet_id)
    assert post is not None
    assert [snapshot.counters.engagements for snapshot in post.snapshots] == [1, 2]
    assert post.snapshots[-1].counters.impressions == world.fake.metrics(world.fake.posts[tweet_id])["impression_count"]
    assert post.published_at == world.fake.posts[tweet_id].created_at.timestamp()
    assert [found.tweet_id for found in await load_posts(world.store, 0, clock() + 1)] == [tweet_id]


async def test_submit_keeps_the_publishing_time_and_the_authors_followers(
    services: Services, store: Store, fake_x: FakeX
) -> None:
    x_id = fake_x.add_user("Alice", followers=1234)
    await store.link_account("111111111111111111", x_id, "alice", "bio", services.now().isoformat())
    published = services.now() - timedelta(hours=2)
    tweet_id = fake_x.add_tweet(x_id, "gm", created_at=published)
    await submit_tweet(services, "111111111111111111", f"https://x.com/alice/status/{tweet_id}")
    post = await load_post(store, tweet_id)
    assert post is not None
    assert (post.published_at, post.author_followers) == (published.timestamp(), 1234)
    assert post.snapshots == ()  # not read by a batch yet


@pytest.mark.parametrize("entry", ["m1|garbage", "no bar", "m1|1,2,3", "m1|1,2,3,4,5,6,x"])
async def test_an_unreadable_entry_is_skipped_not_fatal(store: Store, entry: str) -> None:
    draft = SubmissionDraft("1870000000000000001", "https://x.com/a/status/1", "42", "a", "111111111111111111", "art")
    submission, _ = await store.create_submission(draft, daily_limit=5)
    await store.append_snapshots([write(PUBLISHED + HOUR, 3, submission.id)])
    await store.redis.lpush(store.keys.snapshots(submission.id), entry)
    post = await load_post(store, draft.tweet_id)
    assert post is not None
    assert [s.counters.likes for s in post.snapshots] == [3]


async def test_a_period_reads_the_newest_three_snapshots_and_one_post_all_of_them(store: Store) -> None:
    draft = SubmissionDraft("1870000000000000002", "https://x.com/a/status/2", "42", "a", "111111111111111111", "art")
    submission, _ = await store.create_submission(draft, daily_limit=5, details={"published_at": PUBLISHED})
    await store.append_snapshots([write(PUBLISHED + n * 30 * MINUTE, n, submission.id) for n in range(1, 11)])
    [recent] = await load_posts(store, 0, PUBLISHED + 1)
    assert [s.counters.likes for s in recent.snapshots] == [8, 9, 10]  # what every measure of a period needs
    whole = await load_post(store, draft.tweet_id)
    assert whole is not None
    assert [s.counters.likes for s in whole.snapshots] == list(range(1, 11))
