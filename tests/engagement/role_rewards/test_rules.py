"""Role rewards and tier promotion: off by default, planned from the boards, audited, checked inputs."""

from __future__ import annotations

import pytest

from engagement.errors import InvalidInput, Refused
from engagement.models import Award
from engagement.role_rewards import add_role_reward, promote_tiers, remove_role_reward, role_changes, set_tier_rule
from engagement.seasons import open_season
from engagement.services import Services
from engagement.store import AWARDED, Store
from tests.engagement.admin.world import ADMIN, ALICE, BOB, CAROL, X_IDS, connect, submit
from tests.fakes.discord_fixtures import Keyspace

ROLE = "1200000000000000042"
POST = "1850000000000000001"


async def earn(store: Store, member: str, points: int, kind: str = "reply", season_id: str = "") -> None:
    award = Award(POST, X_IDS[member], member, kind, points, 1, "1", season_id=season_id)
    assert await store.award_engagement(award) == AWARDED


@pytest.fixture
async def community(store: Store) -> None:
    for member in (ALICE, BOB, CAROL):
        await connect(store, member)
    await submit(store, ALICE, POST)


@pytest.mark.usefixtures("community")
async def test_nothing_happens_until_an_admin_adds_a_rule(store: Store) -> None:
    await earn(store, BOB, 900)
    assert await role_changes(store) == []
    assert await promote_tiers(store) == 0


@pytest.mark.usefixtures("community")
async def test_a_role_at_a_threshold_granted_once_and_revoked_when_asked(services: Services, store: Store) -> None:
    await add_role_reward(services, ADMIN, ROLE, 5, "alltime", revoke=True)
    await earn(store, BOB, 6)
    await earn(store, CAROL, 3)
    [change] = await role_changes(store)
    assert (change.grant, change.revoke) == ([BOB], [])
    await store.note_granted(ROLE, change.grant, granted=True)
    assert [(c.grant, c.revoke) for c in await role_changes(store)] == [([], [])]  # given once
    await store.adjust_points(ADMIN, BOB, -2, "duplicate")  # 4: under the threshold
    assert [(c.grant, c.revoke) for c in await role_changes(store)] == [([], [BOB])]
    entries = await store.audit_entries(5)
    assert entries[-1]["action"] == "role-reward"


@pytest.mark.usefixtures("community")
async def test_a_season_role_counts_the_open_season_only(services: Services, store: Store) -> None:
    await add_role_reward(services, ADMIN, ROLE, 3, "season")
    await earn(store, BOB, 9, kind="quote")  # before any season
    assert [c.grant for c in await role_changes(store)] == [[]]
    season = await open_season(services, ADMIN, "S", "now", "2026-11-25", 3)
    await earn(store, CAROL, 3, season_id=season.id)
    assert [c.grant for c in await role_changes(store)] == [[CAROL]]


@pytest.mark.usefixtures("community")
async def test_tier_promotion_raises_never_lowers_and_is_audited(services: Services, store: Store) -> None:
    await set_tier_rule(services, ADMIN, 2, 5)
    await set_tier_rule(services, ADMIN, 3, 10)
    await store.set_tier(ADMIN, CAROL, 3)
    await earn(store, BOB, 6)
    await earn(store, CAROL, 1)
    assert await promote_tiers(store) == 1
    assert (await store.get_connection(BOB)).tier == 2  # type: ignore[union-attr]
    assert (await store.get_connection(CAROL)).tier == 3  # type: ignore[union-attr]  # not lowered
    assert await promote_tiers(store) == 0  # once
    promoted = [
        entry for entry in await store.audit_entries(20) if entry["action"] == "tier" and entry["actor"] == "system"
    ]
    assert [(entry["target"], entry["new"]) for entry in promoted] == [(BOB, "2")]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda s: add_role_reward(s, ADMIN, ROLE, 0), "The threshold is a number of points from 1"),
        (lambda s: add_role_reward(s, ADMIN, ROLE, 5, "weekly"), "The scope is alltime or season"),
        (lambda s: add_role_reward(s, ADMIN, "everyone", 5), "role id must be a positive number"),
        (lambda s: set_tier_rule(s, ADMIN, 1, 5), "Everyone starts at tier 1"),
        (lambda s: set_tier_rule(s, ADMIN, 4, 5), "tier"),
    ],
)
async def test_bad_rules_are_refused_clearly_and_change_nothing(
    services: Services, keyspace: Keyspace, call: object, message: str
) -> None:
    before = await keyspace()
    with pytest.raises(InvalidInput, match=message):
        await call(services)  # type: ignore[operator]
    assert await keyspace() == before


async def test_removing_a_role_that_is_no_reward_says_so(services: Services, keyspace: Keyspace) -> None:
    before = await keyspace()
    with pytest.raises(Refused, match=r"That role is not a reward\."):
        await remove_role_reward(services, ADMIN, ROLE)
    assert await keyspace() == before
