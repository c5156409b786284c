"""What X has already billed today, as far as this process saw: the basis for choosing the cheaper read.

Pay-per-use bills each post and user once per UTC day (X_API.md), so a user object read again the
same day is free. A repost is revealed either by the reposter's user object (`retweeted_by`) or by
the repost post (a search): the first is free when that user was already read today, the second
always costs a post. `BillingBook` keeps the user ids read today and, from the reposts found by
search (whose authors are known by id without buying their user objects), how many reposters were
already paid for when their repost was found: the estimate for the next ones. It is a per-process
estimate, not an account of X's bill: a restart, or a new UTC day, only makes it cautious.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable
from datetime import UTC, datetime

OBSERVATIONS_KEPT = 200  # the latest reposters looked at: enough for a steady share, recent enough to follow the day


def utc_day(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, UTC).date().isoformat()


class BillingBook:
    """User ids billed in the current UTC day, and the share of recent reposters that were among them."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self._day = ""
        self._users: set[str] = set()
        self._observed: deque[bool] = deque(maxlen=OBSERVATIONS_KEPT)

    def _today(self) -> set[str]:
        day = utc_day(self._clock())
        if day != self._day:  # X's de-duplication starts again: nothing is paid for yet
            self._day, self._users = day, set()
            self._observed.clear()
        return self._users

    def users_read(self, user_ids: Iterable[str]) -> None:
        self._today().update(user_ids)

    def is_billed(self, user_id: str) -> bool:
        return user_id in self._today()

    def reposters_found(self, user_ids: Iterable[str]) -> None:
        """Reposters found without reading their user objects: note which were already paid for."""
        today = self._today()
        self._observed.extend(user in today for user in user_ids)

    def reposters_billed_share(self) -> float:
        """The share of the reposters found lately (this UTC day) whose user object was already paid for."""
        self._today()
        return sum(self._observed) / len(self._observed) if self._observed else 0.0
