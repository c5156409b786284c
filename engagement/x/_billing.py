"""What X has already billed today, as far as this process saw: the basis for choosing the cheaper read.

Pay-per-use bills each post and user once per UTC day (X_API.md), so a user object read again the
same day is free. A repost is revealed either by the reposter's user object (`retweeted_by`) or by
the repost post (a search): the first is free when that user was already read today, the second
always costs a post. `BillingBook` keeps the user ids read today and the accounts that engaged
lately, so the batch can estimate how many of a post's next engagers are already paid for.
It is a per-process estimate, not an account of X's bill: a restart only makes it cautious.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime

ENGAGERS_REMEMBERED_SECONDS = 24 * 3600


def utc_day(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, UTC).date().isoformat()


class BillingBook:
    """User ids billed in the current UTC day, and who engaged in the last 24 hours."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self._day = ""
        self._users: set[str] = set()
        self._engagers: dict[str, float] = {}  # user id -> when last seen engaging

    def _today(self) -> set[str]:
        day = utc_day(self._clock())
        if day != self._day:
            self._day, self._users = day, set()
        return self._users

    def users_read(self, user_ids: Iterable[str]) -> None:
        self._today().update(user_ids)

    def engaged(self, user_ids: Iterable[str]) -> None:
        now = self._clock()
        self._engagers.update(dict.fromkeys(user_ids, now))
        if len(self._engagers) > 4 * len(self._today()) + 1000:  # keep it bounded without a sweep per call
            cutoff = now - ENGAGERS_REMEMBERED_SECONDS
            self._engagers = {user: at for user, at in self._engagers.items() if at >= cutoff}

    def is_billed(self, user_id: str) -> bool:
        return user_id in self._today()

    def engagers_billed_share(self) -> float:
        """Of the accounts that engaged in the last 24 hours, the share whose user object is paid for today."""
        cutoff = self._clock() - ENGAGERS_REMEMBERED_SECONDS
        recent = [user for user, at in self._engagers.items() if at >= cutoff]
        if not recent:
            return 0.0
        today = self._today()
        return sum(1 for user in recent if user in today) / len(recent)
