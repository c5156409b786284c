from __future__ import annotations

import asyncio

import pytest

from engagement.store import DuplicateSubmission, Store, SubmissionDraft, SubmissionLimitReached
from tests.conftest import FakeClock

ALICE, BOB = "111111111111111111", "222222222222222222"


def draft(tweet_id: str = "1850000000000000001", submitter: str = ALICE) -> SubmissionDraft:
    return SubmissionDraft(tweet_id, f"https://x.com/alice/status/{tweet_id}", "2244", "alice", submitter, "general")


async def test_create_writes_hash_index_and_scan_set(store: Store, clock: FakeClock) -> None:
    submission, used = await store.create_submission(draft(), daily_limit=3)
    assert used == 1
    assert await store.get_submission(submission.id) == submission
    assert await store.submission_for_tweet("1850000000000000001") == submission
    assert await store.recent_submission_ids(clock.now - 1) == [submission.id]
    assert submission.submitted_at == int(clock.now)


async def test_duplicate_names_first_submitter_and_writes_nothing(store: Store) -> None:
    await store.create_submission(draft(), daily_limit=3)
    keys_before = sorted(await store.redis.keys("*"))
    with pytest.raises(DuplicateSubmission, match=f"already submitted by <@{ALICE}>"):
        await store.create_submission(draft(submitter=BOB), daily_limit=3)
    assert sorted(await store.redis.keys("*")) == keys_before
    assert await store.daily_submissions_used(BOB) == 0


async def test_daily_limit_is_atomic_under_concurrency(real_store: Store) -> None:
    drafts = [draft(tweet_id=str(1850000000000000100 + i)) for i in range(8)]
    results = await asyncio.gather(
        *(real_store.create_submission(d, daily_limit=3) for d in drafts), return_exceptions=True
    )
    assert sum(not isinstance(r, Exception) for r in results) == 3
    assert all(isinstance(r, SubmissionLimitReached) for r in results if isinstance(r, Exception))
    assert await real_store.daily_submissions_used(ALICE) == 3


async def test_limit_resets_on_the_next_utc_day(store: Store, clock: FakeClock) -> None:
    await store.create_submission(draft("1"), daily_limit=1)
    with pytest.raises(SubmissionLimitReached):
        await store.create_submission(draft("2"), daily_limit=1)
    clock.advance(24 * 3600)
    _, used = await store.create_submission(draft("2"), daily_limit=1)
    assert used == 1


async def test_expire_from_scan_keeps_history(store: Store, clock: FakeClock) -> None:
    old, _ = await store.create_submission(draft("1"), daily_limit=5)
    clock.advance(25 * 3600)
    new, _ = await store.create_submission(draft("2"), daily_limit=5)
    assert await store.expire_from_scan(clock.now - 24 * 3600) == 1
    assert await store.recent_submission_ids(0) == [new.id]
    assert await store.get_submission(old.id) == old


async def test_a_daily_limit_of_zero_says_so(store: Store) -> None:
    with pytest.raises(SubmissionLimitReached, match=r"daily limit is 0"):
        await store.create_submission(draft(), daily_limit=0)
    assert await store.redis.keys("*") == ["test:seq:tweet"]  # only the id sequence moved


async def test_scan_state_is_not_written_into_a_deleted_submission(store: Store) -> None:
    submission, _ = await store.create_submission(draft(), daily_limit=3)
    await store.update_submission_fields(submission.id, {"seen_retweet": 3, "reply_since_id": "77"})
    assert (await store.submission_hashes([submission.id]))[0]["seen_retweet"] == "3"
    await store.redis.delete(store.keys.tweet(submission.id))
    await store.update_submission_fields(submission.id, {"seen_retweet": 4})
    assert not await store.redis.exists(store.keys.tweet(submission.id))


async def test_many_scan_state_writes_in_one_call_report_a_damaged_one_and_write_the_rest(real_store: Store) -> None:
    ids = [
        (await real_store.create_submission(draft(str(1850000000000000200 + i)), daily_limit=9))[0].id for i in range(5)
    ]
    damaged, deleted = ids[2], ids[3]
    await real_store.redis.delete(real_store.keys.tweet(damaged))
    await real_store.redis.set(real_store.keys.tweet(damaged), "oops")
    await real_store.redis.delete(real_store.keys.tweet(deleted))

    refused = await real_store.update_submissions_fields(
        {i: {"seen_reply": n, "reply_since_id": "77"} for n, i in enumerate(ids)}
    )

    assert list(refused) == [damaged]
    assert "is a string, not a hash" in refused[damaged].problem
    assert await real_store.redis.get(real_store.keys.tweet(damaged)) == "oops", "untouched"
    assert not await real_store.redis.exists(real_store.keys.tweet(deleted)), "a deleted submission stays deleted"
    hashes = await real_store.submission_hashes([ids[0], ids[1], ids[4]])
    assert [(raw["seen_reply"], raw["reply_since_id"]) for raw in hashes] == [("0", "77"), ("1", "77"), ("4", "77")]
    assert all(raw["tweet_id"] for raw in hashes), "the rest of each hash is kept"


async def test_many_scan_state_writes_with_nothing_to_write(real_store: Store) -> None:
    submission, _ = await real_store.create_submission(draft(), daily_limit=3)
    before = await real_store.submission_hashes([submission.id])
    assert await real_store.update_submissions_fields({}) == {}
    assert await real_store.update_submissions_fields({submission.id: {}}) == {}
    assert await real_store.submission_hashes([submission.id]) == before


async def test_many_submissions_at_once_refuse_only_the_drafts_the_rules_refuse(real_store: Store) -> None:
    first, _ = await real_store.create_submission(draft("1", submitter=BOB), daily_limit=5)
    drafts = [draft("2"), draft("1"), draft("3"), draft("4"), draft("5", submitter=BOB)]

    outcomes = await real_store.create_submissions(drafts, daily_limit=2)

    created = [outcome for outcome in outcomes if isinstance(outcome, tuple)]
    assert [(s.tweet_id, s.submitter_discord_id, used) for s, used in created] == [
        ("2", ALICE, 1),
        ("3", ALICE, 2),
        ("5", BOB, 2),
    ]
    assert isinstance(outcomes[1], DuplicateSubmission)
    assert outcomes[1].first == first
    assert isinstance(outcomes[3], SubmissionLimitReached)
    for submission, _ in created:
        assert await real_store.submission_for_tweet(submission.tweet_id) == submission
    assert len({s.id for s, _ in created} | {first.id}) == 4, "each its own id"
    assert await real_store.create_submissions([], daily_limit=2) == []
