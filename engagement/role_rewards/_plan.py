"""What to do now: members to give a reward role or take it back from, and members to promote a tier."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from engagement.role_rewards._rules import RoleReward, role_rewards, tier_rules
from engagement.store import Store

log = logging.getLogger(__name__)
SYSTEM = "system"  # the audit's actor for an automatic promotion


@dataclass(frozen=True)
class RoleChanges:
    reward: RoleReward
    grant: list[str]
    revoke: list[str]


async def _board(store: Store, reward: RoleReward) -> str | None:
    if reward.scope == "alltime":
        return store.keys.leaderboard_alltime()
    season = await store.open_season_id()
    return store.keys.season_board(season) if season else None


async def role_changes(store: Store) -> list[RoleChanges]:
    """For each reward: who reached its threshold and has not been given the role, and (when it revokes) who the bot
    gave it to and is no longer at the threshold (a season-scoped role is held by nobody between seasons)."""
    changes = []
    for reward in await role_rewards(store):
        board = await _board(store, reward)
        wanted = set(await store.members_at_least(board, reward.threshold)) if board else set()
        held = await store.granted(reward.role_id)
        revoke = sorted(held - wanted) if reward.revoke else []
        changes.append(RoleChanges(reward, sorted(wanted - held), revoke))
    return changes


async def promote_tiers(store: Store) -> int:
    """Raise every member at a promotion threshold to that tier (never lowers one). Audited; how many moved."""
    rules = await tier_rules(store)
    moved = 0
    for level, points in sorted(rules.items()):
        members = await store.members_at_least(store.keys.leaderboard_alltime(), points)
        states = await store.members_for_awards(members)
        for member, state in states.items():
            due = not isinstance(state, Exception) and state.tier < level
            if due and await store.set_tier(SYSTEM, member, level) is not None:
                moved += 1
                log.info("member %s promoted to tier %d at %d points", member, level, points)
    return moved
