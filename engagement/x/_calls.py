"""One X request with the adapter's failure policy: budget check, bounded retry, typed errors."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import aiohttp
import tweepy

from engagement.x._ratelimit import WINDOW_SECONDS, RateLimits
from engagement.x.errors import RateLimited, XAuthError, XError, XUnavailable

logger = logging.getLogger(__name__)

MAX_TRIES = 3
APP_TOKEN = "TWITTER_BEARER_TOKEN"
AUTHOR_TOKEN = "the author's OAuth token"

# What a flaky X, a slow network or a garbled body raises; everything else is a bug and propagates.
# json gives up on a body nested thousands of levels deep with RecursionError: a garbled body too.
_CAUGHT = (
    tweepy.HTTPException,
    aiohttp.ClientError,
    TimeoutError,
    json.JSONDecodeError,
    UnicodeDecodeError,
    RecursionError,
)

Json = dict[str, Any]


def _status(error: BaseException) -> int | None:
    if isinstance(error, tweepy.HTTPException):
        return int(error.response.status)
    if isinstance(error, aiohttp.ClientResponseError):
        return error.status
    return None


def _describe(error: BaseException) -> str:
    if isinstance(error, RecursionError):
        return "the body is nested too deeply to read"
    return f"{type(error).__name__}: {str(error)[:200]}"


def _auth_advice(token_name: str) -> str:
    if token_name == AUTHOR_TOKEN:
        return "the author must connect again with X (OAuth, like.read scope) before likes can be read"
    return f"check {APP_TOKEN} (the app's bearer token from the X developer portal)"


class Caller:
    """Runs tweepy calls for every endpoint; shares the process's rate-limit book-keeping."""

    def __init__(self, rate_limits: RateLimits, clock: Callable[[], float], retry_delays: Sequence[float]) -> None:
        self._rate_limits = rate_limits
        self._clock = clock
        self._retry_delays = tuple(retry_delays)[: MAX_TRIES - 1]

    def check_budget(self, endpoint: str, budget: str | None = None) -> None:
        """Raise `RateLimited` without a request when the last headers said the window is spent."""
        if not self._rate_limits.can_call(budget or endpoint):
            raise RateLimited(endpoint, self._reset_at(budget or endpoint))

    def _reset_at(self, endpoint: str) -> float:
        return self._rate_limits.reset_at(endpoint) or self._clock() + WINDOW_SECONDS

    def _raise_final(self, endpoint: str, error: BaseException, token_name: str, budget: str | None = None) -> None:
        """Turn an error no retry can fix into the adapter's typed error; return if a retry may help."""
        status = _status(error)
        if status == 429:
            raise RateLimited(endpoint, self._reset_at(budget or endpoint)) from None
        if status in (401, 403):
            raise XAuthError(f"X refused {token_name} for {endpoint} (HTTP {status}): {_auth_advice(token_name)}")
        if status is not None and 400 <= status < 500:
            raise XError(f"X rejected a {endpoint} request (HTTP {status}): {str(error)[:200]}")

    async def call(
        self,
        endpoint: str,
        request: Callable[[], Awaitable[Any]],
        *,
        token_name: str = APP_TOKEN,
        budget: str | None = None,
    ) -> Json:
        """The JSON body of one successful request; 404 counts as an empty body."""
        failure = "no answer"
        for delay in (*self._retry_delays, None):
            self.check_budget(endpoint, budget)
            try:
                body = await request()
            except _CAUGHT as error:
                if _status(error) == 404:
                    return {}
                self._raise_final(endpoint, error, token_name, budget)
                failure = _describe(error)
            else:
                if isinstance(body, dict):
                    return body
                failure = "the body is not a JSON object"
            if delay is not None:
                logger.warning("X %s failed (%s); retrying in %.2fs", endpoint, failure, delay)
                await asyncio.sleep(delay)
        raise XUnavailable(f"X did not answer {endpoint} after {len(self._retry_delays) + 1} tries: {failure}")
