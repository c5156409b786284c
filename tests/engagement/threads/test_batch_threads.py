"""The batch's Threads step against the fake Threads API: insights into snapshots, replies by linked members paid
once, nothing for unlinked accounts, deleted posts and missing metrics handled, X and Threads guards separate."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from engagement.analytics import insights_for_community, insights_for_post, load_post
from engagement.batch import COMPLETED
from engagement.services import Services
from engagement.settings import Settings
from engagement.threads.client import ThreadsClient
from sandbox.fake_threads import FakeThreads
from tests.engagement.batch_world import BatchWorld
from tests.engagement.threads.threads_world import ThreadsWorld

REPLY_POINTS = 3  # the default rules' tier-1 reply


@pytest.fixture
async def threads(world: BatchWorld, fake_threads: FakeThreads) -> AsyncIterator[ThreadsWorld]:
    fake = fake_threads
    settings: Settings = world.settings.model_copy(
        update={"threads_app_id": fake.app_id, "threads_api_base_url": fake.base_url}
    )
    client = ThreadsClient(settings)
    yield ThreadsWorld(world, fake, client)
    await client.aclose()


async def _alice_posts_and_bob_is_linked(threads: ThreadsWorld) -> str:
    world = threads.world
    alice = await world.member("alice")
    bob = await world.member("bob")
    assert alice.discord_id
    assert bob.discord_id
    await threads.account("alice.t", alice.discord_id)
    await threads.account("bob.t", bob.discord_id)
    return await threads.post("p1", "alice.t", alice.discord_id)


async def test_a_reply_by_a_linked_member_is_paid_once(threads: ThreadsWorld) -> None:
    world = threads.world
    await _alice_posts_and_bob_is_linked(threads)
    threads.reply("p1", "bob.t")
    outcome = await world.run()
    assert outcome.status == COMPLETED, outcome.summary()
    assert await world.awards() == {world.row("p1", "bob", "reply", REPLY_POINTS)}
    threads.reply("p1", "bob.t")  # a second reply by the same member: the guard holds
    world.clock.advance(3600)
    await world.run()
    assert await world.awards() == {world.row("p1", "bob", "reply", REPLY_POINTS)}
    bob = await world.store.get_connection(world.discord("bob"))
    assert bob is not None
    assert bob.points == REPLY_POINTS


async def test_a_reply_by_an_unlinked_account_earns_nothing(threads: ThreadsWorld) -> None:
    world = threads.world
    await _alice_posts_and_bob_is_linked(threads)
    await threads.account("stranger", None)
    threads.reply("p1", "stranger")
    threads.reply("p1", "alice.t")  # the author's own reply earns nothing either
    outcome = await world.run()
    assert outcome.status == COMPLETED, outcome.summary()
    assert await world.awards() == set()


async def test_insights_land_in_the_posts_snapshots_with_views_as_impressions(threads: ThreadsWorld) -> None:
    world = threads.world
    ref = await _alice_posts_and_bob_is_linked(threads)
    threads.fake.set_insights(threads.posts["p1"], views=500, likes=7, reposts=2, quotes=1, shares=4)
    await world.run()
    submission = await world.store.submission_for_tweet(ref)
    assert submission is not None
    post = await load_post(world.store, ref)
    assert post is not None
    assert post.platform == "threads"
    latest = post.latest
    assert (latest.impressions, latest.likes, latest.reposts, latest.quotes, latest.shares) == (500, 7, 2, 1, 4)
    services = Services(world.settings, world.store, world.x, clock=world.clock)
    insights = await insights_for_post(services, submission.url)  # /insights post:<a Threads link>
    assert insights.post.tweet_id == ref
    assert insights.measures.impressions == 500
    tweet = await world.submit("x1", "alice")  # an X post beside it: /insights community splits by platform
    world.fake.like(world.x_id("bob"), tweet)
    await world.run()
    community = await insights_for_community(services, 7)
    assert set(community.platforms) == {"x", "threads"}
    threads_figures = community.platforms["threads"].summary
    assert (threads_figures.posts, threads_figures.impressions, threads_figures.engagements) == (1, 500, 14)
    assert community.summary.posts == 2


async def test_a_missing_metric_is_named_and_the_rest_is_kept(threads: ThreadsWorld) -> None:
    world = threads.world
    ref = await _alice_posts_and_bob_is_linked(threads)
    threads.fake.set_insights(threads.posts["p1"], views=500, likes=7)
    threads.fake.drop_metric(threads.posts["p1"], "views")
    outcome = await world.run()
    assert any("insights without views" in error for error in outcome.tally.errors), outcome.tally.errors
    submission = await world.store.submission_for_tweet(ref)
    assert submission is not None
    post = await load_post(world.store, ref)
    assert post is not None
    assert (post.latest.impressions, post.latest.likes) == (None, 7)


async def test_a_deleted_post_is_marked_gone_and_pays_nothing(threads: ThreadsWorld) -> None:
    world = threads.world
    ref = await _alice_posts_and_bob_is_linked(threads)
    threads.reply("p1", "bob.t")
    threads.fake.delete_post(threads.posts["p1"])
    outcome = await world.run()
    assert outcome.status == COMPLETED, outcome.summary()
    assert any("is deleted" in error for error in outcome.tally.errors), outcome.tally.errors
    assert await world.awards() == set()
    submission = await world.store.submission_for_tweet(ref)
    assert submission is not None
    [gone] = await world.store.submission_hashes([submission.id])
    assert float(gone["gone_at"]) == world.store.now()


async def test_a_member_on_both_platforms_is_paid_on_each_by_its_own_guard(threads: ThreadsWorld) -> None:
    """Bob replies to Alice's X post with his X account and to her Threads post with his Threads account: the
    guard is per (post, account, type), so each platform pays once and neither blocks the other."""
    world = threads.world
    await _alice_posts_and_bob_is_linked(threads)
    tweet = await world.submit("x1", "alice")
    world.fake.reply(world.x_id("bob"), tweet)
    threads.reply("p1", "bob.t")
    await world.run()
    expected = {world.row("p1", "bob", "reply", REPLY_POINTS), world.row("x1", "bob", "reply", REPLY_POINTS)}
    assert await world.awards() == expected
    world.clock.advance(3600)
    world.fake.reply(world.x_id("bob"), tweet)
    threads.reply("p1", "bob.t")
    await world.run()
    assert await world.awards() == expected


async def test_a_post_whose_author_has_no_usable_token_is_carried_over(threads: ThreadsWorld) -> None:
    world = threads.world
    await _alice_posts_and_bob_is_linked(threads)
    await threads.tokens.remove(threads.user_ids["alice.t"])
    threads.reply("p1", "bob.t")
    outcome = await world.run()
    assert any("sign-in is missing or expired" in error for error in outcome.tally.errors), outcome.tally.errors
    assert await world.awards() == set()
