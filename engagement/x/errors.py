"""The few ways a call to X can fail, as the worker and the bot need to tell them apart."""

from __future__ import annotations

from engagement.errors import EngagementError


class XError(EngagementError):
    """Base of every X adapter error."""


class RateLimited(XError):
    """An endpoint's 15-minute budget is spent (a 429, or remaining 0 before the call)."""

    def __init__(self, endpoint: str, reset_at: float) -> None:
        super().__init__(f"X rate limit reached for {endpoint}; it resets at {reset_at:.0f} (epoch seconds)")
        self.endpoint = endpoint
        self.reset_at = reset_at


class XUnavailable(XError):
    """X answered 5xx, timed out, or sent something unreadable, after bounded retries."""


class XAuthError(XError):
    """401/403: the message says which token to fix."""


class PagingStopped(XError):
    """A list or search kept paging past any sensible end (a repeated next_token, or more pages than its cap)."""
