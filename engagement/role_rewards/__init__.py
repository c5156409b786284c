"""Discord roles granted at point thresholds (all-time or per season) and automatic tier promotion."""

from engagement.role_rewards._plan import RoleChanges, promote_tiers, role_changes
from engagement.role_rewards._rules import (
    SCOPES,
    RoleReward,
    add_role_reward,
    remove_role_reward,
    role_rewards,
    set_tier_rule,
    tier_rules,
)

__all__ = [
    "SCOPES",
    "RoleChanges",
    "RoleReward",
    "add_role_reward",
    "promote_tiers",
    "remove_role_reward",
    "role_changes",
    "role_rewards",
    "set_tier_rule",
    "tier_rules",
]
