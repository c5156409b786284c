"""Seasons: opened once at a time, counted to the second of their end, frozen after, and checked inputs."""

from __future__ import annotations

import pytest

from engagement.admin import delete_tweet
from engagement.errors import InvalidInput, Refused
from engagement.models import Award
from engagement.seasons import (
    end_due_season,
    end_season,
    find_season,
    open_season,
    season_board,
    season_payouts_csv,
    season_results,
)
from engagement.services import Services
from engagement.shop import register_payout_address
from engagement.store import AWARDED, Store
from tests.conftest import FakeClock
from tests.engagement.admin.world import ADMIN, ALICE, BOB, X_IDS, connect, submit
from tests.fakes.discord_fixtures import Keyspace

HOUR = 3600
POSTS = [f"18500000000000000{n:02d}" for n in range(1, 10)]


async def pay(store: Store, post: str, member: str, kind: str, points: int, season_id: str = "") -> None:
    award = Award(post, X_IDS[member], member, kind, points, 1, "1", season_id=season_id)
    assert await store.award_engagement(award) == AWARDED


@pytest.fixture
async def members(store: Store) -> None:
    for member in (ALICE, BOB):
        await connect(store, member)
    for post in POSTS:
        await submit(store, ALICE, post)


@pytest.mark.usefixtures("members")
async def test_an_award_one_second_before_the_end_counts_one_second_after_does_not(
    services: Services, store: Store, clock: FakeClock
) -> None:
    season = await open_season(services, ADMIN, "Winter sprint", "now", "2026-11-25", 3)
    clock.now = season.end - 1
    await pay(store, POSTS[0], BOB, "reply", 3, season.id)
    clock.now = season.end
    await pay(store, POSTS[1], BOB, "reply", 3, season.id)  # at the end: outside [start, end)
    clock.now = season.end + 1
    await pay(store, POSTS[2], BOB, "quote", 2, season.id)
    board = await season_board(services, None, 0, BOB)
    assert [(entry.discord_id, entry.points) for entry in board.entries] == [(BOB, 3)]
    assert await store.rank_and_points(BOB, weekly=False) == (1, 8)  # the all-time board counts all three


@pytest.mark.usefixtures("members")
async def test_an_award_before_a_scheduled_start_does_not_count(services: Services, store: Store) -> None:
    season = await open_season(services, ADMIN, "Later", "2026-11-20", "2026-11-27", 3)
    await pay(store, POSTS[0], BOB, "reply", 3, season.id)  # the clock is on 2026-11-18
    assert (await season_board(services, "later", 0, BOB)).entries == []


@pytest.mark.usefixtures("members")
async def test_one_open_season_at_a_time_and_names_are_unique(
    services: Services, store: Store, keyspace: Keyspace
) -> None:
    await open_season(services, ADMIN, "Sprint 1", "now", "2026-11-25", 3)
    before = await keyspace()
    with pytest.raises(Refused, match="Season 'Sprint 1' is still open: end it first"):
        await open_season(services, ADMIN, "Sprint 2", "now", "2026-11-30", 3)
    with pytest.raises(InvalidInput, match="A season called 'sprint 1' exists already"):
        await open_season(services, ADMIN, "sprint 1", "now", "2026-11-30", 3)
    assert await keyspace() == before
    await end_season(services, ADMIN)
    second = await open_season(services, ADMIN, "Sprint 2", "now", "2026-11-30", 3)
    assert (await find_season(store, None)).id == second.id


@pytest.mark.parametrize(
    ("name", "start", "end", "zone", "message"),
    [
        ("", "now", "2026-11-25", 3, "A season name is 1 to 40"),
        ("x" * 41, "now", "2026-11-25", 3, "A season name is 1 to 40"),
        ("Sprint", "tomorrow", "2026-11-25", 3, "The start must be `now`, a date like 2026-12-01"),
        ("Sprint", "now", "25/11/2026", 3, "The end must be `now`, a date like 2026-12-01"),
        ("Sprint", "2026-11-25", "2026-11-24", 3, "The end must be after the start."),
        ("Sprint", "2026-11-01", "2026-11-02", 3, "The end is already past"),
        ("Sprint", "now", "2028-01-01", 3, "lasts at most 366 days"),
        ("Sprint", "now", "2026-11-25", 0, "The reward zone is the top 1 to 100 members."),
        ("Sprint", "now", "2026-11-25", 101, "The reward zone is the top 1 to 100 members."),
    ],
)
async def test_bad_season_inputs_are_refused_clearly_and_change_nothing(
    services: Services, keyspace: Keyspace, name: str, start: str, end: str, zone: int, message: str
) -> None:
    before = await keyspace()
    with pytest.raises(InvalidInput, match=message):
        await open_season(services, ADMIN, name, start, end, zone)
    assert await keyspace() == before


@pytest.mark.usefixtures("members")
async def test_the_season_ends_by_itself_and_its_results_are_frozen(
    services: Services, store: Store, clock: FakeClock
) -> None:
    season = await open_season(services, ADMIN, "Sprint", "now", "2026-11-25", 1)
    await pay(store, POSTS[0], BOB, "reply", 3, season.id)
    await pay(store, POSTS[1], ALICE, "reply", 1, season.id)  # Alice engages on her own posts: a test shortcut
    assert await end_due_season(store) is None  # not yet
    clock.now = season.end + 30
    ended = await end_due_season(store)
    assert ended is not None
    assert ended.ended
    assert await store.open_season_id() is None
    winners, table = await season_results(services, ended)
    assert [(entry.discord_id, entry.points) for entry in winners] == [(BOB, 3)]  # reward zone: top 1
    assert table.splitlines() == [
        "rank,discord_id,x_handle,points,reward_zone",
        f"1,{BOB},bob,3,yes",
        f"2,{ALICE},alice,1,no",
    ]
    await delete_tweet(store, ADMIN, POSTS[0], revoke=True, reason="spam")  # after the end: frozen
    frozen = await season_board(services, "sprint", 0, BOB)
    assert (frozen.entries[0].discord_id, frozen.entries[0].points) == (BOB, 3)
    assert await store.rank_and_points(BOB, weekly=False) == (2, 0)  # the all-time score is taken back


@pytest.mark.usefixtures("members")
async def test_revoking_during_a_running_season_takes_the_points_back_there_too(
    services: Services, store: Store
) -> None:
    season = await open_season(services, ADMIN, "Sprint", "now", "2026-11-25", 3)
    await pay(store, POSTS[0], BOB, "reply", 3, season.id)
    await pay(store, POSTS[1], BOB, "quote", 2, season.id)
    await delete_tweet(store, ADMIN, POSTS[0], revoke=True, reason="spam")
    board = await season_board(services, None, 0, BOB)
    assert [(entry.discord_id, entry.points) for entry in board.entries] == [(BOB, 2)]


async def test_no_season_yet_is_said_plainly(services: Services) -> None:
    with pytest.raises(Refused, match="No season has been held here yet"):
        await season_board(services, None, 0, BOB)
    with pytest.raises(Refused, match="There is no season called 'Nope'"):
        await season_board(services, "Nope", 0, BOB)


@pytest.mark.usefixtures("members")
async def test_the_payouts_csv_lists_the_reward_zone_with_addresses_and_is_audited(
    services: Services, store: Store
) -> None:
    season = await open_season(services, ADMIN, "Sprint", "now", "2026-11-25", 1)
    await pay(store, POSTS[0], BOB, "reply", 3, season.id)
    await pay(store, POSTS[1], ALICE, "reply", 1, season.id)
    await register_payout_address(store, BOB, "0x52908400098527886E0F7030069857D2E4169EE7")
    name, table, rows = await season_payouts_csv(services, ADMIN, None)
    assert (name, rows) == (f"season-{season.id}-payouts.csv", 1)
    assert table.splitlines() == [
        "rank,discord_id,x_handle,points,address,chain",
        f"1,{BOB},bob,3,0x52908400098527886E0F7030069857D2E4169EE7,evm",
    ]
    [entry] = [e for e in await store.audit_entries(5) if e["action"] == "season-payouts-export"]
    assert (entry["actor"], entry["target"], entry["new"]) == (ADMIN, "Sprint", "1 row")


@pytest.mark.usefixtures("members")
async def test_a_season_past_its_end_does_not_block_the_next_one(services: Services, clock: FakeClock) -> None:
    first = await open_season(services, ADMIN, "One", "now", "2026-11-20", 3)
    clock.now = first.end + 5  # the bot has not frozen it (not running)
    second = await open_season(services, ADMIN, "Two", "now", "2026-11-30", 3)
    assert (await find_season(services.store, "One")).ended
    assert (await find_season(services.store, None)).id == second.id
