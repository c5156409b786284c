"""RateLimits: what the last x-rate-limit-* headers said, per endpoint, on an injected clock."""

from __future__ import annotations

from engagement.x import RateLimits
from tests.conftest import FakeClock


def _headers(limit: int, remaining: int, reset: float) -> dict[str, str]:
    return {
        "x-rate-limit-limit": str(limit),
        "x-rate-limit-remaining": str(remaining),
        "x-rate-limit-reset": str(reset),
    }


def test_unknown_endpoints_may_be_called(clock: FakeClock) -> None:
    limits = RateLimits(clock)
    assert limits.can_call("retweeted_by")
    assert (limits.remaining("retweeted_by"), limits.limit("retweeted_by"), limits.reset_at("retweeted_by")) == (
        None,
        None,
        None,
    )
    assert limits.snapshot() == {}


def test_a_spent_window_blocks_until_its_reset(clock: FakeClock) -> None:
    limits = RateLimits(clock)
    reset = int(clock() + 600)
    limits.record("search_recent", 200, _headers(450, 1, reset))
    assert limits.can_call("search_recent")
    limits.record("search_recent", 200, _headers(450, 0, reset))
    assert not limits.can_call("search_recent")
    assert limits.snapshot() == {"search_recent": {"limit": 450, "remaining": 0, "reset_at": float(reset)}}

    clock.advance(600)
    assert limits.can_call("search_recent")
    assert limits.remaining("search_recent") == 450, "a new window starts full"


def test_a_429_without_headers_still_closes_the_window_for_15_minutes(clock: FakeClock) -> None:
    limits = RateLimits(clock)
    limits.record("liking_users", 429, {})
    assert not limits.can_call("liking_users")
    assert limits.reset_at("liking_users") == clock() + 900
    clock.advance(900)
    assert limits.can_call("liking_users")


def test_garbled_headers_are_ignored(clock: FakeClock) -> None:
    limits = RateLimits(clock)
    limits.record("user_by_id", 200, {"x-rate-limit-remaining": "lots", "x-rate-limit-limit": "300"})
    assert limits.can_call("user_by_id")
    assert (limits.limit("user_by_id"), limits.remaining("user_by_id")) == (300, None)
