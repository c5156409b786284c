"""Why a member got points, or did not: one post (`/why`) and the posts tracked now (`/stats`)."""

from engagement.why._post import (
    DELETED_ON_X,
    NOT_COUNTED,
    NOT_SEEN_YET,
    NOT_SUBMITTED,
    OWN_POST,
    PAID,
    REMOVED,
    REVOKED,
    TRACKED,
    UNNAMED_ON_THREADS,
    WAITING,
    WINDOW_CLOSED,
    Outcome,
    PostWhy,
    explain_post,
)
from engagement.why._recent import NotCounted, not_counted

__all__ = [
    "DELETED_ON_X",
    "NOT_COUNTED",
    "NOT_SEEN_YET",
    "NOT_SUBMITTED",
    "OWN_POST",
    "PAID",
    "REMOVED",
    "REVOKED",
    "TRACKED",
    "UNNAMED_ON_THREADS",
    "WAITING",
    "WINDOW_CLOSED",
    "NotCounted",
    "Outcome",
    "PostWhy",
    "explain_post",
    "not_counted",
]
