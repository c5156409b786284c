"""Which admin actions are confirmed first (a Confirm / Cancel pair), their checks done before asking, and when a
confirmation expires: a bad input is refused at once, not after Confirm."""

from __future__ import annotations

from dataclasses import dataclass

from engagement.admin._paging import single_line
from engagement.admin._points import MAX_REASON as MAX_ADJUSTMENT_REASON
from engagement.admin._points import check_delta
from engagement.admin._tweets import MAX_REASON as MAX_DELETE_REASON
from engagement.admin._tweets import tweet_ref
from engagement.errors import Refused
from engagement.models import Submission
from engagement.store import Store

CONFIRM_POINTS_ABOVE = 1000
"""An adjustment of more points than this (either way) is confirmed first."""


@dataclass(frozen=True)
class Deadline:
    at: float

    @classmethod
    def after(cls, now: float, seconds: float) -> Deadline:
        return cls(now + seconds)

    def passed(self, now: float) -> bool:
        return now > self.at


@dataclass(frozen=True)
class CheckedDelete:
    tweet_id: str
    reason: str
    submission: Submission


@dataclass(frozen=True)
class CheckedAdjustment:
    delta: int
    reason: str
    needs_confirmation: bool


async def check_delete(store: Store, ref: object, reason: object) -> CheckedDelete:
    """The tweet id and the reason of a `tweets-delete`, checked as `delete_tweet` will check them, and the
    tweet's submission (`Refused` when none: nothing to confirm)."""
    tweet_id = tweet_ref(ref)
    why = single_line(reason, "reason", max_length=MAX_DELETE_REASON, required=False)
    submission = await store.submission_for_tweet(tweet_id)
    if submission is None:
        raise Refused(f"No submitted tweet has the id {tweet_id}.")
    return CheckedDelete(tweet_id, why, submission)


def check_adjustment(delta: object, reason: object) -> CheckedAdjustment:
    """A `points-adjust` checked as `adjust_points` will check it; above 1,000 points it needs confirming."""
    amount = check_delta(delta)
    why = single_line(reason, "A reason", max_length=MAX_ADJUSTMENT_REASON, required=True)
    return CheckedAdjustment(amount, why, abs(amount) > CONFIRM_POINTS_ABOVE)
