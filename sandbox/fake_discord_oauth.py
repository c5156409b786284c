"""A loopback fake of Discord's OAuth2 and user endpoints (aiohttp): the web panel's login in tests and the demo.

/oauth2/authorize approves at once for the user the test chose (`FakeDiscordOAuth.log_in_as`) and redirects
back with ?code&state; /oauth2/token exchanges a code once (client id and secret checked); /users/@me,
/users/@me/guilds and /users/@me/guilds/{guild}/member answer for the token's user, from what the test set.
"""

from __future__ import annotations

import base64
import itertools
from dataclasses import dataclass, field
from urllib.parse import urlencode

from aiohttp import web

from sandbox._loopback import serve_on_loopback

MANAGE_GUILD = 1 << 5


@dataclass
class FakeUser:
    id: str
    name: str
    guilds: dict[int, int] = field(default_factory=dict)
    """Guild id -> this user's permission bits there."""
    roles: dict[int, list[int]] = field(default_factory=dict)
    """Guild id -> the role ids the user holds there."""

    def join(self, guild_id: int, *, permissions: int = 0, roles: tuple[int, ...] = ()) -> FakeUser:
        self.guilds[guild_id] = permissions
        self.roles[guild_id] = list(roles)
        return self


class FakeDiscordOAuth:
    def __init__(self, client_id: str, client_secret: str) -> None:
        self.client_id = client_id
        self.client_secret = client_secret
        self.users: dict[str, FakeUser] = {}
        self.current: FakeUser | None = None
        self.codes: dict[str, str] = {}  # code -> user id
        self.tokens: dict[str, str] = {}  # access token -> user id
        self.calls: list[str] = []
        self._ids = itertools.count(1)
        self.base_url = ""
        self._runner: web.AppRunner | None = None

    async def start(self) -> str:
        """Serve on a free loopback port; returns the API base URL (what DISCORD_API_BASE_URL is set to)."""
        self._runner, root = await serve_on_loopback(self.app())
        self.base_url = f"{root}/api"
        return self.base_url

    async def close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    def add_user(self, user_id: str, name: str = "") -> FakeUser:
        self.users[user_id] = FakeUser(user_id, name or f"user{user_id[-4:]}")
        return self.users[user_id]

    def log_in_as(self, user: FakeUser) -> None:
        self.current = user

    def revoke_all(self) -> None:
        self.tokens.clear()

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/api/oauth2/authorize", self._authorize)
        app.router.add_post("/api/oauth2/token", self._token)
        app.router.add_get("/api/users/@me", self._me)
        app.router.add_get("/api/users/@me/guilds", self._guilds)
        app.router.add_get("/api/users/@me/guilds/{guild}/member", self._member)
        return app

    async def _authorize(self, request: web.Request) -> web.Response:
        self.calls.append("authorize")
        query = request.query
        if query.get("client_id") != self.client_id or query.get("response_type") != "code" or self.current is None:
            return web.json_response({"error": "invalid_request"}, status=400)
        if set(query.get("scope", "").split()) != {"identify", "guilds", "guilds.members.read"}:
            return web.json_response({"error": "invalid_scope"}, status=400)
        code = f"code{next(self._ids)}"
        self.codes[code] = self.current.id
        target = f"{query['redirect_uri']}?{urlencode({'code': code, 'state': query.get('state', '')})}"
        raise web.HTTPFound(target)

    async def _token(self, request: web.Request) -> web.Response:
        self.calls.append("token")
        expected = base64.b64encode(f"{self.client_id}:{self.client_secret}".encode()).decode()
        if request.headers.get("Authorization") != f"Basic {expected}":
            return web.json_response({"error": "invalid_client"}, status=401)
        form = await request.post()
        user_id = self.codes.pop(str(form.get("code", "")), None)
        if form.get("grant_type") != "authorization_code" or user_id is None:
            return web.json_response({"error": "invalid_grant"}, status=400)
        token = f"token{next(self._ids)}"
        self.tokens[token] = user_id
        return web.json_response({"access_token": token, "token_type": "Bearer", "expires_in": 604800})

    def _user(self, request: web.Request) -> FakeUser:
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        if token not in self.tokens:
            raise web.HTTPUnauthorized(text='{"message": "401: Unauthorized"}', content_type="application/json")
        return self.users[self.tokens[token]]

    async def _me(self, request: web.Request) -> web.Response:
        self.calls.append("me")
        user = self._user(request)
        return web.json_response({"id": user.id, "username": user.name, "global_name": None})

    async def _guilds(self, request: web.Request) -> web.Response:
        self.calls.append("guilds")
        user = self._user(request)
        rows = [{"id": str(g), "name": f"g{g}", "permissions": str(p)} for g, p in user.guilds.items()]
        return web.json_response(rows)

    async def _member(self, request: web.Request) -> web.Response:
        self.calls.append("member")
        user = self._user(request)
        guild = int(request.match_info["guild"])
        if guild not in user.guilds:
            return web.json_response({"message": "Unknown Guild", "code": 10004}, status=404)
        return web.json_response({"user": {"id": user.id}, "roles": [str(r) for r in user.roles[guild]]})
