"""The one HTTP session every tweepy client uses: it points tweepy at `X_API_BASE_URL` and sees every response.

tweepy's AsyncClient hard-codes `https://api.twitter.com` and calls
`async with session.request(method, url, params=..., json=..., headers=...)`
on whatever object is in `client.session`. This wrapper rewrites scheme and
host to the configured base URL, counts the request, and hands each response's
status and headers to the rate-limit book-keeping before tweepy reads the body,
so 429s and 5xx are seen too.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import aiohttp
from yarl import URL

from engagement.x._ratelimit import RateLimits, budget_key
from engagement.x.models import XUsage

ENDPOINTS = (
    "tweets_lookup",
    "retweeted_by",
    "quote_tweets",
    "liking_users",
    "search_recent",
    "user_by_username",
    "user_by_id",
)

_ENDPOINT_PATHS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("tweets_lookup", re.compile(r"/2/tweets/?")),
    ("search_recent", re.compile(r"/2/tweets/search/recent/?")),
    ("retweeted_by", re.compile(r"/2/tweets/[^/]+/retweeted_by/?")),
    ("quote_tweets", re.compile(r"/2/tweets/[^/]+/quote_tweets/?")),
    ("liking_users", re.compile(r"/2/tweets/[^/]+/liking_users/?")),
    ("user_by_username", re.compile(r"/2/users/by/username/[^/]+/?")),
    ("user_by_id", re.compile(r"/2/users/[^/]+/?")),
)


def endpoint_of(path: str) -> str:
    """The endpoint name (one of ENDPOINTS) a request path belongs to, or "other"."""
    for name, pattern in _ENDPOINT_PATHS:
        if pattern.fullmatch(path):
            return name
    return "other"


class RewritingSession:
    """Stands in for `aiohttp.ClientSession` inside tweepy; created lazily on the running loop."""

    def __init__(self, base_url: str, timeout: float, rate_limits: RateLimits, usage: XUsage, app_token: str) -> None:
        self._origin = URL(base_url).origin()
        self._app_token = app_token
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._rate_limits = rate_limits
        self._usage = usage
        self._session: aiohttp.ClientSession | None = None

    def _target(self, url: str | URL) -> URL:
        original = url if isinstance(url, URL) else URL(url)
        return URL(str(self._origin) + original.raw_path_qs, encoded=True)

    @asynccontextmanager
    async def request(self, method: str, url: str | URL, **kwargs: Any) -> AsyncIterator[aiohttp.ClientResponse]:
        if self._session is None:
            self._session = aiohttp.ClientSession(timeout=self._timeout)
        target = self._target(url)
        endpoint = endpoint_of(target.path)
        self._usage.requests[endpoint] = self._usage.requests.get(endpoint, 0) + 1
        token = str(kwargs.get("headers", {}).get("Authorization", "")).removeprefix("Bearer ")
        budget = budget_key(endpoint, None if token == self._app_token else token)
        async with self._session.request(method, target, **kwargs) as response:
            self._rate_limits.record(budget, response.status, response.headers)
            yield response

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None
