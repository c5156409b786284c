"""A faithful fake of the X API v2 endpoints the product uses, on a loopback port.

Real response shapes (see shared X_API.md), opaque pagination tokens, `errors`
for missing posts, `x-rate-limit-*` headers with 15-minute windows on the
injected clock, 429 when a window is spent, `liking_users` refused to the app
token, injectable faults, and OAuth 2.0 "Sign in with X" (sandbox/_fake_x_oauth.py) whose
access tokens act as user tokens until they expire or are revoked. Tests, benchmarks and the
offline demo use it.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import math
import secrets
import time
from collections import Counter, defaultdict, deque
from collections.abc import Awaitable, Callable
from typing import Literal

from aiohttp import web

from engagement.x import ENDPOINTS
from sandbox._fake_x_endpoints import HANDLERS, ApiRequest, Handler, Problem
from sandbox._fake_x_oauth import OAuthServer
from sandbox._fake_x_world import FakePost, FakeUser, Json, World
from sandbox._loopback import serve_on_loopback

__all__ = ["DEFAULT_LIMITS", "FakePost", "FakeUser", "FakeX"]

WINDOW_SECONDS = 15 * 60
# The standard per-15-minute limits for an app bearer token (X_API.md).
DEFAULT_LIMITS = {
    "tweets_lookup": 3500,
    "retweeted_by": 75,
    "quote_tweets": 75,
    "liking_users": 75,
    "search_recent": 450,
    "user_by_username": 300,
    "user_by_id": 300,
    "users_me": 75,
}
# engagement.x.ENDPOINTS plus what only the fake serves (the product's adapter does not call /2/users/me).
FAKE_ENDPOINTS = (*ENDPOINTS, "users_me")
Fault = Literal["500", "timeout", "malformed", "nested"]
PagingFault = Literal["repeat_token", "endless"]
NESTING = 100_000  # levels of a "nested" fault's body: far past what json.loads can recurse into
_TOKEN_PARAMS = ("pagination_token", "next_token")
_UNAUTHORIZED = {"title": "Unauthorized", "type": "about:blank", "status": 401, "detail": "Unauthorized"}
_TOO_MANY = {"title": "Too Many Requests", "type": "about:blank", "status": 429, "detail": "Too Many Requests"}
_SERVER_ERROR = {"title": "Internal Server Error", "type": "about:blank", "status": 500, "detail": "Something broke"}


class FakeX(World):
    """In-memory X plus an aiohttp app on 127.0.0.1 at a random port."""

    def __init__(self, *, clock: Callable[[], float] = time.time) -> None:
        super().__init__(clock)
        self.bearer_token = f"fake-app-{secrets.token_hex(12)}"
        self.request_counts: Counter[str] = Counter()
        self.base_url = ""
        self.timeout_fault_seconds = 5.0  # longer than any test's client timeout; cut short by close()
        self._user_tokens: dict[str, str] = {}  # user token -> user id: granted here or issued by OAuth
        self._oauth = OAuthServer(self, self._user_tokens)
        self.oauth_requests: Counter[str] = self._oauth.requests  # token requests by grant type, and "revoke"
        self._limits = dict(DEFAULT_LIMITS)
        self._windows: dict[str, tuple[float, int]] = {}  # bucket -> (window start, requests used)
        self._faults: defaultdict[str, deque[Fault]] = defaultdict(deque)
        self._paging_faults: dict[str, PagingFault] = {}
        self._fault_tokens = itertools.count(1)
        self._closing = asyncio.Event()
        self._runner: web.AppRunner | None = None

    # control

    def grant_user_token(self, user_id: str, *, token: str | None = None) -> str:
        """An OAuth 2.0 user token for `user_id` (what /connect stores after "Sign in with X")."""
        self._user(user_id)
        token = token or f"fake-user-{secrets.token_hex(12)}"
        if token == self.bearer_token or self._user_tokens.get(token, user_id) != user_id:
            raise ValueError("that token belongs to someone else")
        self._user_tokens[token] = user_id
        return token

    def register_oauth_client(self, client_id: str, redirect_uri: str, *, secret: str | None = None) -> None:
        """An app that may use "Sign in with X": public without `secret`, else confidential (HTTP Basic)."""
        self._oauth.register_client(client_id, redirect_uri, secret=secret)

    def approve(self, authorize_url: str, username: str) -> str:
        """What the approve page does when `username` clicks "Authorize app": the callback URL (with the code).

        Validates like GET /i/oauth2/authorize; ValueError (AuthorizeError) where X shows an error page."""
        return self._oauth.approve_url(authorize_url, username)

    def expire_user_tokens(self, user_id: str) -> None:
        """Every access token of `user_id` expires now (its OAuth grants stay: refresh still works)."""
        self._user(user_id)
        self._oauth.expire_user(user_id)
        self._drop_user_tokens(user_id)

    def end_grants(self, user_id: str) -> None:
        """As if the member revoked the app at X: refresh tokens refused, access tokens 401."""
        self._user(user_id)
        self._oauth.end_grants(user_id)
        self._drop_user_tokens(user_id)

    def _drop_user_tokens(self, user_id: str) -> None:
        for token in [token for token, owner in self._user_tokens.items() if owner == user_id]:
            del self._user_tokens[token]

    def set_limit(self, endpoint: str, limit: int) -> None:
        self._limits[_known(endpoint)] = limit

    def inject_fault(self, endpoint: str, kind: Fault, times: int = 1) -> None:
        """The next `times` requests to `endpoint` fail: HTTP 500, a hang past the client's timeout, or bad JSON."""
        if kind not in ("500", "timeout", "malformed", "nested"):
            raise ValueError(f"unknown fault {kind!r}")
        self._faults[_known(endpoint)].extend([kind] * times)

    def inject_paging_fault(self, endpoint: str, kind: PagingFault | None) -> None:
        """From now on `endpoint` never ends a list: its first page comes back with the same next_token
        every time ("repeat_token") or with a new one every time ("endless"). None stops it."""
        if kind is None:
            self._paging_faults.pop(_known(endpoint), None)
        elif kind in ("repeat_token", "endless"):
            self._paging_faults[_known(endpoint)] = kind
        else:
            raise ValueError(f"unknown paging fault {kind!r}")

    def inject_problem(self, tweet_id: str, problem: Json, times: int = 1) -> None:
        """The next `times` lookups of `tweet_id` answer with `problem` in `errors` instead of the post."""
        self.lookup_problems[tweet_id].extend([problem] * times)

    def reset_counts(self) -> None:
        self.request_counts.clear()

    # lifecycle

    async def start(self) -> str:
        app = web.Application()
        for endpoint, (path, handler) in HANDLERS.items():
            app.router.add_get(path, self._serve(endpoint, handler))
        self._oauth.add_routes(app)
        self._runner, self.base_url = await serve_on_loopback(app)
        return self.base_url

    async def close(self) -> None:
        self._closing.set()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    # serving

    def _spend(self, endpoint: str, bucket: str) -> tuple[bool, dict[str, str]]:
        """Take one request from the bucket's window; False when it is spent. Returns the headers to send.

        The app has one bucket per endpoint; each user token another, as X counts user context per user.
        """
        now = self._clock()
        start, used = self._windows.get(bucket, (now, 0))
        if now >= start + WINDOW_SECONDS:
            start, used = now, 0
        limit = self._limits[endpoint]
        allowed = used < limit
        used += allowed
        self._windows[bucket] = (start, used)
        headers = {
            "x-rate-limit-limit": str(limit),
            "x-rate-limit-remaining": str(max(limit - used, 0)),
            "x-rate-limit-reset": str(math.ceil(start + WINDOW_SECONDS)),
        }
        return allowed, headers

    async def _fault(self, kind: Fault, headers: dict[str, str]) -> web.Response:
        if kind == "malformed":
            return web.Response(status=200, text='{"data": [{"id": ', content_type="application/json", headers=headers)
        if kind == "nested":
            text = '{"data": ' + "[" * NESTING + "]" * NESTING + "}"
            return web.Response(status=200, text=text, content_type="application/json", headers=headers)
        if kind == "timeout":
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._closing.wait(), self.timeout_fault_seconds)
            return web.json_response({**_SERVER_ERROR, "status": 503}, status=503, headers=headers)
        return web.json_response(_SERVER_ERROR, status=500, headers=headers)

    def _serve(self, endpoint: str, handler: Handler) -> Callable[[web.Request], Awaitable[web.Response]]:
        async def serve(request: web.Request) -> web.Response:
            self.request_counts[endpoint] += 1
            token = request.headers.get("Authorization", "").removeprefix("Bearer ")
            if self._oauth.expired(token):
                self._user_tokens.pop(token, None)
            if token != self.bearer_token and token not in self._user_tokens:
                return web.json_response(_UNAUTHORIZED, status=401)
            bucket = endpoint if token == self.bearer_token else f"{endpoint}@{self._user_tokens[token]}"
            allowed, headers = self._spend(endpoint, bucket)
            if not allowed:
                return web.json_response(_TOO_MANY, status=429, headers=headers)
            if self._faults[endpoint]:
                return await self._fault(self._faults[endpoint].popleft(), headers)
            paging = self._paging_faults.get(endpoint)
            params = {k: v for k, v in request.query.items() if not (paging and k in _TOKEN_PARAMS)}
            api_request = ApiRequest(params, request.match_info, self._user_tokens.get(token), self.now())
            try:
                status, body = 200, handler(self, api_request)
            except Problem as problem:
                status, body = problem.status, problem.body
            if paging and status == 200:
                body.setdefault("meta", {})["next_token"] = self._paging_fault_token(paging)
            return web.json_response(body, status=status, headers=headers)

        return serve

    def _paging_fault_token(self, kind: PagingFault) -> str:
        return "repeatingtoken" if kind == "repeat_token" else f"endlesstoken{next(self._fault_tokens)}"


def _known(endpoint: str) -> str:
    if endpoint not in FAKE_ENDPOINTS:
        raise ValueError(f"unknown endpoint {endpoint!r}; one of {', '.join(FAKE_ENDPOINTS)}")
    return endpoint
