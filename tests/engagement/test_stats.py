from __future__ import annotations

import pytest

from engagement.errors import InvalidInput, NotConnected
from engagement.models import Award
from engagement.services import Services
from engagement.stats import PAGE_SIZE, leaderboard_page, member_stats, parse_board
from engagement.store import AWARDED, Store
from tests.conftest import FakeClock, track
from tests.fakes.x_tokens import sign_in, stored_tokens

WEEK = 7 * 24 * 3600


def member_id(n: int) -> str:
    return str(300000000000000000 + n)


async def link(store: Store, n: int) -> str:
    await store.link_account(member_id(n), str(5000 + n), f"member{n}", "bio", "2026-11-18T00:00:00+00:00")
    return member_id(n)


async def award(store: Store, n: int, tweet: int, kind: str, points: int) -> None:
    await track(store, str(9000 + tweet))
    result = await store.award_engagement(Award(str(9000 + tweet), str(5000 + n), member_id(n), kind, points, 1, "1"))
    assert result == AWARDED


async def test_member_stats(services: Services, store: Store, clock: FakeClock) -> None:
    alice, bob = await link(store, 1), await link(store, 2)
    await store.set_tier(bob, alice, 2)
    for tweet, kind, points in [(1, "retweet", 4), (2, "reply", 6), (3, "retweet", 4)]:
        await award(store, 1, tweet, kind, points)
    await award(store, 2, 1, "quote", 20)
    clock.advance(WEEK)
    for tweet in range(4, 10):
        await award(store, 1, tweet, "reply", 6)
    stats = await member_stats(services, alice)
    assert (stats.handle, stats.tier, stats.tier_name) == ("member1", 2, "Active")
    assert (stats.alltime.points, stats.alltime.rank) == (50, 1)
    assert (stats.weekly.points, stats.weekly.rank) == (36, 1)
    assert stats.counts == {"like": 0, "retweet": 2, "reply": 7, "quote": 0}
    assert [log.tweet_id for log in stats.recent] == [str(9000 + t) for t in (9, 8, 7, 6, 5)]
    assert not stats.likes_trackable
    bob_stats = await member_stats(services, bob)
    assert (bob_stats.alltime.rank, bob_stats.weekly.rank, bob_stats.weekly.points) == (2, None, 0)


async def test_likes_count_once_the_author_signed_in_and_stop_when_x_refuses(services: Services, store: Store) -> None:
    alice = await link(store, 1)
    assert (await member_stats(services, alice)).likes == "not_signed_in"
    await sign_in(store, "5001", "token")
    assert (await member_stats(services, alice)).likes_trackable
    await stored_tokens(store).store.update_x_token("5001", {"status": "needs_reauth"})
    assert (await member_stats(services, alice)).likes == "needs_reauth"


async def test_stats_need_a_connection(services: Services, store: Store) -> None:
    with pytest.raises(NotConnected, match="You have not connected"):
        await member_stats(services, member_id(1))
    with pytest.raises(NotConnected, match=f"<@{member_id(1)}> has not connected"):
        await member_stats(services, member_id(1), asked_by=member_id(2))
    await link(store, 1)
    await store.unlink_account(member_id(1))
    with pytest.raises(NotConnected):
        await member_stats(services, member_id(1))


@pytest.mark.parametrize(
    ("value", "weekly"), [(None, False), ("", False), ("alltime", False), ("WEEKLY", True), ("all-time", False)]
)
def test_parse_board(value: str | None, weekly: bool) -> None:
    assert parse_board(value) is weekly


@pytest.mark.parametrize("value", ["monthly", "week", "weekly; drop"])
def test_parse_board_refuses_other_values(value: str) -> None:
    with pytest.raises(InvalidInput):
        parse_board(value)


async def test_leaderboard_pages(services: Services, store: Store) -> None:
    for n in range(1, 24):
        await link(store, n)
        await award(store, n, 1, "reply", n)  # member n has n points
    first = await leaderboard_page(services, False, 0, member_id(5))
    assert (first.page, first.pages, len(first.entries)) == (0, 3, PAGE_SIZE)
    assert [(e.rank, e.discord_id, e.points) for e in first.entries[:2]] == [
        (1, member_id(23), 23),
        (2, member_id(22), 22),
    ]
    assert first.handles[member_id(23)] == "member23"
    assert (first.viewer.rank, first.viewer.points) == (19, 5)
    last = await leaderboard_page(services, False, 7, member_id(5))  # past the end: the last page
    assert (last.page, [e.rank for e in last.entries]) == (2, [21, 22, 23])
    outsider = await leaderboard_page(services, True, -3, member_id(99))
    assert (outsider.page, outsider.entries[0].points, outsider.viewer.rank, outsider.viewer.points) == (0, 23, None, 0)


async def test_weekly_board_starts_empty_each_week(services: Services, store: Store, clock: FakeClock) -> None:
    await link(store, 1)
    await award(store, 1, 1, "reply", 3)
    clock.advance(WEEK)
    weekly = await leaderboard_page(services, True, 0, member_id(1))
    assert (weekly.entries, weekly.pages, weekly.viewer.rank) == ([], 1, None)
    alltime = await leaderboard_page(services, False, 0, member_id(1))
    assert [e.points for e in alltime.entries] == [3]
    assert weekly.week != store.week(clock.now - WEEK)
