"""A misbehaving X (issue 11 items 6, 9, 10): the batch records it, carries the work over, and loses nothing."""

from __future__ import annotations

import pytest

from engagement.batch import PARTIAL
from engagement.store import Store
from engagement.x._paging import MAX_PAGES
from tests.conftest import FakeClock
from tests.engagement.batch_world import BatchWorld
from tests.fakes.x_fixtures import RETRY_DELAYS

HALF_HOUR = 1800
DAY = 24 * 3600
TRANSIENT = {"title": "Service Unavailable", "detail": "try later", "type": "https://api.x.com/2/problems/operational"}


async def _engaged_by_bob(world: BatchWorld, *, reply: bool = False) -> str:
    """alice's post t1, reposted (or replied to) by bob."""
    await world.member("alice")
    bob = await world.member("bob")
    t1 = await world.submit("t1", "alice")
    if reply:
        world.fake.reply(bob.x_id, t1)
    else:
        world.fake.retweet(bob.x_id, t1)
    return t1


async def test_a_transient_problem_is_retried_not_taken_for_a_deleted_post(world: BatchWorld, clock: FakeClock) -> None:
    t1 = await _engaged_by_bob(world)
    world.fake.inject_problem(t1, TRANSIENT)

    first = await world.run()

    assert first.status == PARTIAL
    assert first.tally.errors == [f"X sent no usable data for tweet {t1} (Service Unavailable); retried next batch"]
    assert await world.awards() == set()
    clock.advance(DAY + HALF_HOUR)  # out of the window: only the carry-over reaches it now
    await world.run()
    assert await world.awards() == {world.row("t1", "bob", "retweet", 2)}


async def test_a_deleted_post_is_still_dropped(world: BatchWorld) -> None:
    t1 = await _engaged_by_bob(world)
    world.fake.delete_tweet(t1)
    outcome = await world.run()
    assert outcome.tally.carried_over == 0
    assert any("is deleted or private" in error for error in outcome.tally.errors)


async def test_an_endless_search_stops_at_its_cap_and_is_recorded(world: BatchWorld, clock: FakeClock) -> None:
    """Before: paged until the search budget was gone (450 requests), starving every other search."""
    await _engaged_by_bob(world, reply=True)
    world.fake.inject_paging_fault("search_recent", "endless")

    outcome = await world.run()

    assert world.fake.request_counts["search_recent"] == MAX_PAGES
    assert outcome.status == PARTIAL
    assert any(f"had more pages than its cap of {MAX_PAGES}" in error for error in outcome.tally.errors)
    assert await world.awards() == set()
    world.fake.inject_paging_fault("search_recent", None)
    clock.advance(HALF_HOUR)
    await world.run()
    assert await world.awards() == {world.row("t1", "bob", "reply", 3)}


@pytest.mark.parametrize(("fault", "requests"), [("repeat_token", 2), ("endless", 1 + 2)])
async def test_a_list_that_never_ends_stops_early_and_leaves_its_work_to_redo(
    world: BatchWorld, clock: FakeClock, store: Store, fault: str, requests: int
) -> None:
    world.fake.set_limit("search_recent", 0)  # reposts from retweeted_by
    t1 = await _engaged_by_bob(world)
    world.fake.inject_paging_fault("retweeted_by", fault)  # type: ignore[arg-type]

    outcome = await world.run()

    assert world.fake.request_counts["retweeted_by"] == requests, "one page holds the 1 repost; the cap adds 2"
    assert outcome.status == PARTIAL
    assert any(error.startswith(f"retweeted_by failed for tweet {t1}") for error in outcome.tally.errors)
    [state] = await store.submission_hashes(["1"])
    assert "seen_retweet" not in state, "nothing counted as read"
    assert "newest_retweet" not in state
    world.fake.inject_paging_fault("retweeted_by", None)
    clock.advance(HALF_HOUR)
    await world.run()
    assert await world.awards() == {world.row("t1", "bob", "retweet", 2)}


async def test_a_deeply_nested_body_fails_only_its_request(world: BatchWorld, clock: FakeClock) -> None:
    """Before: RecursionError went past the adapter and the whole batch failed with a traceback."""
    await _engaged_by_bob(world)
    world.fake.inject_fault("tweets_lookup", "nested", times=len(RETRY_DELAYS) + 1)

    outcome = await world.run()

    assert outcome.status == PARTIAL
    assert any("nested too deeply" in error for error in outcome.tally.errors)
    assert outcome.tally.carried_over == 1
    clock.advance(HALF_HOUR)
    await world.run()
    assert await world.awards() == {world.row("t1", "bob", "retweet", 2)}
