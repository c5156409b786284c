"""The part of X's search query language the product uses: terms, "phrases", operators, OR, (), -negation.

As on X, adjacent terms are ANDed and AND binds tighter than OR.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from sandbox._fake_x_world import FakePost, World

Predicate = Callable[[FakePost], bool]

_TOKEN = re.compile(r'\(|\)|-?"[^"]*"|-?[^\s()"]+')


class QueryError(ValueError):
    """The query is not valid X search syntax (the fake answers 400)."""


def _operator(name: str, value: str, world: World) -> Predicate:
    if name == "conversation_id" and value.isdigit():
        return lambda post: post.conversation_id == value
    if name == "from":
        wanted = value.lstrip("@").lower()
        return lambda post: world.users[post.author_id].username.lower() == wanted
    if name == "is" and value == "reply":
        return lambda post: post.in_reply_to is not None
    if name == "is" and value == "quote":
        return lambda post: post.quoted is not None
    if name == "is" and value == "retweet":
        return lambda post: post.reposted is not None
    if name == "retweets_of" and value.isdigit():
        return lambda post: post.reposted is not None and world.posts[post.reposted].author_id == value
    raise QueryError(f"unsupported operator {name}:{value}")


def _term(token: str, world: World) -> Predicate:
    if token.startswith('"'):
        phrase = token.strip('"').lower()
        if not phrase:
            raise QueryError("empty phrase")
        return lambda post: phrase in post.text.lower()
    if ":" in token:
        name, _, value = token.partition(":")
        return _operator(name, value, world)
    word = token.lower()
    return lambda post: word in re.findall(r"[\w#@$]+", post.text.lower())


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

    def parse(self) -> Predicate:
        predicate = self._any()
        if self._peek() is not None:
            raise QueryError(f"unexpected {self._peek()!r}")
        return predicate

    def _any(self) -> Predicate:
        options = [self._all()]
        while self._peek() == "OR":
            self._take()
            options.append(self._all())
        return lambda post: any(option(post) for option in options)

    def _all(self) -> Predicate:
        parts: list[Predicate] = []
        while self._peek() not in (None, ")", "OR"):
            parts.append(self._unit())
        if not parts:
            raise QueryError("empty clause")
        return lambda post: all(part(post) for part in parts)

    def _unit(self) -> Predicate:
        token = self._take()
        if token == "(":
            inner = self._any()
            if self._peek() != ")":
                raise QueryError("unbalanced parentheses")
            self._take()
            return inner
        if token.startswith("-") and len(token) > 1:
            positive = _term(token[1:], self._world)
            return lambda post: not positive(post)
        return _term(token, self._world)


def compile_query(query: str, world: World) -> Predicate:
    """A predicate over posts, or `QueryError`."""
    return _Parser(query, world).parse()
