"""The anti-farming records in the store, on fakeredis and a real server: refusals and reply marks written with
their TTLs, read back, and a wrong-typed key refused with nothing written."""

from __future__ import annotations

from engagement.store import Store
from engagement.store._farming import REFUSED_TTL, REPLY_MARKS_TTL, FarmingAsk, Refusal, ReplyMark
from tests.conftest import dump_keyspace, track

POST = "1850000000000000001"
OTHER = "1850000000000000002"
MEMBER = "100000000000000001"


async def test_refusals_and_marks_are_written_read_and_expire(any_store: Store) -> None:
    store = any_store
    now = store.now()
    problems = await store.save_farming(
        [Refusal(POST, "1001", "reply", "short_reply"), Refusal(POST, "1002", "retweet", "cooldown")],
        [ReplyMark(MEMBER, "ab12", OTHER, now - 60), ReplyMark(MEMBER, "cd34", POST, now - 8 * 86400)],
    )
    assert problems == []
    assert await store.refused_engagements(POST, ["1001", "1003"]) == {("1001", "reply"): "short_reply"}
    assert 0 < await store.redis.ttl(store.keys.refused(POST)) <= REFUSED_TTL
    assert 0 < await store.redis.ttl(store.keys.reply_marks(MEMBER)) <= REPLY_MARKS_TTL
    ask = FarmingAsk(POST, "reply", ["1001", "1002"], reply_members=[MEMBER], replies_since=now - 7 * 86400)
    state = await store.farming_state(ask)
    assert state.refused == {"1001": "short_reply"}
    assert state.replies == {MEMBER: [("ab12", OTHER)]}  # the week-old mark is left out (and was dropped)


async def test_the_day_counts_award_logs_only(any_store: Store) -> None:
    store = any_store
    await track(store, POST)
    now = store.now()
    logs = store.keys.user_logs(MEMBER)
    await store.redis.zadd(logs, {f"{POST}-1001-reply": now, f"{OTHER}-1001-like": now - 86400, "adj-3": now})
    day = (now - now % 86400, now - now % 86400 + 86400)
    state = await store.farming_state(FarmingAsk(POST, "reply", ["1001"], day, day_members=[MEMBER]))
    assert state.day_awards == {MEMBER: 1}
    assert state.awarded == set()


async def test_a_wrong_typed_key_is_refused_and_nothing_written(any_store: Store) -> None:
    store = any_store
    await store.redis.set(store.keys.refused(POST), "not a hash")
    await store.redis.set(store.keys.reply_marks(MEMBER), "not a zset")
    before = await dump_keyspace(store.redis, f"{store.keys.prefix}:*")
    problems = await store.save_farming(
        [Refusal(POST, "1001", "reply", "short_reply")], [ReplyMark(MEMBER, "ab12", POST, store.now())]
    )
    assert len(problems) == 2
    assert all("not a" in problem for problem in problems), problems
    assert await dump_keyspace(store.redis, f"{store.keys.prefix}:*") == before
    assert await store.redis.ttl(store.keys.refused(POST)) == -1  # not even a TTL was set
    state = await store.farming_state(FarmingAsk(POST, "reply", ["1001"], reply_members=[MEMBER]))
    assert "is not a hash" in str(state.refused)
    assert "is not a sorted set" in str(state.replies[MEMBER])
