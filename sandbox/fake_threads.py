"""A fake of the Threads Graph API endpoints the product uses, on a loopback port.

Meta's shapes: `{"data": [...], "paging": {"cursors": {"before", "after"}, "next"}}` lists, insights as
`{"name", "period": "lifetime", "values": [{"value"}], "title", "id"}`, errors as
`{"error": {"message", "type": "OAuthException", "code", "error_subcode", "fbtrace_id"}}` (190 a bad token,
4 the app's rate limit, 100/33 an object that does not exist or is not the token owner's); OAuth: the authorize
page, the code for a short-lived token (1 hour), `th_exchange_token` for a long-lived one (60 days),
`th_refresh_token` (only for a token at least a day old and not expired), and the app token
(`client_credentials`). Tests, benchmarks and the offline demo use it; its clock is injectable.
"""

from __future__ import annotations

import itertools
import secrets
import time
from collections import Counter, deque
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, Literal
from urllib.parse import parse_qs, urlencode, urlsplit

from aiohttp import web

from sandbox._fake_threads_world import FakeReply, FakeThreadsPost, ThreadsWorld, TokenGrant

__all__ = ["FakeThreads", "FakeThreadsPost"]

SHORT_LIVED, LONG_LIVED = 3600, 60 * 86_400
PAGE = 25  # Meta's default page size
Fault = Literal["500", "malformed"]


def graph_error(code: int, message: str, subcode: int | None = None, status: int = 400) -> web.Response:
    error: dict[str, Any] = {"message": message, "type": "OAuthException", "code": code}
    if subcode is not None:
        error["error_subcode"] = subcode
    error["fbtrace_id"] = secrets.token_urlsafe(8)
    return web.json_response({"error": error}, status=status)


def _query(url: str) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}


def _reply_fields(reply: FakeReply) -> dict[str, Any]:
    return {"id": reply.id, "text": reply.text, "username": reply.username, "timestamp": _time(reply.created_at)}


def _time(at: float) -> str:
    return datetime.fromtimestamp(at, UTC).strftime("%Y-%m-%dT%H:%M:%S+0000")


class FakeThreads(ThreadsWorld):
    """In-memory Threads plus an aiohttp app on 127.0.0.1 at a random port."""

    def __init__(self, *, clock: Callable[[], float] = time.time) -> None:
        super().__init__(clock)
        self.app_id = str(900_000_000 + secrets.randbelow(99_999_999))
        self.app_secret = secrets.token_hex(16)
        self.base_url = ""
        self.request_counts: Counter[str] = Counter()
        self.oauth_requests: Counter[str] = Counter()
        self.call_limit: int | None = None  # user-token calls answered before code 4 (None: no limit)
        self._calls = 0
        self._faults: deque[Fault] = deque()
        self._codes: dict[str, tuple[str, str]] = {}  # code -> (user id, redirect_uri), single use
        self._cursor = itertools.count(1)
        self._runner: web.AppRunner | None = None

    # control

    def fail_next(self, fault: Fault) -> None:
        self._faults.append(fault)

    def approve(self, authorize_url: str, user_id: str) -> str:
        """What the browser is sent to after `user_id` presses Allow on the authorize page: the callback URL."""
        return self._redirect(_query(authorize_url), user_id)

    def deny(self, authorize_url: str) -> str:
        query = _query(authorize_url)
        answer = {"error": "access_denied", "error_reason": "user_denied", "state": query.get("state", "")}
        return f"{query['redirect_uri']}?{urlencode(answer)}"

    def _redirect(self, query: dict[str, str], user_id: str) -> str:
        if query.get("client_id") != self.app_id or "threads_basic" not in query.get("scope", "").split(","):
            raise ValueError("the authorize URL names another app or lacks threads_basic")
        self._user(user_id)
        code = secrets.token_urlsafe(24)
        self._codes[code] = (user_id, query["redirect_uri"])
        return f"{query['redirect_uri']}?{urlencode({'code': code, 'state': query.get('state', '')})}"

    # server

    async def start(self) -> str:
        app = web.Application()
        app.router.add_get("/oauth/authorize", self._authorize)
        app.router.add_post("/oauth/access_token", self._code_exchange)
        app.router.add_get("/oauth/access_token", self._app_token)
        app.router.add_get("/access_token", self._long_lived)
        app.router.add_get("/refresh_access_token", self._refresh)
        app.router.add_get("/v1.0/me", self._me)
        app.router.add_get("/v1.0/me/threads", self._own_threads)
        app.router.add_get("/v1.0/{media_id}", self._media)
        app.router.add_get("/v1.0/{media_id}/insights", self._insights)
        app.router.add_get("/v1.0/{media_id}/replies", self._replies)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.base_url = f"http://127.0.0.1:{port}"
        return self.base_url

    async def close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    # OAuth

    async def _authorize(self, request: web.Request) -> web.Response:
        """Without a browser to press Allow: the account named by `as_user` (the demo's member) approves."""
        query = dict(request.query)
        user_id = query.get("as_user") or next(iter(self.users), "")
        if not user_id:
            return web.Response(status=400, text="no account to approve with")
        raise web.HTTPFound(self._redirect(query, user_id))

    async def _code_exchange(self, request: web.Request) -> web.Response:
        self.oauth_requests["authorization_code"] += 1
        form = await request.post()
        if (form.get("client_id"), form.get("client_secret")) != (self.app_id, self.app_secret):
            return graph_error(101, "Error validating application. Invalid application ID.")
        found = self._codes.pop(str(form.get("code", "")), None)
        if form.get("grant_type") != "authorization_code" or found is None or found[1] != form.get("redirect_uri"):
            return graph_error(100, "Invalid verification code format.", 36008)
        token = self._issue(found[0], SHORT_LIVED, "short")
        return web.json_response({"access_token": token, "user_id": int(found[0])})

    async def _app_token(self, request: web.Request) -> web.Response:
        self.oauth_requests["client_credentials"] += 1
        faulty = self._fault()
        if faulty is not None:
            return faulty
        query = request.query
        if query.get("grant_type") != "client_credentials":
            return graph_error(100, "Unsupported grant_type")
        if (query.get("client_id"), query.get("client_secret")) != (self.app_id, self.app_secret):
            return graph_error(1, "Error validating client secret.")
        return web.json_response({"access_token": f"{self.app_id}|{secrets.token_hex(12)}", "token_type": "bearer"})

    async def _long_lived(self, request: web.Request) -> web.Response:
        self.oauth_requests["th_exchange_token"] += 1
        query = request.query
        grant = self._valid(query.get("access_token", ""))
        if query.get("grant_type") != "th_exchange_token" or query.get("client_secret") != self.app_secret:
            return graph_error(100, "Invalid grant_type or client secret")
        if grant is None or grant.kind != "short":
            return graph_error(190, "Invalid OAuth access token - Cannot parse access token", 463)
        return self._token_answer(self._issue(grant.user_id, LONG_LIVED, "long"))

    async def _refresh(self, request: web.Request) -> web.Response:
        self.oauth_requests["th_refresh_token"] += 1
        grant = self._valid(request.query.get("access_token", ""))
        if request.query.get("grant_type") != "th_refresh_token":
            return graph_error(100, "Invalid grant_type")
        if grant is None or grant.kind != "long":
            return graph_error(190, "Error validating access token: Session has expired.", 463)
        if self.clock() - grant.issued_at < 86_400:
            return graph_error(100, "The access token must be at least 24 hours old to be refreshed.")
        return self._token_answer(self._issue(grant.user_id, LONG_LIVED, "long"))

    def _token_answer(self, token: str) -> web.Response:
        return web.json_response({"access_token": token, "token_type": "bearer", "expires_in": LONG_LIVED})

    # Graph

    async def _me(self, request: web.Request) -> web.Response:
        return await self._with_user(request, "me", lambda user_id: {"id": user_id, "username": self.users[user_id]})

    async def _own_threads(self, request: web.Request) -> web.Response:
        def answer(user_id: str) -> Any:
            since = float(request.query.get("since", "0") or 0)
            posts = [p for p in self.posts_of(user_id) if p.created_at >= since]
            return self._page(request, [self._media_fields(p) for p in posts])

        return await self._with_user(request, "threads", answer)

    async def _media(self, request: web.Request) -> web.Response:
        return await self._with_post(request, "media", lambda post: self._media_fields(post))

    async def _insights(self, request: web.Request) -> web.Response:
        def answer(post: FakeThreadsPost) -> Any:
            asked = request.query.get("metric", "").split(",")
            data = [self._metric(post, name) for name in asked if name in post.counters() and name not in post.dropped]
            return {"data": data}

        return await self._with_post(request, "insights", answer)

    async def _replies(self, request: web.Request) -> web.Response:
        def answer(post: FakeThreadsPost) -> Any:
            replies = list(post.replies)
            if request.query.get("reverse", "true") == "true":
                replies.reverse()
            return self._page(request, [_reply_fields(reply) for reply in replies])

        return await self._with_post(request, "replies", answer)

    def _metric(self, post: FakeThreadsPost, name: str) -> dict[str, Any]:
        return {
            "name": name, "period": "lifetime", "values": [{"value": post.counters()[name]}],
            "title": name.capitalize(), "description": f"The number of {name} of the post.",
            "id": f"{post.id}/insights/{name}/lifetime",
        }  # fmt: skip

    def _media_fields(self, post: FakeThreadsPost) -> dict[str, Any]:
        return {
            "id": post.id, "media_product_type": "THREADS", "media_type": "TEXT_POST", "permalink": post.permalink,
            "owner": {"id": post.owner_id}, "username": self.users[post.owner_id], "text": post.text,
            "timestamp": _time(post.created_at), "shortcode": post.shortcode, "is_quote_post": False,
            "is_reply": post.is_reply,
        }  # fmt: skip

    def _page(self, request: web.Request, items: list[dict[str, Any]]) -> dict[str, Any]:
        """One page of `items` after the `after` cursor (the cursor is an offset, opaque to the client)."""
        limit = min(int(request.query.get("limit", PAGE) or PAGE), 100)
        start = self._offsets.get(request.query.get("after", ""), 0)
        page = items[start : start + limit]
        body: dict[str, Any] = {"data": page}
        if page:
            before, after = f"b{next(self._cursor)}", f"a{next(self._cursor)}"
            self._offsets[after] = start + limit
            body["paging"] = {"cursors": {"before": before, "after": after}}
            if start + limit < len(items):
                query = {**request.query, "after": after}
                body["paging"]["next"] = f"{self.base_url}{request.path}?{urlencode(query)}"
        return body

    async def _with_user(self, request: web.Request, name: str, answer: Callable[[str], Any]) -> web.Response:
        self.request_counts[name] += 1
        refused = self._refusal(request)
        if isinstance(refused, web.Response):
            return refused
        return web.json_response(answer(refused))

    async def _with_post(
        self, request: web.Request, name: str, answer: Callable[[FakeThreadsPost], Any]
    ) -> web.Response:
        self.request_counts[name] += 1
        refused = self._refusal(request)
        if isinstance(refused, web.Response):
            return refused
        media_id = request.match_info["media_id"]
        post = self.post_by_id.get(media_id)
        if post is None or post.deleted or post.owner_id != refused:
            return graph_error(
                100,
                f"Unsupported get request. Object with ID '{media_id}' does not exist, cannot be loaded due to "
                "missing permissions, or does not support this operation.",
                33,
            )
        return web.json_response(answer(post))

    def _refusal(self, request: web.Request) -> web.Response | str:
        """The token owner's user id, or the error Meta would answer instead."""
        faulty = self._fault()
        if faulty is not None:
            return faulty
        grant = self._valid(request.query.get("access_token", ""))
        if grant is None:
            return graph_error(190, "Error validating access token: Session has expired or the token is invalid.", 463)
        self._calls += 1
        if self.call_limit is not None and self._calls > self.call_limit:
            return graph_error(4, "Application request limit reached")
        return grant.user_id

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
