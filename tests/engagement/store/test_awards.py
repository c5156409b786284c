from __future__ import annotations

import asyncio

import pytest
from redis.asyncio import Redis

from engagement.keys import Keys
from engagement.models import Award
from engagement.store import ALREADY_AWARDED, AWARDED, NOT_LINKED, NOT_TRACKED, Store
from tests.conftest import track

MEMBER = "111111111111111111"
OTHER = "222222222222222222"


def award(**changes: object) -> Award:
    fields: dict[str, object] = dict(
        tweet_id="1850000000000000001",
        x_user_id="2244",
        discord_id=MEMBER,
        type="retweet",
        points=4,
        tier=2,
        batch_id="1",
    )
    fields.update(changes)
    return Award(**fields)  # type: ignore[arg-type]


async def linked(store: Store) -> Store:
    await track(store, "1850000000000000001")
    await store.link_account(MEMBER, "2244", "alice", "bio", "2026-11-18T00:00:00+00:00")
    return store


async def test_award_twice_pays_once(any_store: Store) -> None:
    await linked(any_store)
    assert await any_store.award_engagement(award()) == AWARDED
    assert await any_store.award_engagement(award()) == ALREADY_AWARDED
    member = await any_store.get_connection(MEMBER)
    assert member is not None
    assert member.points == 4
    assert member.counts["retweet"] == 1
    assert await any_store.rank_and_points(MEMBER, weekly=False) == (1, 4)
    assert await any_store.rank_and_points(MEMBER, weekly=True) == (1, 4)
    logs = await any_store.recent_logs(MEMBER)
    assert [(log.type, log.points, log.tier, log.batch_id) for log in logs] == [("retweet", 4, 2, "1")]
    assert await any_store.tweet_log_ids("1850000000000000001") == [logs[0].id]


async def test_a_log_reads_back_whole_from_its_small_hash_and_its_indexes(any_store: Store) -> None:
    await linked(any_store)
    assert await any_store.award_engagement(award()) == AWARDED
    log_id = "1850000000000000001-2244-retweet"
    stored = await any_store.redis.hgetall(any_store.keys.log(log_id))
    assert stored == {"discord_id": MEMBER, "points": "4", "tier": "2", "batch_id": "1"}
    [log] = await any_store.logs_by_id([log_id])
    assert (log.tweet_id, log.type, log.awarded_at) == ("1850000000000000001", "retweet", int(any_store.now()))
    assert [log] == await any_store.recent_logs(MEMBER)


async def test_a_log_written_by_an_older_version_reads_the_same(any_store: Store) -> None:
    old_id = "1850000000000000001-2244-retweet"
    fields = {"discord_id": MEMBER, "tweet_id": "1850000000000000001", "type": "retweet", "points": "4", "tier": "2"}
    await any_store.redis.hset(any_store.keys.log(old_id), mapping={**fields, "batch_id": "1", "awarded_at": "1700"})
    await any_store.redis.zadd(any_store.keys.tweet_logs("1850000000000000001"), {old_id: 1700})
    assert await any_store.tweet_log_ids("1850000000000000001") == [old_id]
    [log] = await any_store.logs_by_id([old_id])
    assert (log.tweet_id, log.type, log.points, log.awarded_at) == ("1850000000000000001", "retweet", 4, 1700)


async def test_each_type_is_its_own_award(any_store: Store) -> None:
    await linked(any_store)
    for kind, points in (("like", 2), ("retweet", 4), ("reply", 6), ("quote", 4)):
        assert await any_store.award_engagement(award(type=kind, points=points)) == AWARDED
    member = await any_store.get_connection(MEMBER)
    assert member is not None
    assert member.points == 16


async def test_award_refused_when_account_not_linked_to_member(any_store: Store) -> None:
    await linked(any_store)
    assert await any_store.award_engagement(award(discord_id=OTHER)) == NOT_LINKED
    assert await any_store.rank_and_points(OTHER, weekly=False) == (None, 0)
    assert await any_store.get_connection(OTHER) is None


async def test_award_is_one_script_call(store: Store) -> None:
    """No crash can fall between the writes: the whole award is a single EVALSHA."""
    await linked(store)
    await store.award_engagement(award(type="like"))  # loads the script on the server
    calls: list[str] = []
    original = store.redis.execute_command

    async def spy(*args: object, **kwargs: object) -> object:
        calls.append(str(args[0]))
        return await original(*args, **kwargs)

    store.redis.execute_command = spy  # type: ignore[method-assign]
    await store.award_engagement(award())
    assert calls == ["EVALSHA"]


@pytest.mark.redis
async def test_fifty_concurrent_awards_from_separate_connections_pay_once(
    redis_url: str, real_store: Store, key_prefix: str
) -> None:
    await linked(real_store)
    clients = [Redis.from_url(redis_url, decode_responses=True) for _ in range(50)]
    stores = [Store(client, Keys(key_prefix)) for client in clients]
    try:
        results = await asyncio.gather(*(s.award_engagement(award()) for s in stores))
    finally:
        await asyncio.gather(*(client.aclose() for client in clients))
    assert sorted(results).count(AWARDED) == 1
    assert results.count(ALREADY_AWARDED) == 49
    member = await real_store.get_connection(MEMBER)
    assert member is not None
    assert member.points == 4


async def test_no_award_for_a_tweet_no_longer_tracked(store: Store) -> None:
    """An admin deleted the submission while a batch was running: nothing is paid or written."""
    await linked(store)
    await store.redis.delete(store.keys.tweet_id("1850000000000000001"))
    before = sorted(await store.redis.keys("*"))
    assert await store.award_engagement(award()) == NOT_TRACKED
    assert sorted(await store.redis.keys("*")) == before
