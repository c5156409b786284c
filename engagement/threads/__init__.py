"""Threads (Meta's Graph API for Threads): the second platform's adapter, its sign-in and its batch reads."""

from engagement.threads._access import ThreadsAccess
from engagement.threads.models import (
    INSIGHT_METRICS,
    ThreadsAccount,
    ThreadsAuthError,
    ThreadsCounters,
    ThreadsError,
    ThreadsPost,
    ThreadsPostGone,
    ThreadsRateLimited,
    ThreadsReply,
    ThreadsUnavailable,
)

__all__ = [
    "INSIGHT_METRICS",
    "ThreadsAccess",
    "ThreadsAccount",
    "ThreadsAuthError",
    "ThreadsCounters",
    "ThreadsError",
    "ThreadsPost",
    "ThreadsPostGone",
    "ThreadsRateLimited",
    "ThreadsReply",
    "ThreadsUnavailable",
]
