"""The fake Threads' state: accounts, posts with their insights and replies, and the tokens it issued."""

from __future__ import annotations

import itertools
import secrets
import string
from collections.abc import Callable
from dataclasses import dataclass, field

SHORTCODE_ALPHABET = string.ascii_letters + string.digits + "_-"
LONG_LIVED = 60 * 86_400
SETTABLE_METRICS = ("views", "likes", "replies", "reposts", "quotes", "shares")


@dataclass
class FakeReply:
    id: str
    username: str  # "" for a reply the API lists without its author (hidden or from a deleted account)
    text: str
    created_at: float


@dataclass
class FakeThreadsPost:
    id: str
    owner_id: str
    username: str
    shortcode: str
    text: str
    created_at: float
    is_reply: bool = False
    views: int = 0
    likes: int = 0
    reposts: int = 0
    quotes: int = 0
    shares: int = 0
    replies: list[FakeReply] = field(default_factory=list)
    unlisted_replies: int = 0  # counted by insights but not in /replies (nested, or from private profiles)
    dropped: set[str] = field(default_factory=set)  # metrics insights leaves out
    deleted: bool = False

    @property
    def permalink(self) -> str:
        return f"https://www.threads.net/@{self.username}/post/{self.shortcode}"

    def counters(self) -> dict[str, int]:
        return {
            "views": self.views, "likes": self.likes, "replies": len(self.replies) + self.unlisted_replies,
            "reposts": self.reposts, "quotes": self.quotes, "shares": self.shares,
        }  # fmt: skip


@dataclass(frozen=True)
class TokenGrant:
    user_id: str
    expires_at: float
    issued_at: float
    kind: str  # "short" (1 hour) or "long" (60 days)


class ThreadsWorld:
    def __init__(self, clock: Callable[[], float]) -> None:
        self.clock = clock
        self.users: dict[str, str] = {}  # user id -> username
        self.post_by_id: dict[str, FakeThreadsPost] = {}
        self.tokens: dict[str, TokenGrant] = {}
        self._offsets: dict[str, int] = {}  # paging cursor -> offset
        self._ids = itertools.count(18_000_000_000_000_001)

    def add_user(self, user_id: str, username: str) -> None:
        if not user_id.isdigit():
            raise ValueError("a Threads user id is a numeric string")
        self.users[user_id] = username.lower()

    def _user(self, user_id: str) -> str:
        if user_id not in self.users:
            raise KeyError(f"no fake Threads account {user_id}")
        return self.users[user_id]

    def add_post(
        self,
        owner_id: str,
        *,
        text: str = "",
        created_at: float | None = None,
        media_id: str | None = None,
        shortcode: str | None = None,
        **counters: int,
    ) -> FakeThreadsPost:
        """A post by `owner_id`; `counters` are its insights (views, likes, replies, reposts, quotes, shares)."""
        media_id = media_id or str(next(self._ids))
        shortcode = shortcode or "C" + "".join(secrets.choice(SHORTCODE_ALPHABET) for _ in range(10))
        if not media_id.isdigit() or media_id in self.post_by_id:
            raise ValueError(f"media id {media_id!r} is not numeric or is taken")
        if any(post.shortcode == shortcode for post in self.post_by_id.values()):
            raise ValueError(f"shortcode {shortcode!r} is taken")
        when = self.clock() if created_at is None else created_at
        post = FakeThreadsPost(media_id, owner_id, self._user(owner_id), shortcode, text, when)
        self.post_by_id[post.id] = post
        self.set_insights(post.id, **counters)
        return post

    def add_reply(self, media_id: str, username: str, *, text: str = "", created_at: float | None = None) -> str:
        """A top-level reply (the post's `replies` insight counts it); `username=""` lists it without an author."""
        when = self.clock() if created_at is None else created_at
        reply = FakeReply(str(next(self._ids)), username.lower(), text, when)
        self.post_by_id[media_id].replies.append(reply)
        return reply.id

    def set_insights(self, media_id: str, **counters: int) -> None:
        """`replies=N` makes the insight N: the listed replies plus N minus them that /replies does not list."""
        post = self.post_by_id[media_id]
        for name, value in counters.items():
            if name not in SETTABLE_METRICS or value < 0:
                raise ValueError(f"not a settable metric or a negative count: {name}={value}")
            if name == "replies":
                if value < len(post.replies):
                    raise ValueError(f"the post already has {len(post.replies)} listed replies")
                post.unlisted_replies = value - len(post.replies)
            else:
                setattr(post, name, value)

    def drop_metric(self, media_id: str, name: str) -> None:
        self.post_by_id[media_id].dropped.add(name)

    def delete_post(self, media_id: str) -> None:
        self.post_by_id[media_id].deleted = True

    def posts_of(self, user_id: str) -> list[FakeThreadsPost]:
        """The account's live posts, newest first (as /me/threads lists them)."""
        mine = [p for p in self.post_by_id.values() if p.owner_id == user_id and not p.deleted]
        return sorted(mine, key=lambda p: (-p.created_at, p.id))

    def grant_token(
        self,
        user_id: str,
        *,
        expires_at: float | None = None,
        lasts: float = LONG_LIVED,
        issued_at: float | None = None,
    ) -> str:
        """A long-lived user token for `user_id` (what /connect platform:threads stores); `expires_at` beats `lasts`."""
        self._user(user_id)
        token = f"THL{secrets.token_urlsafe(24)}"
        issued = self.clock() if issued_at is None else issued_at
        expiry = self.clock() + lasts if expires_at is None else expires_at
        self.tokens[token] = TokenGrant(user_id, expiry, issued, "long")
        return token

    def expire_token(self, token: str) -> None:
        grant = self.tokens[token]
        self.tokens[token] = TokenGrant(grant.user_id, self.clock() - 1, grant.issued_at, grant.kind)

    def _valid(self, token: str) -> TokenGrant | None:
        grant = self.tokens.get(token)
        return grant if grant is not None and grant.expires_at > self.clock() else None
