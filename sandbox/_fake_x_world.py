"""The fake X's in-memory world: users, posts, likes and reposts, and how X renders them as JSON."""

from __future__ import annotations

import itertools
import re
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property
from typing import Any

from sandbox._fake_x_search import SearchIndex, Window, milliseconds

TWEPOCH_MS = 1_288_834_974_657  # X's snowflake epoch: ids grow with creation time
FIRST_USER_ID = 1_400_000_000
_USERNAME = re.compile(r"[A-Za-z0-9_]{1,15}")

Json = dict[str, Any]


def x_time(moment: datetime) -> str:
    """X's timestamp format, e.g. 2026-11-22T10:00:00.000Z."""
    moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def posted_at(tweet_id: str) -> datetime:
    """The creation time a snowflake id encodes."""
    return datetime.fromtimestamp(((int(tweet_id) >> 22) + TWEPOCH_MS) / 1000, UTC)


@dataclass
class FakeUser:
    id: str
    username: str
    name: str
    description: str
    created_at: datetime
    followers: int
    following: int = 0


def _referenced(post: FakePost) -> list[Json]:
    kinds = (("retweeted", post.reposted), ("replied_to", post.in_reply_to), ("quoted", post.quoted))
    return [{"type": kind, "id": target} for kind, target in kinds if target]


@dataclass
class FakePost:
    id: str
    author_id: str
    text: str
    created_at: datetime
    conversation_id: str
    in_reply_to: str | None = None
    quoted: str | None = None
    deleted: bool = False
    reposted: str | None = None  # a repost ("RT @..."): the post it reposts

    # A post's id and creation time never change, so its keys are computed once (search sorts by them).
    @cached_property
    def order(self) -> tuple[int, ...]:
        """Sort key, newest last: creation time, then id."""
        return (milliseconds(self.created_at), self.number)

    @cached_property
    def number(self) -> int:
        """The id as a number (what `since_id` compares)."""
        return int(self.id)


class World:
    """Users and posts; helpers return the created id (ids are strings of digits)."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self.users: dict[str, FakeUser] = {}
        self.posts: dict[str, FakePost] = {}
        self._by_username: dict[str, str] = {}
        self._likes: defaultdict[str, dict[str, int]] = defaultdict(dict)  # post id -> {user id: sequence}
        self._reposts: defaultdict[str, dict[str, int]] = defaultdict(dict)
        self.repost_posts: dict[str, FakePost] = {}  # reposts as X also serves them: posts of their own
        self._replies: defaultdict[str, list[str]] = defaultdict(list)  # post id -> ids of direct replies
        self._quotes: defaultdict[str, list[str]] = defaultdict(list)
        self._sequence = itertools.count(1)
        self.lookup_problems: defaultdict[str, deque[Json]] = defaultdict(deque)  # injected, one per lookup
        self.search_index = SearchIndex()
        # Kept as they change, as a user's counters are rendered for every liker and reposter listed.
        self._post_counts: Counter[str] = Counter()  # author id -> live posts
        self._like_counts: Counter[str] = Counter()  # user id -> posts liked

    def now(self) -> datetime:
        return datetime.fromtimestamp(self._clock(), UTC)

    def _user(self, user_id: str) -> FakeUser:
        if user_id not in self.users:
            raise KeyError(f"no fake X user {user_id}")
        return self.users[user_id]

    def _post(self, tweet_id: str) -> FakePost:
        if tweet_id not in self.posts:
            raise KeyError(f"no fake X post {tweet_id}")
        return self.posts[tweet_id]

    def add_user(
        self,
        username: str,
        *,
        user_id: str | None = None,
        description: str = "",
        created_at: datetime | None = None,
        followers: int = 10,
    ) -> str:
        if not _USERNAME.fullmatch(username) or username.lower() in self._by_username:
            raise ValueError(f"username {username!r} is invalid or taken")
        user_id = user_id or str(FIRST_USER_ID + len(self.users) + 1)
        if not user_id.isdigit() or user_id in self.users:
            raise ValueError(f"user id {user_id!r} is invalid or taken")
        name = username.replace("_", " ").title()
        self.users[user_id] = FakeUser(user_id, username, name, description, created_at or self.now(), followers)
        self._by_username[username.lower()] = user_id
        return user_id

    def user_named(self, username: str) -> FakeUser | None:
        user_id = self._by_username.get(username.lower())
        return self.users[user_id] if user_id else None

    def set_description(self, user_id: str, description: str) -> None:
        self._user(user_id).description = description

    def rename_user(self, user_id: str, username: str) -> None:
        """The account takes a new handle; the old one is free for anyone (as on X)."""
        user = self._user(user_id)
        if not _USERNAME.fullmatch(username) or username.lower() in self._by_username:
            raise ValueError(f"username {username!r} is invalid or taken")
        del self._by_username[user.username.lower()]
        user.username = username
        self._by_username[username.lower()] = user_id

    def _new_post_id(self, created_at: datetime) -> str:
        milliseconds = max(int(created_at.timestamp() * 1000) - TWEPOCH_MS, 0)
        return str((milliseconds << 22) | (next(self._sequence) & 0x3FFFFF))

    def add_tweet(
        self,
        author_id: str,
        text: str = "",
        *,
        tweet_id: str | None = None,
        created_at: datetime | None = None,
        in_reply_to: str | None = None,
        quoted: str | None = None,
    ) -> str:
        """A post; a reply joins its parent's conversation, anything else starts its own."""
        self._user(author_id)
        created_at = created_at or self.now()
        tweet_id = tweet_id or self._new_post_id(created_at)
        if not tweet_id.isdigit() or tweet_id in self.posts:
            raise ValueError(f"post id {tweet_id!r} is invalid or taken")
        conversation_id = self._post(in_reply_to).conversation_id if in_reply_to else tweet_id
        if quoted:
            self._post(quoted)
        text = text or f"post {len(self.posts) + 1}"
        post = FakePost(tweet_id, author_id, text, created_at, conversation_id, in_reply_to, quoted)
        self.posts[tweet_id] = post
        self.search_index.add(post)
        self._post_counts[author_id] += 1
        if in_reply_to:
            self._replies[in_reply_to].append(tweet_id)
        if quoted:
            self._quotes[quoted].append(tweet_id)
        return tweet_id

    def reply(self, user_id: str, tweet_id: str, text: str = "", *, created_at: datetime | None = None) -> str:
        return self.add_tweet(user_id, text or "reply", created_at=created_at, in_reply_to=tweet_id)

    def quote(self, user_id: str, tweet_id: str, text: str = "", *, created_at: datetime | None = None) -> str:
        return self.add_tweet(user_id, text or "quote", created_at=created_at, quoted=tweet_id)

    def like(self, user_id: str, tweet_id: str) -> None:
        self._user(user_id)
        likers = self._likes[self._post(tweet_id).id]
        if user_id not in likers:
            likers[user_id] = next(self._sequence)
            self._like_counts[user_id] += 1

    def retweet(self, user_id: str, tweet_id: str) -> None:
        self._user(user_id)
        original = self._post(tweet_id)
        if user_id in self._reposts[original.id]:
            return
        self._reposts[original.id][user_id] = next(self._sequence)
        now = self.now()
        repost_id = self._new_post_id(now)
        text = f"RT @{self.users[original.author_id].username}: {original.text}"
        repost = FakePost(repost_id, user_id, text, now, repost_id, reposted=original.id)
        self.repost_posts[repost_id] = repost
        self.search_index.add(repost, reposted_author=original.author_id)

    def unretweet(self, user_id: str, tweet_id: str) -> None:
        """Undo a repost: off the post's reposters and out of search."""
        if self._reposts[self._post(tweet_id).id].pop(user_id, None) is None:
            return
        reposts = self.repost_posts.items()
        undone = [key for key, post in reposts if (post.author_id, post.reposted) == (user_id, tweet_id)]
        for key in undone:
            del self.repost_posts[key]
            self.search_index.remove(key)

    def unlike(self, user_id: str, tweet_id: str) -> None:
        if self._likes[self._post(tweet_id).id].pop(user_id, None) is not None:
            self._like_counts[user_id] -= 1

    def delete_tweet(self, tweet_id: str) -> None:
        post = self._post(tweet_id)
        if not post.deleted:
            self._post_counts[post.author_id] -= 1
        post.deleted = True

    # queries the endpoints make

    def take_problem(self, tweet_id: str) -> Json | None:
        """An injected problem for the next lookup of `tweet_id`, if any is left."""
        problems = self.lookup_problems.get(tweet_id)
        return problems.popleft() if problems else None

    def visible(self, tweet_id: str) -> FakePost | None:
        post = self.posts.get(tweet_id)
        return post if post and not post.deleted else None

    def _searchable(self, post: FakePost) -> bool:
        """What search sees: live posts and reposts of live posts."""
        return self.visible(post.reposted) is not None if post.reposted else not post.deleted

    def searchable_posts(self) -> list[FakePost]:
        """Every post search sees, newest first."""
        return [post for post in reversed(self.search_index.in_order()) if self._searchable(post)]

    def search(
        self, matches: Callable[[FakePost], bool], pool: Iterable[FakePost] | None, since_id: int, window: Window
    ) -> list[FakePost]:
        """Searchable posts that match, newer than `since_id` and created within `window`, newest first.

        `pool`: a superset of the matches when the query names its posts (`search_index.named`); else None.
        """
        return self.search_index.search(matches, pool, since_id, window, self._searchable)

    def _engagers(self, table: dict[str, dict[str, int]], tweet_id: str) -> list[tuple[tuple[int, ...], FakeUser]]:
        engaged = sorted(table.get(tweet_id, {}).items(), key=lambda item: item[1], reverse=True)
        return [((sequence,), self.users[user_id]) for user_id, sequence in engaged]

    def reposters(self, tweet_id: str) -> list[tuple[tuple[int, ...], FakeUser]]:
        """(cursor key, user), newest repost first."""
        return self._engagers(self._reposts, tweet_id)

    def likers(self, tweet_id: str) -> list[tuple[tuple[int, ...], FakeUser]]:
        return self._engagers(self._likes, tweet_id)

    def _live(self, ids: list[str]) -> list[FakePost]:
        return [self.posts[i] for i in ids if not self.posts[i].deleted]

    def quotes_of(self, tweet_id: str) -> list[FakePost]:
        """Quotes of a post, newest first."""
        return sorted(self._live(self._quotes.get(tweet_id, [])), key=lambda p: p.order, reverse=True)

    # rendering as X does: only the fields asked for, plus the defaults

    def metrics(self, post: FakePost) -> Json:
        reposts = len(self._reposts.get(post.id, {}))
        likes = len(self._likes.get(post.id, {}))
        replies = len(self._live(self._replies.get(post.id, [])))
        return {
            "repost_count": reposts,
            "retweet_count": reposts,  # the pre-2025 name, still sent by some responses
            "reply_count": replies,
            "like_count": likes,
            "quote_count": len(self._live(self._quotes.get(post.id, []))),
            "bookmark_count": 0,
            "impression_count": 100 + 40 * (reposts + likes + replies),
        }

    def post_json(self, post: FakePost, fields: Collection[str]) -> Json:
        rendered: Json = {"id": post.id, "text": post.text, "edit_history_tweet_ids": [post.id]}
        optional: dict[str, Callable[[], Any]] = {
            "author_id": lambda: post.author_id,
            "conversation_id": lambda: post.conversation_id,
            "created_at": lambda: x_time(post.created_at),
            "public_metrics": lambda: self.metrics(post),
        }
        if post.in_reply_to and post.in_reply_to in self.posts:
            optional["in_reply_to_user_id"] = lambda: self.posts[str(post.in_reply_to)].author_id
        referenced = _referenced(post)
        if referenced:
            optional["referenced_tweets"] = lambda: referenced
        rendered.update({name: value() for name, value in optional.items() if name in fields})
        return rendered

    def user_json(self, user: FakeUser, fields: Collection[str]) -> Json:
        rendered: Json = {"id": user.id, "name": user.name, "username": user.username}
        posts = self._post_counts[user.id]
        optional: dict[str, Callable[[], Any]] = {
            "created_at": lambda: x_time(user.created_at),
            "description": lambda: user.description,
            "public_metrics": lambda: {
                "followers_count": user.followers,
                "following_count": user.following,
                "post_count": posts,
                "tweet_count": posts,
                "listed_count": 0,
                "like_count": self._like_counts[user.id],
            },
        }
        rendered.update({name: value() for name, value in optional.items() if name in fields})
        return rendered
