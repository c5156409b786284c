"""Point rules: the default table, overrides, and pure scoring."""

from rules.scoring import RuleTable, apply_overrides, default_rules, parse_override, points_for

__all__ = ["RuleTable", "apply_overrides", "default_rules", "parse_override", "points_for"]
