"""The request strategy of X_API.md, asserted on the fake's request counts."""

from __future__ import annotations

import pytest

from engagement.batch import COMPLETED
from engagement.x._query import pack_conversation_queries, pack_queries
from tests.conftest import FakeClock
from tests.engagement.batch_world import BatchWorld
from tests.fakes.x_tokens import sign_in


@pytest.mark.parametrize("via", ["search", "retweeted_by"])
async def test_250_reposters_page_fully_then_unmoved_counter_costs_no_request(
    world: BatchWorld, clock: FakeClock, via: str
) -> None:
    if via == "retweeted_by":
        world.fake.set_limit("search_recent", 0)  # search spent: reposts fall back to one list per post
    await world.member("alice")
    t1 = await world.submit("t1", "alice")
    linked = {0: "first", 125: "middle", 249: "last"}  # repost order: 0 is the oldest, on the last page
    for i in range(250):
        name = linked.get(i, f"fan{i}")
        member = await world.member(name) if i in linked else None
        world.fake.retweet(member.x_id if member else world.fake.add_user(name), t1)
    outcome = await world.run()
    assert outcome.status == COMPLETED
    endpoint = "search_recent" if via == "search" else "retweeted_by"
    assert world.fake.request_counts[endpoint] == 3  # 100 + 100 + 50
    assert await world.awards() == {world.row("t1", name, "retweet", 2) for name in linked.values()}
    assert outcome.tally.engagements_seen == 250

    world.fake.reset_counts()
    clock.advance(1800)
    again = await world.run()
    assert dict(world.fake.request_counts) == {"tweets_lookup": 1}
    assert again.usage.users_read == 0  # the batch knows its authors: no author expansion


@pytest.mark.parametrize("via", ["search", "retweeted_by"])
async def test_moved_counter_reads_only_the_new_entries(world: BatchWorld, clock: FakeClock, via: str) -> None:
    await world.member("alice")
    t1 = await world.submit("t1", "alice")
    for i in range(150):
        world.fake.retweet(world.fake.add_user(f"fan{i}"), t1)
    await world.run()
    if via == "retweeted_by":
        world.fake.set_limit("search_recent", 0)
    newcomer = await world.member("newcomer")
    clock.advance(1800)
    world.fake.retweet(newcomer.x_id, t1)
    world.fake.reset_counts()
    outcome = await world.run()
    assert world.fake.request_counts["retweeted_by"] == (1 if via == "retweeted_by" else 0)
    # The lookup, then the one new repost(er); a list also reads the two entries (kept from the search)
    # that show the rest was seen before.
    assert outcome.usage.posts_read + outcome.usage.users_read == (4 if via == "retweeted_by" else 2)
    assert outcome.tally.awards == 1
    assert await world.awards() == {world.row("t1", "newcomer", "retweet", 2)}


async def test_one_search_covers_the_reposts_of_many_posts_and_reads_no_other_post(world: BatchWorld) -> None:
    authors = [await world.member(f"author{i}") for i in range(12)]
    fan = await world.member("fan")
    tracked = []
    for i, author in enumerate(authors):
        for j in range(3):
            tracked.append(await world.submit(f"t{i}-{j}", author.name))
            world.fake.retweet(fan.x_id, tracked[-1])
        untracked = world.fake.add_tweet(author.x_id, "never submitted")
        world.fake.retweet(fan.x_id, untracked)  # `retweets_of:<author>` would read this one too
    outcome = await world.run()
    assert outcome.tally.awards == 36
    searches = len(pack_queries("retweets_of_tweet_id", tracked))
    assert searches <= len(tracked) / 9  # about 11 post ids to a 512-character query
    assert dict(world.fake.request_counts) == {"tweets_lookup": 1, "search_recent": searches}
    assert outcome.usage.posts_read == 36 + 36  # the lookup, then exactly the 36 reposts of tracked posts


async def test_one_lookup_per_100_tweets(world: BatchWorld) -> None:
    await world.member("alice")
    for i in range(150):
        await world.submit(f"t{i}", "alice")
    outcome = await world.run()
    assert outcome.tally.tweets_scanned == 150
    assert dict(world.fake.request_counts) == {"tweets_lookup": 2}


async def test_replies_are_searched_packed_and_since_the_last_scan(world: BatchWorld, clock: FakeClock) -> None:
    ids = await world.posts_engaged(30, "reply")
    bob = world.members["bob"]
    outcome = await world.run()
    assert world.fake.request_counts["search_recent"] == len(pack_conversation_queries(ids)) < 30
    assert outcome.tally.awards == 30

    world.fake.reply(bob.x_id, ids[7])  # a second reply by the same member: still one award
    carol = await world.member("carol")
    world.fake.reply(carol.x_id, ids[3])
    world.fake.reset_counts()
    clock.advance(1800)
    again = await world.run()
    # Every conversation with replies is searched again (a reply to a reply would not move the
    # post's own counter), but only since the newest reply seen: X returns just the two new ones.
    assert world.fake.request_counts["search_recent"] == len(pack_conversation_queries(ids))
    assert again.usage.posts_read == 30 + 2  # the lookups, then only the two new replies
    assert again.tally.awards == 1
    assert world.row(f"t{3}", "carol", "reply", 3) in await world.awards()


async def test_a_reply_deep_in_the_thread_is_found_though_the_posts_counter_did_not_move(
    world: BatchWorld, clock: FakeClock
) -> None:
    await world.member("alice")
    bob, carol = await world.member("bob"), await world.member("carol")
    await world.submit("t0", "alice")
    busy = await world.submit("t1", "alice")
    first_reply = world.fake.reply(bob.x_id, busy)
    await world.run()
    world.fake.reply(carol.x_id, first_reply)  # answers bob, not the post: its reply_count stays 1
    world.fake.reset_counts()
    clock.advance(1800)
    again = await world.run()
    assert again.tally.awards == 1
    assert world.row("t1", "carol", "reply", 3) in await world.awards()
    assert world.fake.request_counts["search_recent"] == 1


async def test_a_post_without_replies_costs_no_search(world: BatchWorld, clock: FakeClock) -> None:
    await world.member("alice")
    await world.submit("t0", "alice")
    await world.run()
    clock.advance(1800)
    await world.run()
    assert world.fake.request_counts["search_recent"] == 0


async def test_likes_need_the_authors_token(world: BatchWorld, clock: FakeClock) -> None:
    await world.member("alice")
    bob = await world.member("bob")
    t1 = await world.submit("t1", "alice")
    world.fake.like(bob.x_id, t1)
    first = await world.run()
    assert first.tally.likes_untracked == 1
    assert world.fake.request_counts["liking_users"] == 0
    assert await world.awards() == set()

    await world.grant_likes("alice")  # alice connects with OAuth later: the earlier like is paid then
    clock.advance(1800)
    second = await world.run()
    assert second.tally.likes_untracked == 0
    assert world.fake.request_counts["liking_users"] == 1
    assert await world.awards() == {world.row("t1", "bob", "like", 1)}


async def test_each_authors_token_has_its_own_likes_budget(world: BatchWorld) -> None:
    world.fake.set_limit("liking_users", 1)  # per 15 minutes, per user token (X counts user context per user)
    bob = await world.member("bob")
    expected = set()
    for author in ("alice", "carol", "dave"):
        await world.member(author)
        await world.grant_likes(author)
        world.fake.like(bob.x_id, await world.submit(f"t-{author}", author))
        expected.add(world.row(f"t-{author}", "bob", "like", 1))
    outcome = await world.run()
    assert outcome.status == COMPLETED  # one author's spent budget does not stop the others'
    assert world.fake.request_counts["liking_users"] == 3
    assert await world.awards() == expected


async def test_several_revoked_tokens_do_not_stop_likes_for_other_authors(world: BatchWorld) -> None:
    bob = await world.member("bob")
    for i in range(4):
        await world.member(f"gone{i}")
        world.fake.like(bob.x_id, await world.submit(f"g{i}", f"gone{i}"))
        await sign_in(world.store, world.x_id(f"gone{i}"), f"revoked-{i}")  # a token X no longer accepts
    await world.member("carol")
    world.fake.like(bob.x_id, await world.submit("c", "carol"))  # submitted last: read after the failures
    await world.grant_likes("carol")
    outcome = await world.run()
    assert world.row("c", "bob", "like", 1) in await world.awards()
    assert outcome.tally.carried_over == 4


async def test_revoked_author_token_is_that_tweets_problem(world: BatchWorld) -> None:
    await world.member("alice")
    await world.member("carol")
    bob = await world.member("bob")
    t1 = await world.submit("t1", "alice")
    t2 = await world.submit("t2", "carol")
    for tweet_id in (t1, t2):
        world.fake.like(bob.x_id, tweet_id)
        world.fake.retweet(bob.x_id, tweet_id)
    await world.grant_likes("alice")
    await sign_in(world.store, world.x_id("alice"), "revoked-token")  # replaced by one X no longer accepts
    await world.grant_likes("carol")
    outcome = await world.run()
    assert ["liking_users" in error for error in outcome.tally.errors] == [True]
    assert world.row("t2", "bob", "like", 1) in await world.awards()
    assert world.row("t1", "bob", "retweet", 2) in await world.awards()
    assert outcome.tally.carried_over == 1  # t1's likes are retried next batch
