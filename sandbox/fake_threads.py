"""A fake of the Threads Graph API endpoints the product uses, on a loopback port.

Meta's shapes: `{"data": [...], "paging": {"cursors": {"before", "after"}, "next"}}` lists (`next` an absolute URL,
left out on the last page), insights as `{"name", "period": "lifetime", "values": [{"value"}], "title", "id"}`,
errors as `{"error": {"message", "type": "OAuthException", "code", "error_subcode", "fbtrace_id"}}`: 190 a bad or
expired token, 4 the app's rate limit (with the `x-app-usage` and `x-business-use-case-usage` headers), 100/33 an
object that does not exist, is deleted, or is not the token owner's (Meta answers another account's media id
with the same 100/33, so the client cannot tell "gone" from "not yours", and calls both ThreadsPostGone).
OAuth lives in sandbox/_fake_threads_oauth.py. Tests, benchmarks and the offline demo use it; its clock is
injectable.
"""

from __future__ import annotations

import itertools
import json
import math
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from aiohttp import web

from sandbox._fake_threads_oauth import ThreadsOAuth, graph_error
from sandbox._fake_threads_world import FakeReply, FakeThreadsPost
from sandbox._loopback import serve_on_loopback

__all__ = ["FakeThreads", "FakeThreadsPost"]

PAGE = 25  # Meta's default page size
MAX_PAGE = 100
LIMIT_WINDOW = 3600  # Meta's platform limit is counted over the last hour
_GONE = (
    "Unsupported get request. Object with ID '{}' does not exist, cannot be loaded due to missing permissions, "
    "or does not support this operation."
)


def _reply_fields(reply: FakeReply) -> dict[str, Any]:
    fields = {"id": reply.id, "text": reply.text, "timestamp": _time(reply.created_at)}
    return {**fields, "username": reply.username} if reply.username else fields


def _fields(request: web.Request, item: dict[str, Any]) -> dict[str, Any]:
    """Only the fields asked for (`fields=`), as Meta answers; `id` alone when none are named."""
    asked = set(request.query.get("fields", "id").split(","))
    return {name: value for name, value in item.items() if name in asked}


def _time(at: float) -> str:
    return datetime.fromtimestamp(at, UTC).strftime("%Y-%m-%dT%H:%M:%S+0000")


class FakeThreads(ThreadsOAuth):
    """In-memory Threads plus an aiohttp app on 127.0.0.1 at a random port."""

    def __init__(self, *, clock: Callable[[], float] = time.time) -> None:
        super().__init__(clock)
        self.base_url = ""
        self.request_counts: Counter[str] = Counter()  # Graph requests by endpoint: me, threads, media, insights...
        self.call_limit: int | None = None  # user-token calls per hour answered before code 4 (None: no limit)
        self._window: tuple[float, int] = (0.0, 0)  # (start, calls in it)
        self._cursor = itertools.count(1)
        self._runner: web.AppRunner | None = None

    def set_limit(self, calls: int | None) -> None:
        """The app may make `calls` user-token Graph calls per hour; then code 4 until the hour is over.

        App-wide, not per token: code 4 is Meta's application request limit."""
        self.call_limit = calls

    # lifecycle

    async def start(self) -> str:
        app = web.Application()
        self.add_oauth_routes(app)
        app.router.add_get("/v1.0/me", self._me)
        app.router.add_get("/v1.0/me/threads", self._own_threads)
        app.router.add_get("/v1.0/{media_id}", self._media)
        app.router.add_get("/v1.0/{media_id}/insights", self._insights)
        app.router.add_get("/v1.0/{media_id}/replies", self._replies)
        self._runner, self.base_url = await serve_on_loopback(app)
        return self.base_url

    async def close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    # Graph

    async def _me(self, request: web.Request) -> web.Response:
        return await self._with_user(request, "me", lambda user_id: {"id": user_id, "username": self.users[user_id]})

    async def _own_threads(self, request: web.Request) -> web.Response:
        def answer(user_id: str) -> Any:
            since = float(request.query.get("since", "0") or 0)
            posts = [p for p in self.posts_of(user_id) if p.created_at >= since]
            return self._page(request, [_fields(request, self._media_fields(p)) for p in posts])

        return await self._with_user(request, "threads", answer)

    async def _media(self, request: web.Request) -> web.Response:
        return await self._with_post(request, "media", lambda post: _fields(request, self._media_fields(post)))

    async def _insights(self, request: web.Request) -> web.Response:
        def answer(post: FakeThreadsPost) -> Any:
            asked = request.query.get("metric", "").split(",")
            data = [self._metric(post, name) for name in asked if name in post.counters() and name not in post.dropped]
            return {"data": data}

        return await self._with_post(request, "insights", answer)

    async def _replies(self, request: web.Request) -> web.Response:
        def answer(post: FakeThreadsPost) -> Any:
            replies = sorted(post.replies, key=lambda reply: (reply.created_at, int(reply.id)))
            if request.query.get("reverse", "true") == "true":  # Meta's default: newest first
                replies.reverse()
            return self._page(request, [_fields(request, _reply_fields(reply)) for reply in replies])

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
        limit = min(int(request.query.get("limit", PAGE) or PAGE), MAX_PAGE)
        start = self._offsets.get(request.query.get("after", ""), 0)
        page = items[start : start + limit]
        body: dict[str, Any] = {"data": page}
        if page:
            before, after = f"QVFI{next(self._cursor)}b", f"QVFI{next(self._cursor)}a"
            self._offsets[after] = start + limit
            body["paging"] = {"cursors": {"before": before, "after": after}}
            if start + limit < len(items):
                body["paging"]["next"] = str(request.url.update_query(after=after))
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
            return graph_error(100, _GONE.format(media_id), 33)
        return web.json_response(answer(post))

    def _refusal(self, request: web.Request) -> web.Response | str:
        """The token owner's user id, or the error Meta would answer instead."""
        if (faulty := self._fault()) is not None:
            return faulty
        grant = self._valid(request.query.get("access_token", ""))
        if grant is None:
            return graph_error(190, "Error validating access token: Session has expired or the token is invalid.", 463)
        limited = self._spend()
        return limited if limited is not None else grant.user_id

    def _spend(self) -> web.Response | None:
        """One call from this hour's allowance; code 4 with Meta's usage headers once it is spent."""
        now = self.clock()
        start, calls = self._window
        if now >= start + LIMIT_WINDOW:
            start, calls = now, 0
        self._window = (start, calls + 1)
        if self.call_limit is None or calls < self.call_limit:
            return None
        minutes = max(math.ceil((start + LIMIT_WINDOW - now) / 60), 1)
        usage = {"call_count": 100, "total_cputime": 100, "total_time": 100}
        business = {self.app_id: [{"type": "threads", **usage, "estimated_time_to_regain_access": minutes}]}
        answer = graph_error(4, "Application request limit reached")
        answer.headers["x-app-usage"] = json.dumps(usage)
        answer.headers["x-business-use-case-usage"] = json.dumps(business)
        return answer
