"""The only code that calls Discord's OAuth2 and user endpoints (for the web panel's login), over httpx."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import httpx

from engagement.errors import EngagementError
from engagement.settings import Settings

log = logging.getLogger(__name__)

SCOPES = "identify guilds guilds.members.read"
TIMEOUT_SECONDS = 10.0


class DiscordAuthError(EngagementError):
    """Discord refused the login (bad code, revoked token) or could not be reached."""


@dataclass(frozen=True)
class DiscordUser:
    id: str
    name: str


@dataclass(frozen=True)
class UserGuild:
    id: int
    permissions: int
    """The user's permission bits in that guild, as Discord computed them."""


class DiscordOAuth:
    """Authorization code flow for one application (DISCORD_APPLICATION_ID / DISCORD_CLIENT_SECRET)."""

    def __init__(self, settings: Settings, client: httpx.AsyncClient | None = None) -> None:
        self.base = settings.discord_api_base_url.rstrip("/")
        self.client_id = str(settings.discord_application_id or "")
        secret = settings.discord_client_secret
        self.client_secret = secret.get_secret_value() if secret else ""
        self.redirect_uri = f"{settings.web_base_url}/auth/callback"
        self.http = client or httpx.AsyncClient(timeout=TIMEOUT_SECONDS)

    async def aclose(self) -> None:
        await self.http.aclose()

    def authorize_url(self, state: str) -> str:
        query = {
            "response_type": "code",
            "client_id": self.client_id,
            "scope": SCOPES,
            "state": state,
            "redirect_uri": self.redirect_uri,
        }
        return f"{self.base}/oauth2/authorize?{urlencode(query)}"

    async def exchange_code(self, code: str) -> str:
        """The user's access token for an authorization code."""
        form = {"grant_type": "authorization_code", "code": code, "redirect_uri": self.redirect_uri}
        payload = await self._call(
            "POST", "/oauth2/token", data=form, auth=httpx.BasicAuth(self.client_id, self.client_secret)
        )
        token = payload.get("access_token") if isinstance(payload, dict) else None
        if not isinstance(token, str) or not token:
            raise DiscordAuthError("Discord did not give an access token.")
        return token

    async def user(self, token: str) -> DiscordUser:
        payload = await self._call("GET", "/users/@me", token=token)
        if not isinstance(payload, dict) or not str(payload.get("id", "")).isdigit():
            raise DiscordAuthError("Discord did not say who you are.")
        return DiscordUser(id=str(payload["id"]), name=str(payload.get("global_name") or payload.get("username", "")))

    async def guilds(self, token: str) -> list[UserGuild]:
        payload = await self._call("GET", "/users/@me/guilds", token=token)
        rows = payload if isinstance(payload, list) else []
        return [
            UserGuild(id=int(row["id"]), permissions=int(row.get("permissions") or 0))
            for row in rows
            if isinstance(row, dict) and str(row.get("id", "")).isdigit()
        ]

    async def member_roles(self, token: str, guild_id: int) -> list[int]:
        """The role ids the user holds in `guild_id`."""
        payload = await self._call("GET", f"/users/@me/guilds/{guild_id}/member", token=token)
        roles = payload.get("roles", []) if isinstance(payload, dict) else []
        return [int(role) for role in roles if str(role).isdigit()]

    async def _call(self, method: str, path: str, *, token: str | None = None, **kwargs: Any) -> Any:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        try:
            response = await self.http.request(method, f"{self.base}{path}", headers=headers, **kwargs)
        except httpx.HTTPError as error:
            log.warning("Discord %s %s failed: %s", method, path, type(error).__name__)
            raise DiscordAuthError("Discord could not be reached; please try again.") from None
        if response.status_code >= 400:
            log.warning("Discord %s %s answered %s", method, path, response.status_code)
            raise DiscordAuthError("Discord refused the login; please log in again.")
        return response.json()
