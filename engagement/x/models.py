"""Typed results of the X adapter."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class TweetMetrics:
    """A post's public counters; a batch compares them with the last seen to skip unchanged lists."""

    like_count: int = 0
    repost_count: int = 0
    reply_count: int = 0
    quote_count: int = 0
    bookmark_count: int = 0
    impression_count: int | None = None  # None when X did not say (analytics says the rate is unknown)


@dataclass(frozen=True)
class XUser:
    """An X account: `description` serves bio verification, the rest anti-sybil checks."""

    id: str
    username: str
    name: str = ""
    description: str = ""
    followers_count: int = 0
    following_count: int = 0
    post_count: int = 0
    created_at: datetime | None = None


@dataclass(frozen=True)
class Tweet:
    id: str
    author_id: str
    author_username: str
    text: str
    conversation_id: str
    created_at: datetime
    metrics: TweetMetrics = field(default_factory=TweetMetrics)
    in_reply_to_user_id: str | None = None
    reposted_id: str | None = None  # set on a repost: the post it reposts
    quoted_id: str | None = None  # set on a quote: the post it quotes
    author_followers: int | None = None  # with the author expansion only (analytics' reach)


@dataclass(frozen=True)
class TweetLookup:
    """Result of a lookup by ids: tweets found, ids X says do not exist, and other ids' problems (to retry)."""

    found: dict[str, Tweet]
    gone: frozenset[str]
    problems: dict[str, str] = field(default_factory=dict)  # id -> the problem's title


@dataclass(frozen=True)
class SearchResult:
    """Posts found by a packed search (replies, reposts, quotes), and the newest id seen (for `since_id`)."""

    tweets: list[Tweet]
    newest_id: str | None


@dataclass
class XUsage:
    """Requests and reads, for a batch's cost record."""

    requests: dict[str, int] = field(default_factory=dict)
    posts_read: int = 0
    users_read: int = 0

    POST_READ_USD = 0.005
    USER_READ_USD = 0.010

    @property
    def total_requests(self) -> int:
        return sum(self.requests.values())

    @property
    def cost_usd(self) -> float:
        return round(self.posts_read * self.POST_READ_USD + self.users_read * self.USER_READ_USD, 4)

    def copy(self) -> XUsage:
        return XUsage(dict(self.requests), self.posts_read, self.users_read)

    def plus(self, other: XUsage) -> XUsage:
        requests = dict(self.requests)
        for endpoint, count in other.requests.items():
            requests[endpoint] = requests.get(endpoint, 0) + count
        return XUsage(requests, self.posts_read + other.posts_read, self.users_read + other.users_read)

    def since(self, earlier: XUsage) -> XUsage:
        """What was spent after the `earlier` snapshot."""
        requests = {k: v - earlier.requests.get(k, 0) for k, v in self.requests.items()}
        return XUsage(
            {k: v for k, v in requests.items() if v},
            self.posts_read - earlier.posts_read,
            self.users_read - earlier.users_read,
        )
