"""Every Lua script the store has, run on the cluster under the hash-tagged prefix: no CROSSSLOT, same results."""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

import pytest
from redis.asyncio import Redis

import engagement.store
from engagement.keys import Keys, hash_tagged
from engagement.models import Award
from engagement.store import SnapshotWrite, Store, SubmissionDraft
from engagement.store._admin import AwardsSeen
from engagement.store._farming import Refusal, ReplyMark
from engagement.store._shop import NewReward
from tests.conftest import FakeClock, dump_keyspace

pytestmark = [pytest.mark.cluster, pytest.mark.redis]


def every_script() -> dict[str, str]:
    """Each module-level `*_LUA` constant of the store package, by `module.NAME`."""
    found = {}
    for module_info in pkgutil.iter_modules(engagement.store.__path__):
        module = importlib.import_module(f"engagement.store.{module_info.name}")
        for name, value in vars(module).items():
            if name.endswith("_LUA") and isinstance(value, str):
                found[f"{module_info.name}.{name}"] = value
    return found


def draft(tweet_id: str, member: str) -> SubmissionDraft:
    return SubmissionDraft(tweet_id, f"https://x.com/a/status/{tweet_id}", "7001", "alice", member, "general")


async def exercise(store: Store) -> list[Any]:
    """Call every store method that runs a script (and the pipelined and multi-key reads), collecting replies."""
    out: list[Any] = []
    out.append(await store.link_account("101", "7001", "alice", "bio", "2026-11-18T00:00:00+00:00"))
    out.append(await store.link_account("102", "7002", "bob", "bio", "2026-11-18T00:00:00+00:00"))
    out.append(await store.set_tier("1", "102", 2))
    out.append(await store.create_submission(draft("5001", "101"), daily_limit=10))
    created = await store.create_submissions([draft("5002", "101"), draft("5001", "102")], daily_limit=10)
    out.append([repr(item) if isinstance(item, Exception) else item for item in created])  # errors compare by text
    out.append(await store.update_submission_fields("1", {"last_likes": 3}))
    out.append(await store.update_submissions_fields({"1": {"since": "9"}, "2": {"since": "8"}, "99": {"a": 1}}))
    award = Award("5001", "7002", "102", "retweet", 4, 2, "1")
    out += [await store.award_engagement(award), await store.award_engagement(award)]
    out.append(await store.award_engagement(Award("5002", "7002", "102", "reply", 6, 2, "1")))
    out.append(await store.adjust_points("1", "101", 5, "bonus"))
    out.append(await store.set_config_value("1", "daily_limit_tier1", "4"))
    out.append(await store.set_rule("1", 2, "retweet", 10, 4))
    out.append(await store.reset_rules("1"))
    out.append(await store.rule_overrides())
    out.append(await store.count_submit_attempt("101", limit=2, window=60))
    out.append(await store.queue_alert("lag", '{"a": 1}', 60))
    out.append(await store.queue_alert("lag", '{"a": 2}', 60))
    out.append(await store.pop_alert())
    out.append(await store.acquire_batch_lock("token", 60_000))
    out.append(await store.request_batch_run("1"))
    out += [await store.renew_batch_lock("token", 60_000), await store.release_batch_lock("token")]
    out.append(await store.request_batch_run("1"))
    out.append(await store.take_batch_requests())
    out.append(batch_id := await store.start_batch({"started_at": int(store.now()), "worker": "w:1"}))
    out.append(await store.mark_interrupted("0", store.now()))
    out.append(await store.batch_ids_page(0, 10))
    out.append(await store.lock_x_token("7001", "holder", 60_000))
    out.append(await store.replace_x_token_if_locked("7001", "holder", {"status": "ok", "expires_at": 1}))
    out.append(await store.replace_x_token_if_locked("7001", "someone-else", {"status": "lost"}))
    await store.unlock_x_token("7001", "holder")
    out.append(await store.x_token_record("7001"))
    await store.replace_carry_over({"1": {"lookup": 1}})
    out.append(await store.carry_over())
    out.append(await store.link_threads_account("103", "8001", "carol.t", "2026-11-18T00:00:00+00:00"))
    out.append(await store.link_threads_account("103", "8002", "carol2.t", "2026-11-18T00:00:00+00:00"))
    out.append(await store.unlink_threads_account("103"))
    out.append(await store.members_for_x_users(["7001", "7002", "7003", "threads:carol.t"]))
    out.append(await store.member_ids())
    out.append(await store.submissions_on_day(store.utc_day()))
    out.append(await store.points_by_tweet(["5001", "5002"]))
    out.append(await store.logs_by_id(await store.tweet_log_ids("5001")))
    out.append(await store.board_rows(None))
    out += await exercise_analytics_and_seasons(store)
    out += await exercise_shop(store)
    refusal = Refusal("5002", "7002", "reply", "min_reply_chars")
    out.append(await store.save_farming([refusal], [ReplyMark("102", "abc123", "5001", 1_795_000_000.0)]))
    out.append(await store.refused_engagements("5002", ["7002"]))
    logs = await store.logs_by_id(await store.tweet_log_ids("5002"))
    submission = await store.get_submission("2")
    assert submission is not None
    out.append(await store.delete_submission("1", submission, AwardsSeen(len(logs), logs), revoke=True, reason="x"))
    out += [await store.end_named("campaign", "1", "1"), await store.end_named("season", "1", "1")]
    out.append(await store.unlink_account("102"))
    out.append(await store.trim_batch_history(0))
    out.append(await store.get_batch(batch_id))
    out.append([{k: v for k, v in entry.items() if k != "at"} for entry in await store.audit_entries(50)])
    return out


async def exercise_analytics_and_seasons(store: Store) -> list[Any]:
    """Snapshots and reports; a season, a team and a campaign, and an award counted in all three."""
    out: list[Any] = [await store.append_snapshots([SnapshotWrite("1", 1.0, "m1", "m1|100,1,0,0,0,0,100")])]
    out += [await store.save_report("2026-W48", '{"week": "2026-W48"}'), await store.pop_report()]
    ends = {"start": 0, "end": 1_900_000_000}
    out.append(await store.create_named("season", "S1", {**ends, "reward_zone": 3}, 0, "1", "s"))
    out.append(await store.create_named("team", "Red", {}, 0, "1", "Red"))
    out.append(await store.set_member_team("102", "1", "1", audited=True))
    campaign = {**ends, "multiplier": "2", "match": "posts", "value": ""}
    out.append(await store.create_named("campaign", "C1", campaign, 0, "1", "c"))
    out.append(await store.add_campaign_post("1", "5002", "1"))
    award = Award("5002", "7002", "102", "quote", 8, 2, "1", season_id="1", campaign_ids=("1",), multiplier="2")
    out.append(await store.award_engagement(award))
    return out


async def exercise_shop(store: Store) -> list[Any]:
    """A reward listed and restocked, one request redeemed twice, a redemption fulfilled and one refused, retired."""
    out: list[Any] = [await store.add_reward("1", NewReward("Hoodie", "", 2, 3, 2, None), "hoodie")]
    out.append(await store.set_reward_stock("1", "1", 5))
    out += [await store.redeem("101", "1", request) for request in ("9001", "9001", "9002")]
    out.append(await store.decide_redemption("1", await store.redemption_by_number("1"), "fulfilled", ""))
    out.append(await store.decide_redemption("1", await store.redemption_by_number("2"), "refused", "no"))
    out.append(await store.retire_reward("1", "1", "hoodie"))
    return out


def comparable(dump: dict[str, Any], prefix: str) -> dict[str, Any]:
    """A keyspace dump with the prefix cut off and stream entry ids (times) left out."""
    plain = {}
    for key, (kind, value) in dump.items():
        if kind == "stream":
            value = [{k: v for k, v in fields.items() if k != "at"} for _, fields in value]
        plain[key.removeprefix(prefix)] = (kind, value)
    return plain


@pytest.fixture
def server_store(real_redis: Redis, key_prefix: str) -> Store:
    """The same test's data on the single server (`real_redis`), under the plain prefix."""
    return Store(real_redis, Keys(key_prefix), clock=FakeClock())


async def test_every_script_runs_on_the_cluster_as_on_one_server(
    cluster_store: Store, server_store: Store, key_prefix: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert cluster_store.keys.prefix == hash_tagged(key_prefix) == "{" + key_prefix + "}"
    ran: set[str] = set()
    real_script = cluster_store.script

    def spy(lua: str) -> Any:
        ran.add(lua)
        return real_script(lua)

    monkeypatch.setattr(cluster_store, "script", spy)
    on_cluster = await exercise(cluster_store)
    assert await exercise(server_store) == on_cluster
    missing = [name for name, lua in every_script().items() if lua not in ran]
    assert not missing, f"scripts this test never ran on the cluster: {missing}"
    cluster_dump = await dump_keyspace(cluster_store.redis, f"{cluster_store.keys.prefix}:*")  # type: ignore[arg-type]
    server_dump = await dump_keyspace(server_store.redis, f"{key_prefix}:*")  # type: ignore[arg-type]
    assert cluster_dump
    assert comparable(cluster_dump, cluster_store.keys.prefix) == comparable(server_dump, key_prefix)


async def test_every_key_of_a_community_is_in_its_prefix_slot(cluster_store: Store) -> None:
    await exercise(cluster_store)
    client: Any = cluster_store.redis
    keys = [key async for key in client.scan_iter(match=f"{cluster_store.keys.prefix}:*")]
    assert len(keys) > 20
    assert {client.keyslot(key) for key in keys} == {client.keyslot(cluster_store.keys.prefix)}
