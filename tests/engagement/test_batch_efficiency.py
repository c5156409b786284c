"""What the batch pays X for: each engagement read once, as the cheaper resource, and quiet posts read less often."""

from __future__ import annotations

from engagement.batch import COMPLETED
from engagement.settings import load_settings
from engagement.x._query import pack_queries
from tests.conftest import FakeClock
from tests.engagement.batch_world import BatchWorld
from tests.fakes.x_tokens import with_token_key

HOUR = 3600


async def test_quotes_of_many_posts_come_from_one_packed_search(world: BatchWorld) -> None:
    ids = await world.posts_engaged(20, "quote")
    outcome = await world.run()
    assert outcome.tally.awards == 20
    searches = len(pack_queries("quotes_of_tweet_id", ids))
    assert dict(world.fake.request_counts) == {"tweets_lookup": 1, "search_recent": searches}
    assert searches == 2  # where quote_tweets took one request per post


async def test_quotes_fall_back_to_quote_tweets_once_search_is_spent(world: BatchWorld) -> None:
    await world.member("alice")
    bob = await world.member("bob")
    ids = [await world.submit(f"t{i}", "alice") for i in range(3)]
    for tweet_id in ids:
        world.fake.quote(bob.x_id, tweet_id)
    world.fake.set_limit("search_recent", 0)
    outcome = await world.run()
    assert outcome.status == COMPLETED
    assert world.fake.request_counts["quote_tweets"] == 3
    assert await world.awards() == {world.row(f"t{i}", "bob", "quote", 2) for i in range(3)}


async def test_reposters_already_read_today_are_read_as_users_not_as_repost_posts(
    world: BatchWorld, clock: FakeClock
) -> None:
    await world.member("alice")
    await world.grant_likes("alice")
    bob = await world.member("bob")
    for label in ("t1", "t2"):
        tweet_id = await world.submit(label, "alice")
        world.fake.like(bob.x_id, tweet_id)
        world.fake.retweet(bob.x_id, tweet_id)
        world.fake.reset_counts()
        outcome = await world.run()
        clock.advance(1800)
        if label == "t1":
            # Nothing is known of today's reposters yet: the repost comes from search (a post, $0.005),
            # which shows its author already paid for (likes are read first).
            assert world.fake.request_counts["search_recent"] == 1
            assert world.x.billing.reposters_billed_share() == 1.0
    # So the next repost is read as a user: free, where the repost post would cost.
    assert dict(world.fake.request_counts) == {"tweets_lookup": 1, "liking_users": 1, "retweeted_by": 1}
    assert outcome.usage.posts_read == 2  # the two posts' counters, no repost post
    assert await world.awards() == {world.row(label, "bob", kind, points) for label in ("t1", "t2")
                                    for kind, points in (("like", 1), ("retweet", 2))}  # fmt: skip


async def test_reposters_nobody_has_read_today_come_from_the_search(world: BatchWorld) -> None:
    await world.member("alice")
    bob = await world.member("bob")
    world.fake.retweet(bob.x_id, await world.submit("t1", "alice"))
    outcome = await world.run()
    assert dict(world.fake.request_counts) == {"tweets_lookup": 1, "search_recent": 1}
    assert (outcome.usage.posts_read, outcome.usage.users_read) == (2, 0)  # a repost post is half a user's price
    assert await world.awards() == {world.row("t1", "bob", "retweet", 2)}


async def test_a_new_post_does_not_send_an_older_conversations_search_back_to_its_start(
    world: BatchWorld, clock: FakeClock
) -> None:
    (old,) = await world.posts_engaged(1, "reply")
    bob = world.members["bob"]
    for _ in range(4):
        world.fake.reply(bob.x_id, old)
    await world.run()
    clock.advance(HOUR)
    new = await world.submit("new", "alice")
    world.fake.reply(bob.x_id, new)
    world.fake.reset_counts()
    outcome = await world.run()
    assert world.fake.request_counts["search_recent"] == 1  # both conversations in one query
    # The lookup of both posts, the new root (its lookup paid for it today) and its one new reply:
    # the old conversation's five replies are not read again.
    assert outcome.usage.posts_read == 2 + 1 + 1
    assert world.row("new", "bob", "reply", 3) in await world.awards()
    assert world.row("t0", "bob", "reply", 3) in await world.awards()


async def test_a_quiet_post_rests_then_is_read_again_within_the_longest_gap(
    world: BatchWorld, clock: FakeClock
) -> None:
    await world.member("alice")
    bob = await world.member("bob")
    tweet_id = await world.submit("t1", "alice")
    await world.run()  # its first read: counters recorded
    clock.advance(3 * HOUR)
    assert (await world.run()).tally.tweets_resting == 0  # read: 3 h since the last read
    world.fake.retweet(bob.x_id, tweet_id)
    world.fake.reset_counts()
    clock.advance(HOUR / 2)
    await world.run_reading(scanned=0, resting=1)  # quiet for 3.5 h: it may go unread for 1.75 h
    assert dict(world.fake.request_counts) == {}
    assert await world.awards() == set()
    clock.advance(2 * HOUR)  # the longest gap (BATCH_MAX_READ_GAP_MINUTES, 120) has passed
    await world.run_reading(scanned=1, resting=0)
    assert await world.awards() == {world.row("t1", "bob", "retweet", 2)}


async def test_every_post_is_read_in_its_final_batches_however_quiet(world: BatchWorld, clock: FakeClock) -> None:
    world.settings = with_token_key(load_settings(_env_file=None, batch_max_read_gap_minutes=300))
    await world.member("alice")
    bob = await world.member("bob")
    tweet_id = await world.submit("t1", "alice")
    await world.run()
    clock.advance(20 * HOUR)
    await world.run()  # quiet for 20 h: may rest up to 5 h
    clock.advance(HOUR)
    await world.run_reading(scanned=0, resting=1)
    world.fake.retweet(bob.x_id, tweet_id)
    clock.advance(HOUR + 1)  # 22 h in: within the final lead (2 x BATCH_INTERVAL_MAX) of its 24 h window
    await world.run_reading(scanned=1, resting=0)
    assert await world.awards() == {world.row("t1", "bob", "retweet", 2)}


async def test_a_read_gap_of_zero_reads_every_post_every_batch(world: BatchWorld, clock: FakeClock) -> None:
    world.settings = with_token_key(load_settings(_env_file=None, batch_max_read_gap_minutes=0))
    await world.member("alice")
    await world.submit("t1", "alice")
    await world.run()
    for _ in range(3):
        clock.advance(4 * HOUR)
        await world.run_reading(scanned=1, resting=0)
