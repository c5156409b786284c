"""The only code that calls Threads' OAuth endpoints: the code for a short-lived token (1 hour), that at once for
the long-lived one (about 60 days), and the long-lived token's refresh (`th_refresh_token`)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import httpx

from engagement.settings import Settings
from engagement.threads.models import ThreadsError

log = logging.getLogger(__name__)

SCOPES = "threads_basic,threads_manage_insights,threads_read_replies"  # Meta joins scopes with commas
LONG_LIVED_SECONDS = 60 * 86_400  # what Meta grants when the answer does not say


class ThreadsOAuthRefused(ThreadsError):
    """Threads refused a code or a token (HTTP 400/401/403, Graph code 190): the member must connect again."""


class ThreadsOAuthUnavailable(ThreadsError):
    """Threads could not be reached or answered something unreadable: try again later, nothing is lost."""


@dataclass(frozen=True)
class ThreadsGrant:
    access_token: str
    user_id: str
    """The token owner's Threads user id ("" on a refresh, which does not say)."""
    expires_at: float


class ThreadsOAuthClient:
    def __init__(self, settings: Settings, client: httpx.AsyncClient | None = None) -> None:
        self.api = settings.threads_api_base_url.rstrip("/")
        self.authorize_base = settings.threads_authorize_url
        self.app_id = settings.threads_app_id or ""
        secret = settings.threads_app_secret
        self.app_secret = secret.get_secret_value() if secret else ""
        self.redirect_uri = f"{settings.web_base_url}/oauth/threads/callback"
        self.http = client or httpx.AsyncClient(timeout=settings.x_timeout_seconds)

    async def aclose(self) -> None:
        await self.http.aclose()

    def authorize_url(self, state: str) -> str:
        query = {
            "client_id": self.app_id,
            "redirect_uri": self.redirect_uri,
            "scope": SCOPES,
            "response_type": "code",
            "state": state,
        }
        return f"{self.authorize_base}?{urlencode(query)}"

    async def exchange_code(self, code: str, now: float) -> ThreadsGrant:
        """The callback's code for the long-lived token (through the short-lived one, at once)."""
        form = {
            "client_id": self.app_id,
            "client_secret": self.app_secret,
            "grant_type": "authorization_code",
            "redirect_uri": self.redirect_uri,
            "code": code,
        }
        short = await self._send("POST", "/oauth/access_token", data=form)
        user_id = str(short.get("user_id", ""))
        if not isinstance(short.get("access_token"), str) or not user_id.isdigit():
            raise ThreadsOAuthUnavailable("Threads' token answer has no token or user id")
        query = {
            "grant_type": "th_exchange_token",
            "client_secret": self.app_secret,
            "access_token": short["access_token"],
        }
        long_lived = await self._send("GET", "/access_token", params=query)
        return _grant(long_lived, user_id, now)

    async def refresh(self, long_lived_token: str, now: float) -> ThreadsGrant:
        query = {"grant_type": "th_refresh_token", "access_token": long_lived_token}
        return _grant(await self._send("GET", "/refresh_access_token", params=query), "", now)

    async def _send(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        try:
            answer = await self.http.request(method, f"{self.api}{path}", **kwargs)
        except httpx.HTTPError as error:
            raise ThreadsOAuthUnavailable(f"Threads could not be reached ({type(error).__name__})") from None
        try:
            body = answer.json()
        except ValueError:
            body = None
        code = (
            body.get("error", {}).get("code")
            if isinstance(body, dict) and isinstance(body.get("error"), dict)
            else None
        )
        if answer.status_code in (400, 401, 403) or code == 190:
            log.info("Threads refused %s %s: HTTP %s, code %s", method, path, answer.status_code, code)
            raise ThreadsOAuthRefused(f"Threads refused the sign-in (HTTP {answer.status_code})")
        if answer.status_code != 200 or not isinstance(body, dict):
            raise ThreadsOAuthUnavailable(f"Threads' OAuth endpoint answered HTTP {answer.status_code}")
        return body


def _grant(body: dict[str, Any], user_id: str, now: float) -> ThreadsGrant:
    if not isinstance(body.get("access_token"), str) or not body["access_token"]:
        raise ThreadsOAuthUnavailable("Threads' token answer has no access token")
    expires_in = body.get("expires_in")
    seconds = float(expires_in) if isinstance(expires_in, (int, float)) and expires_in > 0 else LONG_LIVED_SECONDS
    return ThreadsGrant(body["access_token"], user_id, now + seconds)
