"""The fake X's search index, so a search costs what it finds rather than a scan of every post.

It holds every post search could ever return (live or not: visibility is the world's to check, per search),
in creation-time order and in id order for the window a search names (`start_time`, `since_id`), and for
the operators a batch packs by the hundred (`conversation_id:` and the like) the posts each value names.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the world imports this module
    from sandbox._fake_x_world import FakePost

Term = tuple[str, str]  # (operator, value), e.g. ("conversation_id", "1850...")
Window = tuple[datetime, datetime]  # a search's start_time and end (now), inclusive


def milliseconds(moment: datetime) -> int:
    """The creation-time part of a post's `order`."""
    return int(moment.timestamp() * 1000)


class SearchIndex:
    def __init__(self) -> None:
        self._posts: dict[str, FakePost] = {}
        self._terms: dict[str, list[Term]] = {}  # post id -> the terms it is filed under
        self._named: defaultdict[Term, dict[str, FakePost]] = defaultdict(dict)
        self._by_time: list[FakePost] = []
        self._time_keys: list[int] = []
        self._by_id: list[FakePost] = []
        self._id_keys: list[int] = []
        self._sorted = True

    def add(self, post: FakePost, *, reposted_author: str | None = None) -> None:
        """File a new post (a repost with the author of the post it reposts)."""
        self._posts[post.id] = post
        self._terms[post.id] = _terms(post, reposted_author)
        for term in self._terms[post.id]:
            self._named[term][post.id] = post
        self._sorted = False

    def remove(self, post_id: str) -> None:
        self._posts.pop(post_id, None)
        for term in self._terms.pop(post_id, []):
            self._named[term].pop(post_id, None)
        self._sorted = False

    def named(self, term: Term) -> list[FakePost]:
        """Every indexed post filed under `term`."""
        return list(self._named.get(term, {}).values())

    def _sort(self) -> None:
        # Sorted again only after a change, and Timsort takes a mostly sorted list in one pass.
        if self._sorted:
            return
        self._by_time = sorted(self._posts.values(), key=lambda post: post.order)
        self._time_keys = [post.order[0] for post in self._by_time]
        self._by_id = sorted(self._posts.values(), key=lambda post: post.number)
        self._id_keys = [post.number for post in self._by_id]
        self._sorted = True

    def in_order(self) -> list[FakePost]:
        """Every indexed post, oldest first."""
        self._sort()
        return self._by_time

    def _window(self, since_id: int, start: datetime, end: datetime) -> list[FakePost]:
        """A superset of the posts with an id above `since_id` created within [start, end], from whichever
        of the two orders gives fewer (the caller checks each post exactly)."""
        self._sort()
        first = bisect.bisect_left(self._time_keys, milliseconds(start))
        last = bisect.bisect_right(self._time_keys, milliseconds(end))
        newer = bisect.bisect_right(self._id_keys, since_id)
        if len(self._id_keys) - newer < last - first:
            return self._by_id[newer:]
        return self._by_time[first:last]

    def search(
        self,
        matches: Callable[[FakePost], bool],
        pool: Iterable[FakePost] | None,
        since_id: int,
        window: Window,
        searchable: Callable[[FakePost], bool],
    ) -> list[FakePost]:
        """The searchable posts of `pool` (else of the window) that match and fall in the window, newest first."""
        start, end = window
        candidates = self._window(since_id, start, end) if pool is None else pool
        found = {
            post.id: post  # a pool may name a post twice (two OR-ed terms)
            for post in candidates
            if post.number > since_id and start <= post.created_at <= end and searchable(post) and matches(post)
        }
        return sorted(found.values(), key=lambda post: post.order, reverse=True)


def _terms(post: FakePost, reposted_author: str | None) -> list[Term]:
    """The operator terms that name `post`."""
    found: list[Term] = [("conversation_id", post.conversation_id)]
    if post.reposted and reposted_author:
        found += [("retweets_of_tweet_id", post.reposted), ("retweets_of", reposted_author)]
    if post.quoted:
        found.append(("quotes_of_tweet_id", post.quoted))
    return found
