"""One community's share of the app's X budget in a cycle over many communities.

X's limits are per app, so when one worker serves several communities, a community with 20,000
tracked posts must not spend what one with 20 needs. In a cycle the lookups and searches are pooled
for all communities (`_pool`); for the per-post lists (`retweeted_by`, `quote_tweets`) each
community in turn may use up to an equal part of what is left of the endpoint's budget: the
remaining requests divided by the communities still to run. What one leaves unused goes to those
after it, in order; the last has no cap. User-token budgets (an author's likes) are that author's
own and are not shared.
"""

from __future__ import annotations

from collections import Counter

from engagement.x import RateLimits

# Only the per-post lists: in a cycle the lookups and searches are pooled (`_pool`) and never go through a share.
SHARED_ENDPOINTS = ("retweeted_by", "quote_tweets")


class EndpointShare:
    """Requests this community may still make per app endpoint in this cycle.

    A cap is fixed the first time it is needed and X's remaining budget is known (before X has
    answered once nothing is known; the first request teaches it).
    """

    def __init__(self, limits: RateLimits, communities_left: int) -> None:
        self._limits = limits
        self._left = max(communities_left, 1)
        self._caps: dict[str, int] = {}
        self.used: Counter[str] = Counter()

    def _cap(self, endpoint: str) -> int | None:
        if self._left == 1:  # the last community of the cycle: nobody after it to leave anything for
            return None
        if endpoint not in self._caps and endpoint in SHARED_ENDPOINTS:
            remaining = self._limits.remaining(endpoint)
            if remaining is not None:  # what this community used before X said counts against its share
                self._caps[endpoint] = (remaining + self.used[endpoint]) // self._left
        return self._caps.get(endpoint)

    def allows(self, endpoint: str) -> bool:
        cap = self._cap(endpoint)
        return cap is None or self.used[endpoint] < cap

    def spent(self, endpoint: str, requests: int) -> None:
        self.used[endpoint] += requests
