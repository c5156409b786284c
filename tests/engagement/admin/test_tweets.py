from __future__ import annotations

import pytest

from engagement.admin import delete_tweet, list_tweets
from engagement.admin._tweets import TWEETS_PAGE_SIZE
from engagement.errors import InvalidInput, Refused
from engagement.models import Award
from engagement.store import ALREADY_AWARDED, Store
from engagement.store._admin import AwardsSeen
from tests.conftest import FakeClock
from tests.engagement.admin.world import ADMIN, ALICE, BOB, CAROL, X_IDS, award, connect, keyspace, submit

TWEET = "1850000000000000001"
WEEK = 7 * 24 * 3600


async def test_list_is_newest_first_with_metrics_points_and_pages(store: Store, clock: FakeClock) -> None:
    await connect(store, ALICE)
    await connect(store, BOB)
    for n in range(TWEETS_PAGE_SIZE + 3):
        await submit(store, ALICE, str(1850000000000000100 + n), category="art" if n % 2 else "general")
        clock.advance(60)
    newest = str(1850000000000000100 + TWEETS_PAGE_SIZE + 2)
    await award(store, newest, BOB, "retweet", 2)
    await award(store, newest, BOB, "reply", 3)
    await store.update_submission_fields(str(TWEETS_PAGE_SIZE + 3), {"like_count": 7, "repost_count": 1})

    first = await list_tweets(store)
    assert (first.page, first.pages, first.total) == (1, 2, TWEETS_PAGE_SIZE + 3)
    assert first.rows[0].submission.tweet_id == newest
    top = first.rows[0]
    assert (top.awards, top.points, top.metrics) == (2, 5, {"like_count": 7, "repost_count": 1})
    assert top.tracking
    second = await list_tweets(store, page=2)
    assert len(second.rows) == 3
    assert second.rows[-1].submission.tweet_id == "1850000000000000100"
    assert (await list_tweets(store, page=99)).page == 2  # past the end shows the last page

    art = await list_tweets(store, category=" ART ")
    assert art.category == "art"
    assert art.total == (TWEETS_PAGE_SIZE + 3) // 2
    assert {row.submission.category for row in art.rows} == {"art"}


@pytest.mark.parametrize("page", [0, -1, "2", True, 100_001])
async def test_bad_page_is_refused(store: Store, page: object) -> None:
    with pytest.raises(InvalidInput):
        await list_tweets(store, page=page)


async def test_bad_category_is_refused(store: Store) -> None:
    with pytest.raises(InvalidInput):
        await list_tweets(store, category="no spaces!")


async def _two_awards(store: Store) -> None:
    await connect(store, ALICE)
    await connect(store, BOB, tier=2)
    await connect(store, CAROL)
    await submit(store, ALICE, TWEET)
    await award(store, TWEET, BOB, "retweet", 4, tier=2)
    await award(store, TWEET, CAROL, "reply", 3)


async def test_delete_keeps_points_unless_revoked(any_store: Store) -> None:
    await _two_awards(any_store)
    result = await delete_tweet(any_store, ADMIN, f"https://x.com/alice/status/{TWEET}", reason="off topic")
    assert (result.revoked, result.revoked_awards, result.submission.tweet_id) == (False, 0, TWEET)
    assert await any_store.submission_for_tweet(TWEET) is None
    assert await any_store.recent_submission_ids(0) == []
    assert (await list_tweets(any_store)).total == 0
    assert await any_store.rank_and_points(BOB, weekly=False) == (1, 4)
    entry = (await any_store.audit_entries(1))[0]
    assert (entry["action"], entry["actor"], entry["target"], entry["new"], entry["reason"]) == (
        "tweet-delete",
        ADMIN,
        TWEET,
        "deleted",
        "off topic",
    )
    assert entry["old"].startswith(f"https://x.com/alice/status/{TWEET}")


async def test_revoke_reverses_every_award_atomically(any_store: Store) -> None:
    await _two_awards(any_store)
    result = await delete_tweet(any_store, ADMIN, TWEET, revoke=True)
    assert (result.revoked_awards, result.revoked_points) == (2, 7)
    for member in (BOB, CAROL):
        connection = await any_store.get_connection(member)
        assert connection is not None
        assert connection.points == 0
        assert sum(connection.counts.values()) == 0
        assert await any_store.recent_logs(member) == []
    scores = await any_store.redis.zrange(any_store.keys.leaderboard_alltime(), 0, -1, withscores=True)
    assert {member: score for member, score in scores} == {BOB: 0, CAROL: 0}
    weekly = await any_store.redis.zrange(any_store.keys.leaderboard_weekly(any_store.week()), 0, -1, withscores=True)
    assert {member: score for member, score in weekly} == {BOB: 0, CAROL: 0}
    log_ids = await any_store.tweet_log_ids(TWEET)
    assert len(log_ids) == 2
    for log_id in log_ids:
        assert await any_store.redis.hget(any_store.keys.log(log_id), "revoked_by") == ADMIN
    assert (await any_store.audit_entries(1))[0]["new"] == "deleted, revoked 2 awards (7 points)"


async def test_a_revoked_award_is_never_paid_again(any_store: Store) -> None:
    await _two_awards(any_store)
    await delete_tweet(any_store, ADMIN, TWEET, revoke=True)
    await submit(any_store, ALICE, TWEET)  # the tweet may be submitted again
    again = Award(TWEET, X_IDS[BOB], BOB, "retweet", 4, 2, "2")
    assert await any_store.award_engagement(again) == ALREADY_AWARDED
    connection = await any_store.get_connection(BOB)
    assert connection is not None
    assert connection.points == 0


async def test_revoke_takes_points_from_the_week_they_were_earned(store: Store, clock: FakeClock) -> None:
    await _two_awards(store)
    earned_week = store.week()
    clock.advance(WEEK)
    await award(store, TWEET, BOB, "like", 2, tier=2)  # this week: 2 points
    await delete_tweet(store, ADMIN, TWEET, revoke=True)
    old_board = await store.redis.zrange(store.keys.leaderboard_weekly(earned_week), 0, -1, withscores=True)
    assert dict(old_board) == {BOB: 0, CAROL: 0}
    assert await store.rank_and_points(BOB, weekly=True) == (1, 0)
    assert await store.rank_and_points(CAROL, weekly=True) == (None, 0)  # not put on a board they never joined


async def test_unknown_tweet_is_refused_and_nothing_changes(store: Store) -> None:
    await _two_awards(store)
    before = await keyspace(store)
    with pytest.raises(Refused):
        await delete_tweet(store, ADMIN, "1850000000000000999", revoke=True)
    with pytest.raises(InvalidInput):
        await delete_tweet(store, ADMIN, "https://example.com/alice/status/1")
    with pytest.raises(InvalidInput):
        await delete_tweet(store, ADMIN, TWEET, reason="x" * 201)
    assert await keyspace(store) == before


async def test_delete_with_stale_award_count_changes_nothing(any_store: Store) -> None:
    """An award that lands between reading the logs and the delete makes the script refuse, so it is retried."""
    await _two_awards(any_store)
    submission = await any_store.submission_for_tweet(TWEET)
    assert submission is not None
    before = await keyspace(any_store)
    stale = AwardsSeen(count=1, logs=[])
    assert await any_store.delete_submission(ADMIN, submission, stale, revoke=True, reason="") is None
    assert await keyspace(any_store) == before
