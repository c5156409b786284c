"""Every X request of a batch goes through here: budget check first, then a failure stops only its own kind."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from typing import TypeVar

from engagement.batch._record import BatchTally
from engagement.batch._selection import TrackedTweet
from engagement.batch._share import EndpointShare
from engagement.errors import InvalidInput
from engagement.x import XClient
from engagement.x.errors import RateLimited, XAuthError, XError

log = logging.getLogger(__name__)

T = TypeVar("T")

MAX_ENDPOINT_FAILURES = 3  # X errors on one endpoint before the batch stops using it


class Requests:
    """Gatekeeper of one batch's X requests: which endpoints are still usable, and why not."""

    def __init__(
        self, x: XClient, tally: BatchTally, halted: Callable[[], bool], share: EndpointShare | None = None
    ) -> None:
        self.x = x
        self.tally = tally
        self.halted = halted
        self.share = share
        self.stopped: dict[str, str] = {}
        self._failures: Counter[str] = Counter()

    def _stop(self, endpoint: str, why: str) -> None:
        if endpoint not in self.stopped:
            self.stopped[endpoint] = why
            self.tally.error(f"{endpoint}: {why}; the rest of that work is carried over")

    def available(self, endpoint: str, budget: str | None = None) -> bool:
        """False once the endpoint (or that user token's budget) is stopped or known to be spent."""
        budget = budget or endpoint
        if self.halted() or endpoint in self.stopped or budget in self.stopped:
            return False
        if self.share is not None and not self.share.allows(budget):
            self._stop(budget, "this community's share of the X budget for this cycle is spent")
            return False
        if not self.x.rate_limits.can_call(budget):
            reset_at = self.x.rate_limits.reset_at(budget)
            self._stop(budget, f"rate limit reached (resets at {reset_at or 0:.0f})")
            return False
        return True

    async def call(
        self,
        endpoint: str,
        kind: str,
        items: Sequence[TrackedTweet],
        request: Callable[[], Awaitable[T]],
        fatal: tuple[type[Exception], ...] = (XAuthError,),
        budget: str | None = None,
    ) -> T | None:
        """The request's result, or None when it was not made or failed (the items' work stays pending).

        A refused app token (`fatal`) fails the whole batch: every request would fail the same way.
        """
        if not self.available(endpoint, budget):
            return None
        before = self.x.usage.requests.get(endpoint, 0)
        try:
            return await request()
        except RateLimited as error:
            self._stop(budget or endpoint, f"rate limit reached (resets at {error.reset_at:.0f})")
        except fatal:
            raise
        except (XError, InvalidInput) as error:
            ids = ", ".join(item.tweet_id for item in items[:3]) + (" ..." if len(items) > 3 else "")
            self.tally.error(f"{endpoint} failed for tweet {ids}: {error}")
            for item in items:
                item.failed(kind)
            # A user token's failures are that token's, not the whole endpoint's.
            self._failures[budget or endpoint] += 1
            if self._failures[budget or endpoint] >= MAX_ENDPOINT_FAILURES:
                self._stop(budget or endpoint, f"{MAX_ENDPOINT_FAILURES} failures in this batch")
        finally:
            if self.share is not None:  # every page counts, whatever became of the request
                self.share.spent(budget or endpoint, self.x.usage.requests.get(endpoint, 0) - before)
        return None
