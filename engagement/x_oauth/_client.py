"""The only code that calls X's OAuth 2.0 endpoints (token, revoke) and /2/users/me, over httpx."""

from __future__ import annotations

import base64
import hashlib
import logging
import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import httpx

from engagement.errors import EngagementError
from engagement.settings import Settings

log = logging.getLogger(__name__)

SCOPES = "tweet.read users.read like.read offline.access"


class XOAuthRefused(EngagementError):
    """X refused a code, a refresh token or a token (HTTP 400/401/403): the member must sign in again."""


class XOAuthUnavailable(EngagementError):
    """X could not be reached or answered something unreadable: try again later, nothing is lost."""


@dataclass(frozen=True)
class TokenGrant:
    access_token: str
    refresh_token: str
    expires_at: float
    scope: str


def new_verifier() -> str:
    return secrets.token_urlsafe(64)  # 86 characters, inside PKCE's 43-128


def challenge_of(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


class XOAuthClient:
    def __init__(self, settings: Settings, client: httpx.AsyncClient | None = None) -> None:
        self.api = settings.x_api_base_url.rstrip("/")
        self.authorize_base = settings.x_authorize_url
        self.client_id = settings.x_oauth_client_id or ""
        secret = settings.x_oauth_client_secret
        self.client_secret = secret.get_secret_value() if secret else None
        self.redirect_uri = f"{settings.web_base_url}/oauth/x/callback"
        self.http = client or httpx.AsyncClient(timeout=settings.x_timeout_seconds)

    async def aclose(self) -> None:
        await self.http.aclose()

    def authorize_url(self, state: str, verifier: str) -> str:
        query = {
            "response_type": "code",
            "client_id": self.client_id,
            "redirect_uri": self.redirect_uri,
            "scope": SCOPES,
            "state": state,
            "code_challenge": challenge_of(verifier),
            "code_challenge_method": "S256",
        }
        return f"{self.authorize_base}?{urlencode(query)}"

    async def exchange_code(self, code: str, verifier: str, now: float) -> TokenGrant:
        form = {"grant_type": "authorization_code", "code": code, "redirect_uri": self.redirect_uri}
        return _grant(await self._post("/2/oauth2/token", {**form, "code_verifier": verifier}), now)

    async def refresh(self, refresh_token: str, now: float) -> TokenGrant:
        form = {"grant_type": "refresh_token", "refresh_token": refresh_token}
        return _grant(await self._post("/2/oauth2/token", form), now)

    async def revoke(self, token: str) -> None:
        await self._post("/2/oauth2/revoke", {"token": token})

    async def me(self, access_token: str) -> tuple[str, str]:
        """(X user id, username) of the token's owner."""
        body = await self._send("GET", "/2/users/me", headers={"Authorization": f"Bearer {access_token}"})
        data = body.get("data") if isinstance(body, dict) else None
        if not isinstance(data, dict) or not str(data.get("id", "")).isdigit() or not data.get("username"):
            raise XOAuthUnavailable("X's /2/users/me answer has no user id")
        return str(data["id"]), str(data["username"])

    async def _post(self, path: str, form: dict[str, str]) -> Any:
        headers = {}
        if self.client_secret is None:  # a public client names itself in the form
            form = {**form, "client_id": self.client_id}
        else:
            pair = base64.b64encode(f"{self.client_id}:{self.client_secret}".encode()).decode()
            headers["Authorization"] = f"Basic {pair}"
        return await self._send("POST", path, data=form, headers=headers)

    async def _send(self, method: str, path: str, **kwargs: Any) -> Any:
        try:
            answer = await self.http.request(method, f"{self.api}{path}", **kwargs)
        except httpx.HTTPError as error:
            raise XOAuthUnavailable(f"X's OAuth endpoint could not be reached ({type(error).__name__})") from None
        if answer.status_code in (400, 401, 403):
            log.info("X refused %s %s: HTTP %s %s", method, path, answer.status_code, _error_name(answer))
            raise XOAuthRefused(f"X refused the sign-in (HTTP {answer.status_code})")
        if answer.status_code != 200:
            raise XOAuthUnavailable(f"X's OAuth endpoint answered HTTP {answer.status_code}")
        try:
            return answer.json()
        except ValueError:
            raise XOAuthUnavailable("X's OAuth endpoint answered something that is not JSON") from None


def _error_name(answer: httpx.Response) -> str:
    """X's error code (never the body: it could echo a token)."""
    try:
        body = answer.json()
    except ValueError:
        return ""
    return str(body.get("error", body.get("title", ""))) if isinstance(body, dict) else ""


def _grant(body: Any, now: float) -> TokenGrant:
    if not isinstance(body, dict) or not isinstance(body.get("access_token"), str):
        raise XOAuthUnavailable("X's token answer has no access token")
    if not isinstance(body.get("refresh_token"), str):
        raise XOAuthRefused("X granted no refresh token (the offline.access scope was not approved)")
    expires_in = body.get("expires_in")
    seconds = float(expires_in) if isinstance(expires_in, (int, float)) and expires_in > 0 else 7200.0
    return TokenGrant(body["access_token"], body["refresh_token"], now + seconds, str(body.get("scope", "")))
