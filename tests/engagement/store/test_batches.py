from __future__ import annotations

import asyncio

from engagement.store import MemberForAward, Store
from tests.conftest import FakeClock


async def test_lock_is_exclusive_and_only_its_holder_renews_or_releases(any_store: Store) -> None:
    assert await any_store.acquire_batch_lock("mine", 10_000)
    assert not await any_store.acquire_batch_lock("theirs", 10_000)
    assert not await any_store.renew_batch_lock("theirs", 10_000)
    assert not await any_store.release_batch_lock("theirs")
    assert await any_store.renew_batch_lock("mine", 20_000)
    assert 10_000 < await any_store.redis.pttl(any_store.keys.batch_lock()) <= 20_000
    assert await any_store.release_batch_lock("mine")
    assert await any_store.acquire_batch_lock("theirs", 10_000)


async def test_lock_expires_without_renewal(real_store: Store) -> None:
    assert await real_store.acquire_batch_lock("dead worker", 50)
    await asyncio.sleep(0.1)
    assert not await real_store.renew_batch_lock("dead worker", 10_000)
    assert await real_store.acquire_batch_lock("next worker", 10_000)


async def test_batch_record_is_indexed_and_stale_running_is_interrupted(store: Store, clock: FakeClock) -> None:
    first = await store.start_batch({"started_at": int(clock.now), "worker": "a:1"})
    clock.advance(60)
    second = await store.start_batch({"started_at": int(clock.now), "worker": "b:2"})
    await store.update_batch(second, {"status": "completed"})
    third = await store.start_batch({"started_at": int(clock.now + 1), "worker": "c:3"})
    assert await store.recent_batch_ids(10) == [third, second, first]
    assert await store.mark_interrupted(third, clock.now) == [first]
    assert (await store.get_batch(first))["status"] == "interrupted"
    assert (await store.get_batch(second))["status"] == "completed"
    assert (await store.get_batch(third))["status"] == "running"


async def test_trim_history_keeps_the_newest(store: Store, clock: FakeClock) -> None:
    ids = []
    for _ in range(5):
        clock.advance(1)
        ids.append(await store.start_batch({"started_at": clock.now}))
    assert await store.trim_batch_history(keep=2) == 3
    assert await store.recent_batch_ids(10) == [ids[4], ids[3]]
    assert await store.get_batch(ids[0]) == {}


async def test_carry_over_add_and_replace(store: Store) -> None:
    await store.add_carry_over({"1": {"lookup": 0}, "2": {"retweet": 1, "reply": 0}})
    await store.add_carry_over({"3": {"quote": 2}})
    assert await store.carry_over() == {"1": {"lookup": 0}, "2": {"retweet": 1, "reply": 0}, "3": {"quote": 2}}
    await store.replace_carry_over({"2": {"reply": 0}})
    assert await store.carry_over() == {"2": {"reply": 0}}
    await store.replace_carry_over({})
    assert await store.carry_over() == {}


async def test_damaged_carry_over_entry_reads_as_no_work(store: Store) -> None:
    mapping = {"1": "not json", "2": '["retweet"]', "3": '{"retweet": "x", "reply": 1}'}
    await store.redis.hset(store.keys.batch_carryover(), mapping=mapping)
    assert await store.carry_over() == {"1": {}, "2": {}, "3": {"reply": 1}}


async def test_members_for_awards_read_tier_and_past_accounts_from_the_connection_hash(store: Store) -> None:
    await store.link_account("111", "10", "alice", "bio", "2026-11-18T00:00:00+00:00")
    await store.link_account("222", "20", "bob", "bio", "2026-11-18T00:00:00+00:00")
    assert await store.set_tier("999", "222", 3) == 1
    await store.link_account("222", "21", "bob2", "bio", "2026-11-18T00:00:00+00:00")
    assert await store.members_for_awards(["111", "222"]) == {
        "111": MemberForAward(1, ()),
        "222": MemberForAward(3, ("20",)),
    }


async def test_manual_requests_are_taken_all_at_once(store: Store) -> None:
    assert await store.take_batch_requests() == []
    await store.request_batch("111")
    await store.request_batch("222")
    assert await store.take_batch_requests() == ["111", "222"]
    assert await store.take_batch_requests() == []
