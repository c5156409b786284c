"""What the Threads adapter answers with (Meta's Graph API for Threads), and how it fails."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from engagement.errors import EngagementError

INSIGHT_METRICS = ("views", "likes", "replies", "reposts", "quotes", "shares")


@dataclass(frozen=True)
class ThreadsAccount:
    """The owner of a token (`GET /me`)."""

    user_id: str
    username: str


@dataclass(frozen=True)
class ThreadsPost:
    """One Threads post (media object) as the API describes it."""

    id: str
    owner_id: str
    username: str
    permalink: str
    shortcode: str
    text: str
    created_at: datetime
    is_reply: bool = False


@dataclass(frozen=True)
class ThreadsCounters:
    """A post's lifetime insights; a metric the API left out is 0 here and named in `missing`."""

    views: int = 0
    likes: int = 0
    replies: int = 0
    reposts: int = 0
    quotes: int = 0
    shares: int = 0
    missing: tuple[str, ...] = ()


@dataclass(frozen=True)
class ThreadsReply:
    """A top-level reply to a post (`GET /{media-id}/replies`): it names the replying account by username."""

    id: str
    username: str
    text: str
    created_at: datetime


class ThreadsError(EngagementError):
    """Threads answered with an error, or could not be used."""


class ThreadsAuthError(ThreadsError):
    """The token was refused (Graph error code 190: expired, revoked or invalid)."""


class ThreadsRateLimited(ThreadsError):
    """Threads' rate limit is reached (Graph codes 4, 17, 32, 613, or HTTP 429)."""

    def __init__(self, message: str, reset_at: float = 0.0) -> None:
        super().__init__(message)
        self.reset_at = reset_at


class ThreadsPostGone(ThreadsError):
    """The post does not exist (deleted) or cannot be seen with this token."""


class ThreadsUnavailable(ThreadsError):
    """Threads could not be reached or answered something unreadable: try again later, nothing is lost."""

    refused = False  # Threads answered 400/403 with no code this client knows (the app check reads it)
