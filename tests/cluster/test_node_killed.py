"""A cluster node killed with SIGKILL mid-batch: the batch ends (failed), nothing doubled or lost afterwards."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from redis.exceptions import RedisError

from engagement.batch import COMPLETED, FAILED, run_batch
from engagement.models import Award
from tests.cluster.local_cluster import LocalCluster, Node
from tests.conftest import FakeClock
from tests.engagement.batch_world import BatchWorld
from tests.engagement.test_batch_lock import busy_world, member_points

pytestmark = pytest.mark.cluster

KILL_AFTER = 5  # awards paid before the node dies (of twelve)
BATCH_DEADLINE = 30.0  # a batch that has not ended by then hangs: the client's timeouts are not bounding it


def community_node(world: BatchWorld, cluster: LocalCluster) -> Node:
    client: Any = world.store.redis
    return cluster.node_for_slot(client.keyslot(world.store.keys.prefix))


def kill_at_award(
    monkeypatch: pytest.MonkeyPatch, world: BatchWorld, node: Node, on_failure: Any = None
) -> list[RedisError]:
    """SIGKILL `node` before award KILL_AFTER + 1; the errors the awards then met are returned (filled as they come)."""
    real = world.store.award_engagement
    done, errors = 0, []

    async def award(award: Award) -> int:
        nonlocal done
        done += 1
        if done == KILL_AFTER + 1:
            node.kill()
        try:
            return await real(award)
        except RedisError as error:
            errors.append(error)
            if on_failure and len(errors) == 1:
                await on_failure()
            raise

    monkeypatch.setattr(world.store, "award_engagement", award)
    return errors


async def expect_undisturbed_result(world: BatchWorld, expected: set[Any], clock: FakeClock) -> None:
    """The next batch completes, and awards and points are those of a run nothing disturbed."""
    clock.advance(1800)
    assert (await world.run()).status == COMPLETED
    assert await world.awards() == expected
    members = {world.discord(name) for name in ("alice", "bob", "carol")}
    assert await member_points(world) == {m: sum(row[3] for row in expected if row[1] == m) for m in members}


async def test_node_back_before_the_batch_ends_records_it_failed(
    world: BatchWorld, local_cluster: LocalCluster, monkeypatch: pytest.MonkeyPatch, clock: FakeClock
) -> None:
    expected = await busy_world(world)
    node = community_node(world, local_cluster)

    async def restart() -> None:
        await asyncio.to_thread(local_cluster.restart, node)

    errors = kill_at_award(monkeypatch, world, node, restart)
    outcome = await asyncio.wait_for(world.run(), BATCH_DEADLINE)
    assert errors, "the killed node never failed a call"
    assert outcome.status == FAILED
    assert outcome.batch_id is not None
    assert (await world.store.get_batch(outcome.batch_id))["status"] == FAILED
    assert len(await world.awards()) == KILL_AFTER  # acknowledged awards survived the kill (fsync always)
    monkeypatch.undo()
    await expect_undisturbed_result(world, expected, clock)


async def test_node_down_until_after_the_batch_ends_it_without_hanging(
    world: BatchWorld, local_cluster: LocalCluster, monkeypatch: pytest.MonkeyPatch, clock: FakeClock
) -> None:
    expected = await busy_world(world)
    node = community_node(world, local_cluster)
    errors = kill_at_award(monkeypatch, world, node)
    batch = run_batch(world.store, world.x, world.settings, clock=clock, lock_ttl_ms=1500)
    try:
        outcome = await asyncio.wait_for(batch, BATCH_DEADLINE)
    except RedisError:  # nothing of the community can be written while its node is down, not even the record
        outcome = None
    assert errors
    assert outcome is None or outcome.status == FAILED
    monkeypatch.undo()
    await asyncio.to_thread(local_cluster.restart, node)
    # The dead batch's lock (on the node's disk) expires by itself; wait for that state, not for a time.
    for _ in range(int(BATCH_DEADLINE / 0.05)):
        if not await world.store.batch_running():
            break
        await asyncio.sleep(0.05)
    assert not await world.store.batch_running()
    assert len(await world.awards()) == KILL_AFTER
    await expect_undisturbed_result(world, expected, clock)
