"""Manual point adjustments: a signed amount and a required reason, logged like an award."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from engagement import validation
from engagement.admin._paging import single_line
from engagement.errors import InvalidInput, Refused
from engagement.store import Store

log = logging.getLogger(__name__)

MAX_ADJUSTMENT = 10_000
MAX_REASON = 200


@dataclass(frozen=True)
class Adjustment:
    discord_id: str
    delta: int
    total: int
    reason: str


def check_delta(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value == 0 or abs(value) > MAX_ADJUSTMENT:
        got = value if isinstance(value, int) and not isinstance(value, bool) else repr(value)[:20]
        raise InvalidInput(
            f"delta must be a whole number of points from -{MAX_ADJUSTMENT:,} to {MAX_ADJUSTMENT:,} other than 0; "
            f"got {got}."
        )
    return value


async def adjust_points(store: Store, actor_id: str, member_id: object, delta: object, reason: object) -> Adjustment:
    """Add `delta` to the member's points (both leaderboards too); shows in their /stats history. Audited."""
    actor = validation.discord_id(actor_id)
    member = validation.discord_id(member_id)
    amount = check_delta(delta)
    why = single_line(reason, "A reason", max_length=MAX_REASON, required=True)
    total = await store.adjust_points(actor, member, amount, why)
    if total is None:
        raise Refused(f"<@{member}> has no record yet; they need to /connect first.")
    log.info("admin %s adjusted %s by %+d (%s): now %d", actor, member, amount, why, total)
    return Adjustment(member, amount, total, why)
