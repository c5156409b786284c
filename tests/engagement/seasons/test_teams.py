"""Teams: a team's season points are its members' points earned while in it; moving moves nothing earned."""

from __future__ import annotations

import pytest

from engagement.errors import InvalidInput, Refused
from engagement.models import Award
from engagement.seasons import create_team, join_team, leave_team, open_season, season_board
from engagement.services import Services
from engagement.store import AWARDED, Store
from tests.engagement.admin.world import ADMIN, ALICE, BOB, CAROL, X_IDS, connect, submit
from tests.fakes.discord_fixtures import Keyspace

POSTS = [f"18500000000000000{n:02d}" for n in range(1, 6)]


async def pay(store: Store, post: str, member: str, points: int, season_id: str) -> None:
    assert (
        await store.award_engagement(Award(post, X_IDS[member], member, "reply", points, 1, "1", season_id=season_id))
        == AWARDED
    )


async def test_moving_teams_moves_nothing_already_earned(services: Services, store: Store) -> None:
    for member in (ALICE, BOB, CAROL):
        await connect(store, member)
    for post in POSTS:
        await submit(store, ALICE, post)
    season = await open_season(services, ADMIN, "Sprint", "now", "2026-11-25", 3)
    await create_team(services, ADMIN, "Red")
    await create_team(services, ADMIN, "Blue")
    await join_team(services, BOB, "red")
    await join_team(services, CAROL, "Blue", actor=ADMIN)  # an admin's assignment
    await pay(store, POSTS[0], BOB, 3, season.id)
    await pay(store, POSTS[0], CAROL, 2, season.id)
    _, old = await join_team(services, BOB, "Blue")  # moves mid-season
    assert old
    await pay(store, POSTS[1], BOB, 5, season.id)
    await leave_team(services, CAROL)
    await pay(store, POSTS[1], CAROL, 7, season.id)  # in no team: the member's points only
    teams = await season_board(services, None, 0, BOB, by_team=True)
    assert [(teams.names[e.discord_id], e.points) for e in teams.entries] == [("Blue", 7), ("Red", 3)]
    members = await season_board(services, None, 0, BOB)
    assert [(e.discord_id, e.points) for e in members.entries] == [(CAROL, 9), (BOB, 8)]


async def test_team_refusals_are_clear_and_change_nothing(services: Services, keyspace: Keyspace) -> None:
    await create_team(services, ADMIN, "Red")
    before = await keyspace()
    with pytest.raises(InvalidInput, match="A team called 'red' exists already"):
        await create_team(services, ADMIN, "red")
    with pytest.raises(Refused, match=r"There is no team called 'Green'\. Teams: Red\."):
        await join_team(services, BOB, "Green")
    with pytest.raises(Refused, match=r"You are not in a team\."):
        await leave_team(services, BOB)
    with pytest.raises(InvalidInput, match="A team name is 1 to 40"):
        await create_team(services, ADMIN, "<@everyone>")
    assert await keyspace() == before
