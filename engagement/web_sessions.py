"""Web panel logins: the OAuth state, server-side sessions with idle and absolute expiry, and each user's
role in every served community they are in (re-read from Discord every few minutes, never cached for long)."""

from __future__ import annotations

import dataclasses
import json
import logging
import secrets
from collections.abc import Collection
from dataclasses import dataclass

from engagement.admin import effective_settings
from engagement.discord_oauth import DiscordAuthError, DiscordOAuth, UserGuild
from engagement.services import Services
from engagement.store import Store

log = logging.getLogger(__name__)

STATE_SECONDS = 10 * 60
IDLE_SECONDS = 2 * 3600
ABSOLUTE_SECONDS = 24 * 3600
ROLES_SECONDS = 5 * 60
TOUCH_SECONDS = 60  # last_seen is written at most this often: a page view need not be a Redis write
MANAGE_GUILD = 1 << 5
ADMINISTRATOR = 1 << 3
ADMIN = "admin"
CORE = "core"
MEMBER = "member"


@dataclass(frozen=True)
class WebSession:
    id: str
    user_id: str
    user_name: str
    csrf: str
    created_at: float
    last_seen: float
    roles_at: float
    roles: dict[int, str]
    """Served guild id -> this user's role there; a guild the user is not in is absent."""
    token: str

    def role_in(self, guild_id: int) -> str | None:
        return self.roles.get(guild_id)


def role_for(
    permissions: int,
    member_roles: Collection[int],
    admin_role_ids: Collection[int],
    core_role_ids: Collection[int] = (),
) -> str:
    """Admin with Manage Server (or Administrator) or one of the community's admin roles (by id); core with one
    of its core roles; else member. The higher role wins when a member holds both."""
    if permissions & (MANAGE_GUILD | ADMINISTRATOR) or set(member_roles) & set(admin_role_ids):
        return ADMIN
    return CORE if set(member_roles) & set(core_role_ids) else MEMBER


def _new_id() -> str:
    return secrets.token_urlsafe(32)


class WebSessions:
    """Logins and sessions, kept in the shared store (a user may belong to several communities)."""

    def __init__(self, services: Services, oauth: DiscordOAuth) -> None:
        self.services = services
        self.oauth = oauth
        self.store: Store = services.communities.shared

    def _now(self) -> float:
        return self.services.clock()

    async def begin_login(self) -> str:
        """Where to send the browser: Discord's consent page, with a fresh single-use state."""
        state = _new_id()
        await self.store.save_oauth_state(state, STATE_SECONDS)
        return self.oauth.authorize_url(state)

    async def finish_login(self, state: str, code: str, previous_id: str | None) -> WebSession:
        """Check and consume `state`, exchange `code`, and open a new session (the old one, if any, ends)."""
        if not state or not await self.store.take_oauth_state(state):
            raise DiscordAuthError("This login link has expired or was already used; please log in again.")
        token = await self.oauth.exchange_code(code)
        user = await self.oauth.user(token)
        if previous_id:
            await self.store.delete_web_session(previous_id)
        now = self._now()
        session = WebSession(_new_id(), user.id, user.name, _new_id(), now, now, now, await self._roles(token), token)
        await self.store.save_web_session(session.id, _fields(session), IDLE_SECONDS)
        log.info("web login of user %s (%d communities)", user.id, len(session.roles))
        return session

    async def current(self, session_id: str | None) -> WebSession | None:
        """The live session of this cookie, its roles re-read when stale; None when there is none any more."""
        if not session_id:
            return None
        session = _parse(session_id, await self.store.web_session(session_id))
        now = self._now()
        if session is None or now - session.last_seen > IDLE_SECONDS or now - session.created_at > ABSOLUTE_SECONDS:
            if session is not None:
                await self.store.delete_web_session(session_id)
            return None
        changes: dict[str, str] = {}
        if now - session.roles_at >= ROLES_SECONDS:
            try:
                roles = await self._roles(session.token)
            except DiscordAuthError:  # token revoked or Discord down: log in again rather than trust old roles
                await self.store.delete_web_session(session_id)
                return None
            session = dataclasses.replace(session, roles=roles, roles_at=now)
            changes.update(roles=_roles_text(roles), roles_at=str(now))
        if now - session.last_seen >= TOUCH_SECONDS:
            session = dataclasses.replace(session, last_seen=now)
            changes["last_seen"] = str(now)
        if changes:
            await self.store.update_web_session(session_id, changes, self._ttl(session, now))
        return session

    async def end(self, session_id: str | None) -> None:
        if session_id:
            await self.store.delete_web_session(session_id)

    async def notify(self, session: WebSession, notice: str) -> None:
        """A one-line notice the next page shows (after a change made by a form)."""
        await self.store.update_web_session(session.id, {"notice": notice}, self._ttl(session, self._now()))

    async def take_notice(self, session: WebSession) -> str | None:
        return await self.store.pop_web_session_field(session.id, "notice")

    def _ttl(self, session: WebSession, now: float) -> int:
        return int(min(IDLE_SECONDS, session.created_at + ABSOLUTE_SECONDS - now))

    async def _roles(self, token: str) -> dict[int, str]:
        """This user's role in each served community they are in."""
        served = [guild for guild in await self.oauth.guilds(token) if self.services.communities.serves(guild.id)]
        return {guild.id: await self._role(token, guild) for guild in served}

    async def _role(self, token: str, guild: UserGuild) -> str:
        if role_for(guild.permissions, (), ()) == ADMIN:
            return ADMIN  # no member read needed
        community = self.services.for_guild(guild.id)
        settings = await effective_settings(community.settings, community.store)
        if not settings.admin_role_ids and not settings.core_role_ids:
            return MEMBER  # no role can raise it: spare Discord the member read
        member_roles = await self.oauth.member_roles(token, guild.id)
        return role_for(guild.permissions, member_roles, settings.admin_role_ids, settings.core_role_ids)


def _roles_text(roles: dict[int, str]) -> str:
    return json.dumps({str(guild_id): role for guild_id, role in roles.items()})


def _fields(session: WebSession) -> dict[str, str]:
    return {
        "user_id": session.user_id,
        "user_name": session.user_name,
        "csrf": session.csrf,
        "created_at": str(session.created_at),
        "last_seen": str(session.last_seen),
        "roles_at": str(session.roles_at),
        "roles": _roles_text(session.roles),
        "token": session.token,
    }


def _parse(session_id: str, raw: dict[str, str]) -> WebSession | None:
    """The stored session, or None when it is missing or not in the shape written here."""
    try:
        roles = {int(guild_id): str(role) for guild_id, role in json.loads(raw["roles"]).items()}
        return WebSession(
            id=session_id,
            user_id=raw["user_id"],
            user_name=raw.get("user_name", ""),
            csrf=raw["csrf"],
            created_at=float(raw["created_at"]),
            last_seen=float(raw["last_seen"]),
            roles_at=float(raw["roles_at"]),
            roles=roles,
            token=raw["token"],
        )
    except (KeyError, ValueError, TypeError, AttributeError):
        return None
