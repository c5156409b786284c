"""One batch at a time, and crashes that lose or double nothing: on a real Redis server."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import pytest

from engagement.batch import COMPLETED, FAILED, PARTIAL, SKIPPED, run_batch
from engagement.models import Award
from engagement.store import Store
from engagement.x import XClient
from sandbox.fake_x import FakeX
from tests.conftest import FakeClock
from tests.engagement.batch_world import AwardRow, BatchWorld

pytestmark = pytest.mark.redis

AwardFn = Callable[[Award], Awaitable[int]]


@pytest.fixture
def world(real_store: Store, fake_x: FakeX, x_client: XClient, clock: FakeClock) -> BatchWorld:
    return BatchWorld(real_store, fake_x, x_client, clock)


async def busy_world(world: BatchWorld) -> set[AwardRow]:
    """Three members engaging every which way with two tweets: twelve awards when all goes well."""
    await world.member("alice")
    await world.member("bob", 2)
    await world.member("carol", 3)
    expected = set()
    for label, author, fans in (("t1", "alice", ("bob", "carol")), ("t2", "bob", ("alice", "carol"))):
        tweet_id = await world.submit(label, author)
        for fan in fans:
            world.fake.retweet(world.x_id(fan), tweet_id)
            world.fake.reply(world.x_id(fan), tweet_id)
            world.fake.quote(world.x_id(fan), tweet_id)
    for label, fan, kind, points in [
        ("t1", "bob", "retweet", 4), ("t1", "bob", "reply", 6), ("t1", "bob", "quote", 4),
        ("t1", "carol", "retweet", 6), ("t1", "carol", "reply", 9), ("t1", "carol", "quote", 6),
        ("t2", "alice", "retweet", 2), ("t2", "alice", "reply", 3), ("t2", "alice", "quote", 2),
        ("t2", "carol", "retweet", 6), ("t2", "carol", "reply", 9), ("t2", "carol", "quote", 6),
    ]:  # fmt: skip
        expected.add(world.row(label, fan, kind, points))
    return expected


async def member_points(world: BatchWorld) -> dict[str, int]:
    connections = [await world.store.get_connection(world.discord(name)) for name in ("alice", "bob", "carol")]
    return {c.discord_id: c.points for c in connections if c}


def stall_awards(
    monkeypatch: pytest.MonkeyPatch, store: Store, after: int, stall: Callable[[], Awaitable[None]]
) -> None:
    """Let `after` awards through, then call `stall` before each further one (it may raise or hang)."""
    real: AwardFn = store.award_engagement
    done = 0

    async def award(award: Award) -> int:
        nonlocal done
        if done >= after:
            await stall()
        done += 1
        return await real(award)

    monkeypatch.setattr(store, "award_engagement", award)


@pytest.mark.parametrize("after", [0, 5, 11])
async def test_crash_after_k_awards_then_a_new_batch_equals_the_uninterrupted_run(
    world: BatchWorld, monkeypatch: pytest.MonkeyPatch, clock: FakeClock, after: int
) -> None:
    expected = await busy_world(world)

    async def crash() -> None:
        raise RuntimeError("injected crash")

    stall_awards(monkeypatch, world.store, after, crash)
    crashed = await world.run()
    assert crashed.status == FAILED
    assert "injected crash" in crashed.reason
    assert len(await world.awards()) == after
    monkeypatch.undo()
    clock.advance(1800)
    assert (await world.run()).status == COMPLETED
    assert await world.awards() == expected
    by_member = {
        world.discord(n): sum(r[3] for r in expected if r[1] == world.discord(n)) for n in ("alice", "bob", "carol")
    }
    assert await member_points(world) == by_member


async def test_killed_worker_leaves_running_and_the_next_batch_marks_it_interrupted(
    world: BatchWorld, monkeypatch: pytest.MonkeyPatch, clock: FakeClock
) -> None:
    expected = await busy_world(world)
    stalled = asyncio.Event()

    async def hang() -> None:
        stalled.set()
        await asyncio.Event().wait()

    stall_awards(monkeypatch, world.store, 4, hang)
    task = asyncio.create_task(world.run())
    await asyncio.wait_for(stalled.wait(), 5)
    task.cancel()  # the process dies mid-award: nothing after this runs in the batch
    with pytest.raises(asyncio.CancelledError):
        await task
    monkeypatch.undo()
    (dead_id,) = await world.store.recent_batch_ids(1)
    assert (await world.store.get_batch(dead_id))["status"] == "running"
    clock.advance(1800)
    outcome = await world.run()
    assert outcome.status == COMPLETED
    assert (await world.store.get_batch(dead_id))["status"] == "interrupted"
    assert await world.awards() == expected


async def test_two_batches_at_once_one_runs_one_skips(world: BatchWorld) -> None:
    expected = await busy_world(world)
    outcomes = await asyncio.gather(world.run(), world.run())
    assert sorted(outcome.status for outcome in outcomes) == [COMPLETED, SKIPPED]
    skipped = next(outcome for outcome in outcomes if outcome.status == SKIPPED)
    assert (skipped.batch_id, skipped.reason) == (None, "another batch is running")
    assert len(await world.store.recent_batch_ids(10)) == 1  # the skipped one recorded nothing
    assert await world.awards() == expected


async def test_lock_of_a_dead_worker_blocks_until_it_expires(world: BatchWorld) -> None:
    await busy_world(world)
    dead = await world.store.start_batch({"started_at": int(world.clock()), "worker": "gone:1"})
    assert await world.store.acquire_batch_lock("dead worker's token", 100)
    assert (await world.run()).status == SKIPPED
    await asyncio.sleep(0.15)
    outcome = await world.run()
    assert outcome.status == COMPLETED
    assert (await world.store.get_batch(dead))["status"] == "interrupted"


async def test_a_long_batch_renews_its_lock(world: BatchWorld, monkeypatch: pytest.MonkeyPatch) -> None:
    expected = await busy_world(world)

    async def slow() -> None:
        await asyncio.sleep(0.03)

    stall_awards(monkeypatch, world.store, 0, slow)  # twelve awards: about 0.36 s, three lock lifetimes
    settings, clock = world.settings, world.clock
    first = asyncio.create_task(run_batch(world.store, world.x, settings, clock=clock, lock_ttl_ms=120))
    await asyncio.sleep(0.25)
    assert not first.done()
    assert (await run_batch(world.store, world.x, settings, clock=clock)).status == SKIPPED
    assert (await first).status == COMPLETED
    assert await world.awards() == expected


async def test_a_lost_lock_stops_the_batch_at_its_next_step(world: BatchWorld, monkeypatch: pytest.MonkeyPatch) -> None:
    await busy_world(world)
    store = world.store

    async def lose_lock() -> None:
        await store.redis.delete(store.keys.batch_lock())
        await store.add_carry_over({"999": {"lookup": 0}})  # what the batch that took over saved
        await asyncio.sleep(0.1)  # the renewer (every 20 ms) notices

    stall_awards(monkeypatch, store, 0, lose_lock)
    outcome = await run_batch(store, world.x, world.settings, clock=world.clock, lock_ttl_ms=60)
    assert outcome.status == PARTIAL
    assert "lock was lost" in outcome.reason
    assert outcome.tally.carried_over > 0
    assert "999" in await store.carry_over()  # a batch without the lock adds to the carry-over, never replaces it
