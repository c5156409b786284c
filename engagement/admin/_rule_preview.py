"""What a rule change would do: the awards of that tier and type over the last window, repriced.

The next batch pays the new value for what it finds; awards already paid never change, so the window's own
awards are the best measure of what the change is worth per window.
"""

from __future__ import annotations

from dataclasses import dataclass

from engagement.admin._rules import show_rules
from engagement.store import Store
from rules import parse_override


@dataclass(frozen=True)
class RulePreview:
    tier: int
    type: str
    old: int
    new: int
    window_hours: int
    awards: int
    """Awards of this tier and type paid on the tweets submitted in the last window (revoked ones left out)."""
    points_paid: int
    points_at_new: int
    """What those awards would have paid at the new value."""
    difference: int


async def preview_rule(store: Store, window_hours: int, tier: object, kind: object, points: object) -> RulePreview:
    """Checked exactly as `set_rule` checks its input; reads only, writes nothing."""
    (tier_value, kind_value), new = parse_override(tier, kind, points)
    old = (await show_rules(store)).table[(tier_value, kind_value)]
    submission_ids = await store.recent_submission_ids(store.now() - window_hours * 3600)
    tweet_ids = [raw["tweet_id"] for raw in await store.submission_hashes(submission_ids) if raw.get("tweet_id")]
    log_ids = [log_id for tweet_id in tweet_ids for log_id in await store.tweet_log_ids(tweet_id)]
    logs = await store.logs_by_id(log_ids, skip_damaged=True)
    same = [log for log in logs if (log.tier, log.type) == (tier_value, kind_value) and not log.revoked_at]
    paid = sum(log.points for log in same)
    at_new = len(same) * new
    return RulePreview(tier_value, kind_value, old, new, window_hours, len(same), paid, at_new, at_new - paid)
