"""Role rewards (a Discord role at a points threshold, all-time or in the open season) and tier promotion rules
(a tier at an all-time threshold): both off until an admin adds one; every change audited."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

from engagement.errors import InvalidInput, Refused
from engagement.store import Store
from engagement.validation import discord_id, numeric_id, tier

if TYPE_CHECKING:
    from engagement.services import Services

SCOPES = ("alltime", "season")
MAX_THRESHOLD = 10_000_000
MAX_ROLE_REWARDS = 25


@dataclass(frozen=True)
class RoleReward:
    role_id: str
    threshold: int
    scope: str
    """`alltime`, or `season`: the open season's board (nobody holds it between seasons)."""
    revoke: bool
    """Take the role back when the member is no longer at the threshold (only from members the bot gave it to)."""


def _threshold(value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= MAX_THRESHOLD:
        raise InvalidInput(f"The threshold is a number of points from 1 to {MAX_THRESHOLD:,}.")
    return value


async def role_rewards(store: Store) -> list[RoleReward]:
    found = []
    for role_id, raw in sorted((await store.rules_hash(store.keys.role_rewards())).items()):
        try:
            rule = json.loads(raw)
            found.append(RoleReward(role_id, int(rule["threshold"]), str(rule["scope"]), bool(rule["revoke"])))
        except (ValueError, KeyError, TypeError):
            continue  # edited by hand into something else: not applied
    return found


async def add_role_reward(
    services: Services, actor: str, role_id: object, threshold: object, scope: object = "alltime", revoke: bool = False
) -> RoleReward:
    """Grant `role_id` at `threshold` points (replacing that role's rule). Audited (`role-reward`)."""
    who, role = discord_id(actor), numeric_id(role_id, "role id")
    if scope not in SCOPES:
        raise InvalidInput(f"The scope is {' or '.join(SCOPES)}, got {str(scope)[:20]!r}.")
    rule = RoleReward(role, _threshold(threshold), str(scope), bool(revoke))
    current = await role_rewards(services.store)
    if len(current) >= MAX_ROLE_REWARDS and role not in {r.role_id for r in current}:
        raise Refused(f"This server has {MAX_ROLE_REWARDS} role rewards, the most it can have.")
    text = json.dumps({"threshold": rule.threshold, "scope": rule.scope, "revoke": rule.revoke}, sort_keys=True)
    await services.store.set_rule_field(services.store.keys.role_rewards(), role, text, who, "role-reward")
    return rule


async def remove_role_reward(services: Services, actor: str, role_id: object) -> None:
    who, role = discord_id(actor), numeric_id(role_id, "role id")
    if role not in {reward.role_id for reward in await role_rewards(services.store)}:
        raise Refused("That role is not a reward.")
    await services.store.set_rule_field(services.store.keys.role_rewards(), role, "", who, "role-reward")


async def tier_rules(store: Store) -> dict[int, int]:
    """Tier -> the all-time points that promote a member to it (empty: promotion is off)."""
    found = {}
    for level, points in (await store.rules_hash(store.keys.tier_rules())).items():
        if level in ("2", "3") and points.isdigit():
            found[int(level)] = int(points)
    return found


async def set_tier_rule(services: Services, actor: str, level: object, threshold: object) -> None:
    """Promote members to tier `level` (2 or 3) at `threshold` all-time points; 0 turns that rule off. Audited."""
    who, wanted = discord_id(actor), tier(level)
    if wanted == 1:
        raise InvalidInput("Everyone starts at tier 1: promotion rules are for tiers 2 and 3.")
    points = 0 if threshold == 0 else _threshold(threshold)
    value = "" if points == 0 else str(points)
    await services.store.set_rule_field(services.store.keys.tier_rules(), str(wanted), value, who, "tier-rule")
