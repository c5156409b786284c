"""The fake Threads' OAuth side, as Meta documents it: the authorize page, the code (single use, 10 minutes) for a
short-lived token (1 hour), `th_exchange_token` for a long-lived one (60 days), `th_refresh_token` (only for a
long-lived token at least 24 hours old and not expired), and the app token (`client_credentials`).
Errors in Graph's shape; injected faults (`fail_next`) hit these endpoints and the Graph ones alike."""

from __future__ import annotations

import secrets
import time
from collections import Counter, deque
from collections.abc import Callable
from typing import Any, Literal
from urllib.parse import parse_qs, urlencode, urlsplit

from aiohttp import web

from sandbox._fake_threads_world import LONG_LIVED, ThreadsWorld, TokenGrant

SHORT_LIVED = 3600
CODE_SECONDS = 600
REFRESH_MIN_AGE = 86_400
Fault = Literal["500", "malformed"]
_BAD_TOKEN = "Error validating access token: Session has expired or the token is invalid."


def graph_error(code: int, message: str, subcode: int | None = None, status: int = 400) -> web.Response:
    error: dict[str, Any] = {"message": message, "type": "OAuthException", "code": code}
    if subcode is not None:
        error["error_subcode"] = subcode
    error["fbtrace_id"] = secrets.token_urlsafe(8)
    return web.json_response({"error": error}, status=status)


def _query(url: str) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}


class ThreadsOAuth(ThreadsWorld):
    """Accounts and posts (ThreadsWorld) plus the app's credentials, codes and token endpoints."""

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        super().__init__(clock)
        self.app_id = str(900_000_000 + secrets.randbelow(99_999_999))
        self.app_secret = secrets.token_hex(16)
        self.oauth_requests: Counter[str] = Counter()  # token requests by grant type
        self._faults: deque[Fault] = deque()
        self._codes: dict[str, tuple[str, str, float]] = {}  # code -> (user id, redirect_uri, expiry)
        self._authorize_as: str | None = None
        self._deny_next = False

    # control

    def fail_next(self, fault: Fault) -> None:
        """The next request to any endpoint answers HTTP 500 (Graph's code 1) or a 200 that is not JSON."""
        if fault not in ("500", "malformed"):
            raise ValueError(f"unknown fault {fault!r}")
        self._faults.append(fault)

    def authorize_as(self, user_id: str) -> None:
        """Who presses Allow when a browser opens GET /oauth/authorize (without `as_user`)."""
        self._user(user_id)
        self._authorize_as = user_id

    def deny_next(self) -> None:
        """The next GET /oauth/authorize is cancelled: it redirects with error=access_denied."""
        self._deny_next = True

    def approve(self, authorize_url: str, user_id: str) -> str:
        """What the browser is sent to after `user_id` presses Allow on the authorize page: the callback URL."""
        return self._redirect(_query(authorize_url), user_id)

    def deny(self, authorize_url: str) -> str:
        query = _query(authorize_url)
        answer = {"error": "access_denied", "error_reason": "user_denied", "state": query.get("state", "")}
        answer["error_description"] = "Permissions error"
        return f"{query['redirect_uri']}?{urlencode(answer)}"

    def _redirect(self, query: dict[str, str], user_id: str) -> str:
        if query.get("client_id") != self.app_id or "threads_basic" not in query.get("scope", "").split(","):
            raise ValueError("the authorize URL names another app or lacks threads_basic")
        if query.get("response_type") != "code" or not query.get("redirect_uri"):
            raise ValueError("the authorize URL lacks response_type=code or a redirect_uri")
        self._user(user_id)
        code = secrets.token_urlsafe(24)
        self._codes[code] = (user_id, query["redirect_uri"], self.clock() + CODE_SECONDS)
        return f"{query['redirect_uri']}?{urlencode({'code': code, 'state': query.get('state', '')})}#_"

    # shared with the Graph side

    def _fault(self) -> web.Response | None:
        if not self._faults:
            return None
        if self._faults.popleft() == "malformed":
            return web.Response(status=200, text="<html>not json", content_type="text/html")
        return graph_error(1, "An unknown error has occurred.", status=500)

    def _issue(self, user_id: str, lasts: float, kind: str) -> str:
        token = f"TH{kind[0].upper()}{secrets.token_urlsafe(24)}"
        self.tokens[token] = TokenGrant(user_id, self.clock() + lasts, self.clock(), kind)
        return token

    # HTTP

    def add_oauth_routes(self, app: web.Application) -> None:
        app.router.add_get("/oauth/authorize", self._authorize)
        app.router.add_post("/oauth/access_token", self._code_exchange)
        app.router.add_get("/oauth/access_token", self._app_token)
        app.router.add_get("/access_token", self._long_lived)
        app.router.add_get("/refresh_access_token", self._refresh)

    async def _authorize(self, request: web.Request) -> web.Response:
        """Without a browser to press Allow: `as_user`, else `authorize_as`'s account, else the first one approves."""
        query = dict(request.query)
        if self._deny_next:
            self._deny_next = False
            raise web.HTTPFound(self.deny(str(request.url)))
        user_id = query.get("as_user") or self._authorize_as or next(iter(self.users), "")
        if not user_id:
            return web.Response(status=400, text="no account to approve with")
        try:
            location = self._redirect(query, user_id)
        except (ValueError, KeyError) as error:
            return web.Response(status=400, text=f"Something went wrong: {error}")
        raise web.HTTPFound(location)

    async def _code_exchange(self, request: web.Request) -> web.Response:
        self.oauth_requests["authorization_code"] += 1
        form = await request.post()
        if (faulty := self._fault()) is not None:
            return faulty
        if (form.get("client_id"), form.get("client_secret")) != (self.app_id, self.app_secret):
            return graph_error(101, "Error validating application. Invalid application ID.")
        found = self._codes.pop(str(form.get("code", "")), None)  # single use, whatever comes of this attempt
        if form.get("grant_type") != "authorization_code" or found is None:
            return graph_error(100, "Invalid verification code format.", 36008)
        user_id, redirect_uri, expires_at = found
        if redirect_uri != form.get("redirect_uri"):
            return graph_error(100, "Error validating verification code. Please make sure your redirect_uri is "
                               "identical to the one you used in the OAuth dialog request", 36008)  # fmt: skip
        if self.clock() >= expires_at:
            return graph_error(100, "This authorization code has expired.", 36007)
        token = self._issue(user_id, SHORT_LIVED, "short")
        return web.json_response({"access_token": token, "user_id": int(user_id)})

    async def _app_token(self, request: web.Request) -> web.Response:
        self.oauth_requests["client_credentials"] += 1
        if (faulty := self._fault()) is not None:
            return faulty
        query = request.query
        if query.get("grant_type") != "client_credentials":
            return graph_error(100, "Unsupported grant_type")
        if (query.get("client_id"), query.get("client_secret")) != (self.app_id, self.app_secret):
            return graph_error(1, "Error validating client secret.")
        return web.json_response({"access_token": f"{self.app_id}|{secrets.token_hex(12)}", "token_type": "bearer"})

    async def _long_lived(self, request: web.Request) -> web.Response:
        self.oauth_requests["th_exchange_token"] += 1
        if (faulty := self._fault()) is not None:
            return faulty
        query = request.query
        grant = self._valid(query.get("access_token", ""))
        if query.get("grant_type") != "th_exchange_token" or query.get("client_secret") != self.app_secret:
            return graph_error(100, "Invalid grant_type or client secret")
        if grant is None or grant.kind != "short":
            return graph_error(190, "Invalid OAuth access token - Cannot parse access token", 463)
        return self._token_answer(self._issue(grant.user_id, LONG_LIVED, "long"))

    async def _refresh(self, request: web.Request) -> web.Response:
        """Meta documents the rule (at least 24 hours old, not expired) but not the error: a young one is code 100."""
        self.oauth_requests["th_refresh_token"] += 1
        if (faulty := self._fault()) is not None:
            return faulty
        grant = self._valid(request.query.get("access_token", ""))
        if request.query.get("grant_type") != "th_refresh_token":
            return graph_error(100, "Invalid grant_type")
        if grant is None or grant.kind != "long":
            return graph_error(190, _BAD_TOKEN, 463)
        if self.clock() - grant.issued_at < REFRESH_MIN_AGE:
            return graph_error(100, "The access token must be at least 24 hours old to be refreshed.")
        return self._token_answer(self._issue(grant.user_id, LONG_LIVED, "long"))

    def _token_answer(self, token: str) -> web.Response:
        return web.json_response({"access_token": token, "token_type": "bearer", "expires_in": LONG_LIVED})
