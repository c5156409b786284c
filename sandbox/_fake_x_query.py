"""The part of X's search query language the product uses: terms, "phrases", operators, OR, (), -negation.

As on X, adjacent terms are ANDed and AND binds tighter than OR.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from sandbox._fake_x_world import FakePost, World

Predicate = Callable[[FakePost], bool]

_TOKEN = re.compile(r'\(|\)|-?"[^"]*"|-?[^\s()"]+')
# Operators whose value names the posts they match (the world indexes them): a query built of these
# is answered from the posts they name, not by a scan of every post.
_BY_ID: dict[str, Callable[[FakePost], str | None]] = {
    "conversation_id": lambda post: post.conversation_id,
    "retweets_of_tweet_id": lambda post: post.reposted,
    "quotes_of_tweet_id": lambda post: post.quoted,
}


class QueryError(ValueError):
    """The query is not valid X search syntax (the fake answers 400)."""


@dataclass(frozen=True)
class Query:
    """Whether a post matches, and when the query names its posts, a superset of the matches (else None)."""

    matches: Predicate
    pool: list[FakePost] | None = None


def _operator(name: str, value: str, world: World) -> Query:
    if name in _BY_ID and value.isdigit():
        field = _BY_ID[name]
        return Query(lambda post: field(post) == value, world.search_index.named((name, value)))
    if name == "from":
        wanted = value.lstrip("@").lower()
        return Query(lambda post: world.users[post.author_id].username.lower() == wanted)
    if name == "is" and value == "reply":
        return Query(lambda post: post.in_reply_to is not None)
    if name == "is" and value == "quote":
        return Query(lambda post: post.quoted is not None)
    if name == "is" and value == "retweet":
        return Query(lambda post: post.reposted is not None)
    if name == "retweets_of" and value.isdigit():
        return Query(
            lambda post: post.reposted is not None and world.posts[post.reposted].author_id == value,
            world.search_index.named((name, value)),
        )
    raise QueryError(f"unsupported operator {name}:{value}")


def _term(token: str, world: World) -> Query:
    if token.startswith('"'):
        phrase = token.strip('"').lower()
        if not phrase:
            raise QueryError("empty phrase")
        return Query(lambda post: phrase in post.text.lower())
    if ":" in token:
        name, _, value = token.partition(":")
        return _operator(name, value, world)
    word = token.lower()
    return Query(lambda post: word in re.findall(r"[\w#@$]+", post.text.lower()))


def _any_of(options: list[Query]) -> Query:
    """OR: its pool is every option's, if each has one."""
    if len(options) == 1:
        return options[0]
    pools = [option.pool for option in options]
    pool = None if any(p is None for p in pools) else [post for p in pools for post in p or []]
    return Query(lambda post: any(option.matches(post) for option in options), pool)


def _all_of(parts: list[Query]) -> Query:
    """AND: the smallest pool of its parts (every match is in each of them)."""
    if len(parts) == 1:
        return parts[0]
    pools = [part.pool for part in parts if part.pool is not None]
    return Query(lambda post: all(part.matches(post) for part in parts), min(pools, key=len, default=None))


class _Parser:
    def __init__(self, query: str, world: World) -> None:
        self._tokens: list[str] = _TOKEN.findall(query)
        self._position = 0
        self._world = world

    def _peek(self) -> str | None:
        return self._tokens[self._position] if self._position < len(self._tokens) else None

    def _take(self) -> str:
        token = self._tokens[self._position]
        self._position += 1
        return token

    def parse(self) -> Query:
        query = self._any()
        if self._peek() is not None:
            raise QueryError(f"unexpected {self._peek()!r}")
        return query

    def _any(self) -> Query:
        options = [self._all()]
        while self._peek() == "OR":
            self._take()
            options.append(self._all())
        return _any_of(options)

    def _all(self) -> Query:
        parts: list[Query] = []
        while self._peek() not in (None, ")", "OR"):
            parts.append(self._unit())
        if not parts:
            raise QueryError("empty clause")
        return _all_of(parts)

    def _unit(self) -> Query:
        token = self._take()
        if token == "(":
            inner = self._any()
            if self._peek() != ")":
                raise QueryError("unbalanced parentheses")
            self._take()
            return inner
        if token.startswith("-") and len(token) > 1:
            positive = _term(token[1:], self._world).matches
            return Query(lambda post: not positive(post))
        return _term(token, self._world)


def compile_query(query: str, world: World) -> Query:
    """What the query matches, or `QueryError`."""
    return _Parser(query, world).parse()
