from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from engagement.errors import DamagedData, InvalidInput, NotConnected, Refused
from engagement.services import Services
from engagement.settings import load_settings
from engagement.store import DuplicateSubmission, Store, SubmissionLimitReached
from engagement.submissions import ATTEMPTS_PER_WINDOW, matching_categories, pick_category, submit_tweet
from engagement.x.errors import XUnavailable
from engagement.x.models import Tweet, TweetLookup
from sandbox.fake_x import FakeX
from tests.conftest import START, FakeClock
from tests.fakes.discord_fixtures import Keyspace

ALICE = "111111111111111111"
BOB = "222222222222222222"


@pytest.fixture
async def alice_x(services: Services, store: Store, fake_x: FakeX) -> str:
    """Alice's X account, linked to her Discord id (as a finished /connect leaves it)."""
    x_id = fake_x.add_user("Alice")
    await store.link_account(ALICE, x_id, "alice", "bio", services.now().isoformat())
    return x_id


def post(fake_x: FakeX, services: Services, author: str, hours_ago: float = 1) -> str:
    return fake_x.add_tweet(author, "gm, engage please", created_at=services.now() - timedelta(hours=hours_ago))


async def test_own_recent_tweet_is_stored(services: Services, store: Store, fake_x: FakeX, alice_x: str) -> None:
    tweet_id = post(fake_x, services, alice_x)
    result = await submit_tweet(services, ALICE, f"https://twitter.com/Alice/status/{tweet_id}?s=20", "Meme")
    submission = result.submission
    assert submission.url == f"https://x.com/Alice/status/{tweet_id}"
    assert (submission.tweet_id, submission.author_x_id, submission.author_handle) == (tweet_id, alice_x, "alice")
    assert (submission.category, submission.submitter_discord_id) == ("meme", ALICE)
    assert (result.used_today, result.daily_limit, result.remaining_today) == (1, 2, 1)
    assert await store.submission_for_tweet(tweet_id) == submission
    assert await store.recent_submission_ids(0) == [submission.id]


async def test_category_defaults_to_the_first_configured(services: Services, fake_x: FakeX, alice_x: str) -> None:
    result = await submit_tweet(services, ALICE, f"x.com/alice/status/{post(fake_x, services, alice_x)}")
    assert result.submission.category == "general"


def test_categories_for_autocomplete() -> None:
    settings = load_settings(_env_file=None, categories="meme,art,thread")
    assert matching_categories(settings, "") == ["meme", "art", "thread"]
    assert matching_categories(settings, "T") == ["thread", "art"]  # starts with, then contains
    assert matching_categories(settings, "zzz") == []
    assert pick_category(settings, " THREAD ") == "thread"
    assert pick_category(settings, None) == "meme"


def attempts_apart(dump: dict[str, Any]) -> tuple[dict[str, Any], int]:
    """A keyspace dump without the /submit throttle's lists, and how many attempts those lists hold."""
    attempts = {key: value for key, value in dump.items() if ":attempts:submit:" in key}
    rest = {key: value for key, value in dump.items() if key not in attempts}
    return rest, sum(len(values) for _, values in attempts.values())


async def refused(
    services: Services, keyspace: Keyspace, fake_x: FakeX, url: str, error: type[Exception], match: str, **kw: str
) -> int:
    """Submit expecting a refusal; asserts nothing but the attempt was written; returns how many X requests it made."""
    before, attempts = attempts_apart(await keyspace())
    fake_x.reset_counts()
    with pytest.raises(error, match=match):
        await submit_tweet(services, kw.get("member", ALICE), url, kw.get("category"))
    assert attempts_apart(await keyspace()) == (before, attempts + 1)
    return sum(fake_x.request_counts.values())


async def test_unknown_category(services: Services, keyspace: Keyspace, fake_x: FakeX, alice_x: str) -> None:
    url = f"https://x.com/alice/status/{post(fake_x, services, alice_x)}"
    assert await refused(services, keyspace, fake_x, url, InvalidInput, "Unknown category", category="spam") == 0


async def test_not_connected(services: Services, keyspace: Keyspace, fake_x: FakeX) -> None:
    url = "https://x.com/alice/status/1850123456789012345"
    assert await refused(services, keyspace, fake_x, url, NotConnected, "/connect", member=BOB) == 0


@pytest.mark.parametrize(
    "url", ["hello", "https://x.com/alice", "https://x.com/i/spaces/1abc", "https://e.com/a/status/1"]
)
async def test_not_a_tweet_link(services: Services, keyspace: Keyspace, fake_x: FakeX, alice_x: str, url: str) -> None:
    assert await refused(services, keyspace, fake_x, url, InvalidInput, "link") == 0


async def test_missing_and_deleted_tweets(services: Services, keyspace: Keyspace, fake_x: FakeX, alice_x: str) -> None:
    deleted = post(fake_x, services, alice_x)
    fake_x.delete_tweet(deleted)
    for tweet_id in (deleted, "1850123456789012345"):
        url = f"https://x.com/alice/status/{tweet_id}"
        assert await refused(services, keyspace, fake_x, url, Refused, "does not exist") == 1


async def test_someone_elses_tweet(services: Services, keyspace: Keyspace, fake_x: FakeX, alice_x: str) -> None:
    url = f"https://x.com/bob/status/{post(fake_x, services, fake_x.add_user('bob'))}"
    await refused(services, keyspace, fake_x, url, Refused, "by @bob, not by your connected account @alice")


async def test_too_old_tweet(services: Services, keyspace: Keyspace, fake_x: FakeX, alice_x: str) -> None:
    url = f"https://x.com/alice/status/{post(fake_x, services, alice_x, hours_ago=25)}"
    await refused(services, keyspace, fake_x, url, Refused, "25 hours old")


async def test_duplicate_names_the_first_submitter(
    services: Services, keyspace: Keyspace, fake_x: FakeX, alice_x: str
) -> None:
    url = f"https://x.com/alice/status/{post(fake_x, services, alice_x)}"
    await submit_tweet(services, ALICE, url)
    assert await refused(services, keyspace, fake_x, url, DuplicateSubmission, f"already submitted by <@{ALICE}>") == 0


async def test_daily_limit_by_tier_resets_next_utc_day(
    services: Services, store: Store, keyspace: Keyspace, fake_x: FakeX, alice_x: str, clock: FakeClock
) -> None:
    for _ in range(2):
        await submit_tweet(services, ALICE, f"https://x.com/alice/status/{post(fake_x, services, alice_x)}")
    url = f"https://x.com/alice/status/{post(fake_x, services, alice_x)}"
    assert await refused(services, keyspace, fake_x, url, SubmissionLimitReached, "all 2 of today's") == 0
    await store.set_tier(BOB, ALICE, 2)  # tier 2 allows 3 a day
    assert (await submit_tweet(services, ALICE, url)).remaining_today == 0
    clock.advance(24 * 3600)
    fresh = await submit_tweet(services, ALICE, f"https://x.com/alice/status/{post(fake_x, services, alice_x)}")
    assert fresh.used_today == 1


async def test_x_unavailable_writes_nothing(
    services: Services, keyspace: Keyspace, fake_x: FakeX, alice_x: str
) -> None:
    url = f"https://x.com/alice/status/{post(fake_x, services, alice_x)}"
    fake_x.inject_fault("tweets_lookup", "500", times=3)
    await refused(services, keyspace, fake_x, url, XUnavailable, ".")


async def test_own_repost_of_someone_elses_tweet(
    services: Services, keyspace: Keyspace, fake_x: FakeX, alice_x: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """X lists a repost under the reposter's account, but its words are someone else's: not submittable."""
    original = post(fake_x, services, fake_x.add_user("bob"))
    repost_id = str(int(original) + 1)
    repost = Tweet(
        repost_id, alice_x, "alice", "RT @bob: gm, engage please", repost_id, services.now(), reposted_id=original
    )

    async def lookup(ids: list[str], **_: object) -> TweetLookup:
        return TweetLookup(found={repost_id: repost} if repost_id in ids else {}, gone=frozenset())

    monkeypatch.setattr(services.x, "lookup_tweets", lookup)
    url = f"https://x.com/alice/status/{repost_id}"
    await refused(services, keyspace, fake_x, url, Refused, "is a repost")


@pytest.mark.parametrize("tweet_id", ["12345678901234567890", str(2**63)], ids=["20 digits", "2**63"])
async def test_ids_x_cannot_have_are_refused_before_any_x_call(
    services: Services, keyspace: Keyspace, fake_x: FakeX, alice_x: str, tweet_id: str
) -> None:
    url = f"https://x.com/alice/status/{tweet_id}"
    assert await refused(services, keyspace, fake_x, url, InvalidInput, "at most 19 digits") == 0


async def test_the_largest_x_id_is_looked_up(
    services: Services, keyspace: Keyspace, fake_x: FakeX, alice_x: str
) -> None:
    url = f"https://x.com/alice/status/{2**63 - 1}"
    assert await refused(services, keyspace, fake_x, url, Refused, "does not exist") == 1


async def test_attempts_are_throttled_refusals_included(
    services: Services, keyspace: Keyspace, fake_x: FakeX, alice_x: str, clock: FakeClock
) -> None:
    for _ in range(ATTEMPTS_PER_WINDOW - 1):
        await refused(services, keyspace, fake_x, "not a link", InvalidInput, "post link")
        clock.advance(30)
    good = f"https://x.com/alice/status/{post(fake_x, services, alice_x)}"
    await submit_tweet(services, ALICE, good)  # the 10th attempt, 4.5 minutes after the first
    clock.advance(30)
    before = await keyspace()
    fake_x.reset_counts()
    another = f"https://x.com/alice/status/{post(fake_x, services, alice_x)}"
    with pytest.raises(Refused, match=r"tried /submit 10 times in the last 10 minutes\. Please try again in 5 minutes"):
        await submit_tweet(services, ALICE, another)
    assert sum(fake_x.request_counts.values()) == 0  # refused before the X lookup
    assert await keyspace() == before  # a refused-by-throttle attempt does not push the window further out
    with pytest.raises(NotConnected):  # per member: Bob's attempt goes on to the usual checks
        await submit_tweet(services, BOB, another)
    clock.advance(5 * 60 - 60)  # 1 minute before the first attempt leaves the window
    with pytest.raises(Refused, match=r"Please try again in 1 minute\."):
        await submit_tweet(services, ALICE, another)
    clock.advance(60)
    assert (await submit_tweet(services, ALICE, another)).submission.tweet_id == another.rsplit("/", 1)[1]


async def test_the_attempt_window_slides_on_both_stores(any_store: Store, clock: FakeClock) -> None:
    for _ in range(3):
        assert await any_store.count_submit_attempt(ALICE, 3, 600) is None
        clock.advance(100)
    assert await any_store.count_submit_attempt(ALICE, 3, 600) == START + 600  # the first attempt leaves then
    clock.advance(300)  # 600 s after the first
    assert await any_store.count_submit_attempt(ALICE, 3, 600) is None
    assert await any_store.redis.lrange(any_store.keys.submit_attempts(ALICE), 0, -1) == [
        repr(START + 100),
        repr(START + 200),
        repr(START + 600),
    ]
    assert 0 < await any_store.redis.ttl(any_store.keys.submit_attempts(ALICE)) <= 600


async def test_a_damaged_attempts_key_refuses_and_is_left_alone(any_store: Store) -> None:
    key = any_store.keys.submit_attempts(ALICE)
    await any_store.redis.set(key, "oops")
    with pytest.raises(DamagedData, match="is a string, not a list"):
        await any_store.count_submit_attempt(ALICE, 3, 600)
    assert await any_store.redis.get(key) == "oops"
