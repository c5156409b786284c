"""Reading engager lists (issue 11 items 4 and 5): paged down to what was read before, never by a count,
and read once more near the end of a post's window, so an undone engagement plus a new one is not lost."""

from __future__ import annotations

import pytest

from engagement.batch import COMPLETED
from engagement.batch._final_pass import FinalPass
from tests.conftest import FakeClock
from tests.engagement.batch_world import BatchWorld

HALF_HOUR = 1800


@pytest.fixture
def final_pass(world: BatchWorld) -> FinalPass:
    """When the batch reads every list once more: what its settings give."""
    return FinalPass.from_settings(world.settings)


@pytest.mark.parametrize(("kind", "endpoint"), [("retweet", "retweeted_by"), ("quote", "quote_tweets")])
async def test_the_list_fallback_pays_a_member_whose_entry_follows_unlinked_newcomers(
    world: BatchWorld, clock: FakeClock, kind: str, endpoint: str
) -> None:
    """Ten engagements undone and eleven made: the counter moved by one, yet every new entry is read.

    The ten unlinked newcomers on top fill X's smallest quote page (10): a read stopped by the
    counter's move would never reach the member below them.
    """
    world.fake.set_limit("search_recent", 0)  # search spent: reposts come from retweeted_by
    quotes: dict[str, str] = {}

    def engage(user: str) -> None:
        if kind == "retweet":
            world.fake.retweet(user, t1)
        else:
            quotes[user] = world.fake.quote(user, t1, "look")

    def undo(user: str) -> None:
        if kind == "retweet":
            world.fake.unretweet(user, t1)
        else:
            world.fake.delete_tweet(quotes[user])

    await world.member("alice")
    first, second = await world.member("first"), await world.member("second")
    t1 = await world.submit("t1", "alice")
    early = [world.fake.add_user(f"early{i}") for i in range(11)]
    for user in [*early, first.x_id]:
        engage(user)
    assert (await world.run()).status == COMPLETED
    points = 2  # tier 1: a repost and a quote pay 2 each
    assert await world.awards() == {world.row("t1", "first", kind, points)}

    clock.advance(HALF_HOUR)
    for user in early[:10]:  # the oldest go; the newest entries read last time stay
        undo(user)
    engage(second.x_id)
    for i in range(10):
        engage(world.fake.add_user(f"late{i}"))  # unlinked, newest: on top of the list
    world.fake.reset_counts()
    assert (await world.run()).status == COMPLETED

    assert world.fake.request_counts[endpoint] >= 1, "the list was read"
    assert await world.awards() == {world.row("t1", name, kind, points) for name in ("first", "second")}


async def test_a_net_zero_repost_churn_is_paid_in_the_final_pass_once(
    world: BatchWorld, clock: FakeClock, final_pass: FinalPass
) -> None:
    await world.member("alice")
    bob = await world.member("bob")
    t1 = await world.submit("t1", "alice")
    fan = world.fake.add_user("fan")
    world.fake.retweet(fan, t1)
    await world.run()

    clock.advance(HALF_HOUR)
    world.fake.unretweet(fan, t1)
    world.fake.retweet(bob.x_id, t1)  # the repost counter is 1, as before
    world.fake.reset_counts()
    await world.run()
    assert dict(world.fake.request_counts) == {"tweets_lookup": 1}, "an unmoved counter costs no request"
    assert await world.awards() == set()

    clock.advance(24 * 3600 - final_pass.lead_seconds - HALF_HOUR)  # the last stretch of the window
    world.fake.reset_counts()
    await world.run()
    assert await world.awards() == {world.row("t1", "bob", "retweet", 2)}
    assert dict(world.fake.request_counts) == {"tweets_lookup": 1, "search_recent": 1}

    clock.advance(HALF_HOUR)
    world.fake.reset_counts()
    await world.run()
    assert dict(world.fake.request_counts) == {"tweets_lookup": 1}, "the final pass is made once per post"


async def test_a_net_zero_like_churn_costs_two_short_pages_at_the_end(
    world: BatchWorld, clock: FakeClock, final_pass: FinalPass
) -> None:
    await world.member("alice")
    bob = await world.member("bob")
    await world.grant_likes("alice")
    t1 = await world.submit("t1", "alice")
    fans = [world.fake.add_user(f"fan{i}") for i in range(30)]
    for fan in fans:
        world.fake.like(fan, t1)
    await world.run()
    clock.advance(HALF_HOUR)
    world.fake.unlike(fans[0], t1)
    world.fake.like(bob.x_id, t1)
    await world.run()
    assert await world.awards() == set()

    clock.advance(24 * 3600 - final_pass.lead_seconds - HALF_HOUR)
    world.fake.reset_counts()
    outcome = await world.run()

    assert await world.awards() == {world.row("t1", "bob", "like", 1)}
    # A page of 2 (bob, and one liker read last time), then one of 4 that reaches the second.
    assert world.fake.request_counts["liking_users"] == 2
    assert outcome.usage.users_read == 2 + 4


async def test_the_final_pass_skips_empty_lists(world: BatchWorld, clock: FakeClock, final_pass: FinalPass) -> None:
    await world.member("alice")
    await world.grant_likes("alice")
    await world.submit("t1", "alice")
    await world.run()
    clock.advance(24 * 3600 - final_pass.lead_seconds)
    world.fake.reset_counts()
    await world.run()
    assert dict(world.fake.request_counts) == {"tweets_lookup": 1}, "counters at 0: nobody to pay, nothing to read"
