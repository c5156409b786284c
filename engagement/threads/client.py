"""The only code that calls Threads' Graph API (graph.threads.net/v1.0), over httpx, with the member's token.

Errors come back as Graph's `{"error": {"message", "type", "code", "error_subcode", "fbtrace_id"}}`: code 190 is a
refused token, 4/17/32/613 (or HTTP 429) a rate limit, 100 with subcode 33 (or HTTP 404) an object that does not
exist or cannot be seen with that token. Neither a token nor a response body ever reaches a log or a message.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import datetime
from typing import Any

import httpx

from engagement.settings import Settings
from engagement.threads.models import (
    INSIGHT_METRICS,
    ThreadsAccount,
    ThreadsAuthError,
    ThreadsCounters,
    ThreadsPost,
    ThreadsPostGone,
    ThreadsRateLimited,
    ThreadsReply,
    ThreadsUnavailable,
)

log = logging.getLogger(__name__)

VERSION = "v1.0"
POST_FIELDS = (
    "id,media_product_type,media_type,permalink,owner,username,text,timestamp,shortcode,is_quote_post,is_reply"
)
REPLY_FIELDS = "id,text,username,timestamp"
PAGE_LIMIT = 100
MAX_PAGES = 20  # of own posts (2,000) or replies per read; more waits for the next batch
RATE_CODES = {4, 17, 32, 613}


def parse_time(value: object) -> datetime:
    """Graph's `2026-12-01T10:00:00+0000`."""
    try:
        return datetime.strptime(str(value), "%Y-%m-%dT%H:%M:%S%z")
    except ValueError:
        raise ThreadsUnavailable("Threads answered a time that cannot be read") from None


class ThreadsClient:
    def __init__(
        self,
        settings: Settings,
        client: httpx.AsyncClient | None = None,
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.base = settings.threads_api_base_url.rstrip("/")
        self.clock = clock  # for ThreadsRateLimited.reset_at
        self.app_id = settings.threads_app_id or ""
        secret = settings.threads_app_secret
        self.app_secret = secret.get_secret_value() if secret else ""
        self.http = client or httpx.AsyncClient(timeout=settings.x_timeout_seconds)

    async def aclose(self) -> None:
        await self.http.aclose()

    async def app_check(self) -> None:
        """One cheap call that proves THREADS_APP_ID and THREADS_APP_SECRET (an app access token)."""
        query = {"client_id": self.app_id, "client_secret": self.app_secret, "grant_type": "client_credentials"}
        try:
            body = await self._get("/oauth/access_token", query)
        except ThreadsUnavailable as error:
            if error.refused:  # Graph answers a wrong id or secret with HTTP 400 (code 1 or 101)
                raise ThreadsAuthError("Threads refuses THREADS_APP_ID / THREADS_APP_SECRET") from None
            raise
        if not isinstance(body.get("access_token"), str):
            raise ThreadsUnavailable("Threads' app token answer has no token")

    async def me(self, token: str) -> ThreadsAccount:
        body = await self._get(f"/{VERSION}/me", {"fields": "id,username"}, token)
        user_id, username = str(body.get("id", "")), body.get("username")
        if not user_id.isdigit() or not isinstance(username, str) or not username:
            raise ThreadsUnavailable("Threads' /me answer has no account")
        return ThreadsAccount(user_id, username)

    async def own_post(self, token: str, shortcode: str, since: datetime) -> ThreadsPost | None:
        """The token owner's own post (not a reply) with that shortcode, published at or after `since`."""
        query = {"fields": POST_FIELDS, "since": str(int(since.timestamp())), "limit": str(PAGE_LIMIT)}
        async for item in self._pages(f"/{VERSION}/me/threads", query, token):
            if item.get("shortcode") == shortcode:
                post = _post(item)
                return None if post.is_reply or post.created_at < since else post
        return None

    async def post(self, token: str, media_id: str) -> ThreadsPost:
        """One of the token owner's posts; ThreadsPostGone when deleted or someone else's (Graph says 100/33)."""
        return _post(await self._get(f"/{VERSION}/{media_id}", {"fields": POST_FIELDS}, token))

    async def insights(self, token: str, media_id: str) -> ThreadsCounters:
        """A post's lifetime insights; a metric Threads left out is 0 and named in `missing`."""
        body = await self._get(f"/{VERSION}/{media_id}/insights", {"metric": ",".join(INSIGHT_METRICS)}, token)
        found = dict(_metric(entry) for entry in _data(body))
        values: dict[str, int] = {}
        for name in INSIGHT_METRICS:
            value = found.get(name)
            if value is not None:
                values[name] = value
        missing = tuple(name for name in INSIGHT_METRICS if name not in values)
        return ThreadsCounters(**values, missing=missing)

    async def replies(
        self, token: str, media_id: str, newest_seen: str | None
    ) -> tuple[list[ThreadsReply], str | None]:
        """Top-level replies newer than `newest_seen` (newest first, Threads' default order) and the newest id."""
        found: list[ThreadsReply] = []
        newest = newest_seen
        query = {"fields": REPLY_FIELDS, "reverse": "true", "limit": str(PAGE_LIMIT)}  # true: newest first
        async for item in self._pages(f"/{VERSION}/{media_id}/replies", query, token):
            reply_id = str(item.get("id", ""))
            if reply_id == newest_seen:
                break
            if newest == newest_seen:
                newest = reply_id or newest
            username = item.get("username")
            if reply_id.isdigit() and isinstance(username, str) and username:  # hidden or deleted: no username
                found.append(
                    ThreadsReply(
                        reply_id, username.lower(), str(item.get("text", "")), parse_time(item.get("timestamp"))
                    )
                )
        return found, newest

    async def _pages(self, path: str, query: dict[str, str], token: str) -> AsyncIterator[dict[str, Any]]:
        """Each item of a paged list, following `paging.cursors.after` up to MAX_PAGES pages."""
        for _ in range(MAX_PAGES):
            body = await self._get(path, query, token)
            for item in _data(body):
                yield item
            after = _after(body)
            if after is None:
                return
            query = {**query, "after": after}
        log.warning("Threads list %s is longer than %s pages; the rest is not read", path.split("/")[-1], MAX_PAGES)

    async def _get(self, path: str, query: dict[str, str], token: str | None = None) -> dict[str, Any]:
        params = {**query, "access_token": token} if token is not None else query
        try:
            answer = await self.http.get(f"{self.base}{path}", params=params)
        except httpx.HTTPError as error:
            raise ThreadsUnavailable(f"Threads could not be reached ({type(error).__name__})") from None
        body = _json(answer)
        if answer.status_code != 200 or "error" in body:
            raise _error(answer, body, path, self.clock())
        return body


def _json(answer: httpx.Response) -> dict[str, Any]:
    try:
        body = answer.json()
    except (ValueError, RecursionError):
        body = None
    if not isinstance(body, dict):
        if answer.status_code == 200:
            raise ThreadsUnavailable("Threads answered something that is not a JSON object")
        return {}
    return body


def _error(answer: httpx.Response, body: dict[str, Any], path: str, now: float) -> Exception:
    found = body.get("error")
    error: dict[str, Any] = found if isinstance(found, dict) else {}
    code, subcode = error.get("code"), error.get("error_subcode")
    log.info("Threads refused %s: HTTP %s, code %s/%s", path.split("/")[-1], answer.status_code, code, subcode)
    if code == 190 or answer.status_code == 401:
        return ThreadsAuthError("Threads refused the token (expired, revoked or invalid)")
    if code in RATE_CODES or answer.status_code == 429:
        wait = _regain_in(answer)
        return ThreadsRateLimited("Threads' rate limit is reached", now + wait if wait else 0.0)
    if (code == 100 and subcode == 33) or answer.status_code == 404:
        return ThreadsPostGone("that Threads post does not exist or cannot be seen with this token")
    unavailable = ThreadsUnavailable(f"Threads answered HTTP {answer.status_code} (code {code})")
    unavailable.refused = answer.status_code in (400, 403)
    return unavailable


def _regain_in(answer: httpx.Response) -> float:
    """Seconds until access returns, from the usage headers' `estimated_time_to_regain_access` (minutes), or 0."""
    for header in ("x-business-use-case-usage", "x-app-usage"):
        try:
            usage = json.loads(answer.headers.get(header, "{}"))
        except ValueError:
            continue
        for value in _usage_entries(usage):
            minutes = value.get("estimated_time_to_regain_access")
            if isinstance(minutes, (int, float)) and minutes > 0:
                return float(minutes) * 60
    return 0.0


def _usage_entries(usage: object) -> Iterator[dict[str, Any]]:
    if isinstance(usage, dict):
        yield usage
        for value in usage.values():
            for entry in value if isinstance(value, list) else []:
                if isinstance(entry, dict):
                    yield entry


def _data(body: dict[str, Any]) -> list[dict[str, Any]]:
    data = body.get("data")
    if not isinstance(data, list):
        raise ThreadsUnavailable("Threads answered a list without `data`")
    return [item for item in data if isinstance(item, dict)]


def _after(body: dict[str, Any]) -> str | None:
    paging = body.get("paging")
    if not isinstance(paging, dict) or not paging.get("next"):
        return None
    cursors = paging.get("cursors")
    after = cursors.get("after") if isinstance(cursors, dict) else None
    return after if isinstance(after, str) and after else None


def _metric(entry: dict[str, Any]) -> tuple[str, int | None]:
    values = entry.get("values")
    first = values[0] if isinstance(values, list) and values and isinstance(values[0], dict) else {}
    value = first.get(
        "value", entry.get("total_value", {}).get("value") if isinstance(entry.get("total_value"), dict) else None
    )
    return str(entry.get("name", "")), value if isinstance(value, int) and value >= 0 else None


def _post(item: dict[str, Any]) -> ThreadsPost:
    media_id, owner = str(item.get("id", "")), item.get("owner")
    owner_id = str(owner.get("id", "")) if isinstance(owner, dict) else ""
    if not media_id.isdigit() or not owner_id.isdigit() or not isinstance(item.get("username"), str):
        raise ThreadsUnavailable("Threads answered a post without its id, owner or username")
    return ThreadsPost(
        id=media_id,
        owner_id=owner_id,
        username=str(item["username"]).lower(),
        permalink=str(item.get("permalink", "")),
        shortcode=str(item.get("shortcode", "")),
        text=str(item.get("text", "")),
        created_at=parse_time(item.get("timestamp")),
        is_reply=bool(item.get("is_reply", False)),
    )
