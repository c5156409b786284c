"""Every store write that touches several keys is all or nothing, whatever one of its keys holds.

For each write, every key it touches is damaged in every way (`_damage.damage_cases`), one at a
time, on a real server (Lua there is what production runs). The write must then either go through
with all its changes or refuse with a typed error and change nothing; a raw Redis error, or a
write that stops halfway, fails the test.
"""

from __future__ import annotations

from typing import Any

import pytest

from engagement.models import Award, Submission, SubmissionDraft
from engagement.store import AWARDED, Store
from engagement.store._admin import AwardsSeen
from tests.conftest import dump_keyspace, track
from tests.engagement.store._damage import Write, clear, damage_cases, healthy_run, run_damaged

pytestmark = pytest.mark.redis

ALICE, BOB, CAROL, ADMIN = "111111111111111111", "222222222222222222", "333333333333333333", "999"
TWEET, OTHER_TWEET = "1850000000000000001", "1850000000000000002"
AT = "2026-11-18T00:00:00+00:00"


def _award(member: str, x_user: str, kind: str = "reply", tweet: str = TWEET, past: tuple[str, ...] = ()) -> Award:
    return Award(tweet, x_user, member, kind, 3, 1, "7", past)


async def _members(store: Store) -> None:
    """Alice (X 10, earlier X 11) and Bob (X 20) linked, each with every counter, on both boards."""
    await store.link_account(ALICE, "11", "alice_old", "bio", AT)
    await store.link_account(ALICE, "10", "alice", "bio", AT)
    await store.link_account(BOB, "20", "bob", "bio", AT)
    await track(store, TWEET, OTHER_TWEET)
    for member, x_user in ((ALICE, "10"), (BOB, "20")):
        for kind in ("like", "retweet", "quote"):
            assert await store.award_engagement(_award(member, x_user, kind, OTHER_TWEET)) == AWARDED


async def _members_on_threads(store: Store) -> None:
    """The members, and Alice's Threads account linked beside her X one."""
    await _members(store)
    await store.link_threads_account(ALICE, "31", "alice.threads", AT)


async def _members_and_untracked_tweet(store: Store) -> None:
    await _members(store)
    await store.redis.delete(store.keys.tweet_id(TWEET))


async def _submitted(store: Store) -> Submission:
    draft = SubmissionDraft(TWEET, f"https://x.com/carol/status/{TWEET}", "30", "carol", CAROL, "general")
    await store.redis.delete(store.keys.tweet_id(TWEET))
    submission, _ = await store.create_submission(draft, daily_limit=5)
    return submission


async def _awarded_submission(store: Store) -> None:
    await _members(store)
    await _submitted(store)
    for member, x_user in ((ALICE, "10"), (BOB, "20")):
        assert await store.award_engagement(_award(member, x_user)) == AWARDED


async def _delete_with_revoke(store: Store) -> Any:
    submission = await store.submission_for_tweet(TWEET)
    if submission is None:
        submission = Submission(TWEET, "u", "30", "carol", CAROL, "general", "1", 0)
    ids = await store.tweet_log_ids(TWEET)
    seen = AwardsSeen(len(ids), [log for log in await store.logs_by_id(ids) if log.discord_id.isdigit()])
    return await store.delete_submission(ADMIN, submission, seen, revoke=True, reason="spam")


def _draft() -> SubmissionDraft:
    return SubmissionDraft(TWEET, f"https://x.com/carol/status/{TWEET}", "30", "carol", CAROL, "general")


async def _nothing(store: Store) -> None:
    await store.set_config_value(ADMIN, "categories", "general")  # an audit stream and a config hash to damage


async def _alert_sent_before(store: Store) -> None:
    await store.queue_alert("batch_failed", "{}", interval=1)
    store._clock.advance(10)  # type: ignore[attr-defined]


def _always(_: Any) -> bool:
    return True


WRITES = [
    Write("award", _members, lambda s: s.award_engagement(_award(ALICE, "10")), lambda r: r == AWARDED),
    Write(
        "award through a past account's guard",
        _members,
        lambda s: s.award_engagement(_award(ALICE, "10", past=("11",))),
        lambda r: r == AWARDED,
    ),
    Write("delete and revoke", _awarded_submission, _delete_with_revoke, lambda r: r is not None and r.found),
    Write("points adjustment", _members, lambda s: s.adjust_points(ADMIN, ALICE, 50, "bonus"), lambda r: r is not None),
    Write("set tier", _members, lambda s: s.set_tier(ADMIN, BOB, 3), lambda r: r is not None),
    Write("relink", _members, lambda s: s.link_account(BOB, "21", "bob_new", "bio", AT), _always),
    Write("unlink", _members, lambda s: s.unlink_account(ALICE), lambda r: r is not None),
    Write("threads link", _members, lambda s: s.link_threads_account(BOB, "41", "bob.threads", AT), _always),
    Write("threads relink", _members_on_threads, lambda s: s.link_threads_account(ALICE, "32", "alice2", AT), _always),
    Write("threads unlink", _members_on_threads, lambda s: s.unlink_threads_account(ALICE), lambda r: r is not None),
    Write("submit", _members_and_untracked_tweet, lambda s: s.create_submission(_draft(), daily_limit=5), _always),
    Write(
        "scan state",
        _awarded_submission,
        lambda s: s.update_submission_fields("1", {"seen_reply": 4, "since_reply": "1850000000000000009"}),
        bool,
    ),
    Write(
        "scan state, many at once",
        _awarded_submission,
        lambda s: s.update_submissions_fields({"1": {"seen_reply": 4, "since_reply": "1850000000000000009"}}),
        lambda r: r == {},
    ),
    Write("config", _nothing, lambda s: s.set_config_value(ADMIN, "daily_limit_tier1", "4"), _always),
    Write("manual batch", _nothing, lambda s: s.request_batch_run(ADMIN), lambda r: r == "ok"),
    Write("rule", _nothing, lambda s: s.set_rule(ADMIN, 2, "reply", 7, 6), _always),
    Write("rules reset", _nothing, lambda s: s.reset_rules(ADMIN), _always),
    Write("alert", _alert_sent_before, lambda s: s.queue_alert("batch_failed", '{"a": 1}', interval=1), bool),
    Write("batch record", _nothing, lambda s: s.start_batch({"started_at": 1795000000, "worker": "w"}), _always),
]


@pytest.mark.parametrize("write", WRITES, ids=[write.name for write in WRITES])
async def test_one_damaged_key_leaves_a_write_whole_or_untouched(real_store: Store, write: Write) -> None:
    given, healthy_changes = await healthy_run(real_store, write)
    await _reset(real_store, write)
    healthy_state = await dump_keyspace(real_store.redis, f"{real_store.keys.prefix}:*")
    tried = 0
    for key in sorted(given | healthy_changes):
        for damage in damage_cases(key, healthy_state.get(key)):
            went_through, changed = await run_damaged(real_store, write, damage)
            where = f"{write.name}, {damage.key} {damage.how}"
            if went_through:  # all of it; a missing key may leave less to do (no old link to undo, say)
                assert changed - healthy_changes <= {damage.key}, f"{where}: went through but changed {changed}"
                if damage.how != "missing":
                    assert healthy_changes - changed <= {damage.key}, f"{where}: went through, changed only {changed}"
            else:
                assert changed == set(), f"{where}: refused but changed {sorted(changed)}"
            tried += 1
    assert tried >= 5  # the world really had keys to damage


async def _reset(store: Store, write: Write) -> None:
    await clear(store)
    await write.setup(store)
