"""Per-endpoint rate-limit book-keeping from X's `x-rate-limit-*` response headers."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

WINDOW_SECONDS = 15 * 60


def budget_key(endpoint: str, user_token: str | None = None) -> str:
    """Where a request's budget is kept: the app's per endpoint, a user token's per endpoint and token.

    X counts user-context requests (an author's OAuth token for liking_users) per user, apart from
    the app's; the token itself is never kept, only a fingerprint.
    """
    if user_token is None:
        return endpoint
    return f"{endpoint}@{hashlib.sha256(user_token.encode()).hexdigest()[:12]}"


@dataclass
class _Budget:
    limit: int | None = None
    remaining: int | None = None
    reset_at: float | None = None


def _header_number(headers: Mapping[str, str], name: str) -> int | None:
    value = headers.get(name)
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


class RateLimits:
    """What the last response of each endpoint said about its 15-minute budget.

    One instance per process, shared by every client, so a batch and /connect
    never spend the same budget twice without knowing.
    """

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self._clock = clock
        self._budgets: dict[str, _Budget] = {}

    def record(self, endpoint: str, status: int, headers: Mapping[str, str]) -> None:
        """Update `endpoint` from one response; a 429 without headers still closes the window."""
        budget = self._budgets.setdefault(endpoint, _Budget())
        limit = _header_number(headers, "x-rate-limit-limit")
        remaining = _header_number(headers, "x-rate-limit-remaining")
        reset = _header_number(headers, "x-rate-limit-reset")
        if limit is not None:
            budget.limit = limit
        if remaining is not None:
            budget.remaining = remaining
        if reset is not None:
            budget.reset_at = float(reset)
        if status == 429:
            budget.remaining = 0
            if reset is None:
                budget.reset_at = self._clock() + WINDOW_SECONDS

    def _window_over(self, budget: _Budget) -> bool:
        return budget.reset_at is not None and budget.reset_at <= self._clock()

    def can_call(self, endpoint: str) -> bool:
        """False only when the endpoint's budget is known to be spent until a future reset."""
        budget = self._budgets.get(endpoint)
        if budget is None or budget.remaining is None or budget.remaining > 0:
            return True
        return budget.reset_at is None or self._window_over(budget)

    def remaining(self, endpoint: str) -> int | None:
        """Requests left in the current window; the full limit once the window has reset."""
        budget = self._budgets.get(endpoint)
        if budget is None:
            return None
        if self._window_over(budget) and budget.limit is not None:
            return budget.limit
        return budget.remaining

    def limit(self, endpoint: str) -> int | None:
        budget = self._budgets.get(endpoint)
        return budget.limit if budget else None

    def reset_at(self, endpoint: str) -> float | None:
        budget = self._budgets.get(endpoint)
        return budget.reset_at if budget else None

    def snapshot(self) -> dict[str, dict[str, float | int | None]]:
        """The app's budget of every endpoint seen so far, for metrics and alerts (user tokens left out)."""
        return {
            name: {"limit": budget.limit, "remaining": self.remaining(name), "reset_at": budget.reset_at}
            for name, budget in sorted(self._budgets.items())
            if "@" not in name
        }
