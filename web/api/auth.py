"""Who calls the API: a personal API token (`Authorization: Bearer eng_...`) or the panel's session cookie,
counted against the per-IP and per-token request limits, and their role in the community of the path (a token's
own role, a session's role re-read from Discord). A write by the session cookie must carry the session's CSRF token
in `X-CSRF-Token`; a token's writes need none (a cross-site page cannot send either header)."""

from __future__ import annotations

import dataclasses
import hmac
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from engagement import api_tokens
from engagement.api_tokens import ApiToken, RateLimit
from engagement.web_sessions import WebSession
from web.deps import COOKIE, InCommunity, LoginRequired, WebDep

LIMITS_STATE = "api_limits"
PER_IP = RateLimit(120, 60)  # above the token limit: several scripts may share one address
PER_TOKEN = RateLimit(60, 60)
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
BEARER = HTTPBearer(auto_error=False, description="A personal API token (eng_...), made on /c/{guild}/tokens.")


class ApiProblem(Exception):
    """An API refusal that becomes a problem-details answer (with its headers, e.g. Retry-After)."""

    def __init__(self, status: int, title: str, detail: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.status, self.title, self.detail, self.headers = status, title, detail, headers or {}


@dataclass(frozen=True)
class Limits:
    """Requests allowed per window, per client IP and per token (app.state.api_limits)."""

    per_ip: RateLimit = PER_IP
    per_token: RateLimit = PER_TOKEN


@dataclass(frozen=True)
class Principal:
    """The caller: exactly one of a token or a session."""

    token: ApiToken | None
    session: WebSession | None

    @property
    def actor(self) -> str:
        return self.token.actor if self.token else self.session.user_id if self.session else ""

    def role_in(self, guild_id: int) -> str | None:
        if self.token is not None:
            return self.token.role if self.token.guild_id == guild_id else None
        return self.session.role_in(guild_id) if self.session else None


@dataclass(frozen=True)
class Caller(InCommunity):
    """A principal (a session's user or an API token) acting in one community through the API."""

    principal: Principal = dataclasses.field(kw_only=True)

    @property
    def actor(self) -> str:
        return self.principal.actor


async def _limit(web: WebDep, who: str, limit: RateLimit) -> None:
    wait = await api_tokens.retry_after(web.services.communities.shared, who, limit)
    if wait is not None:
        detail = f"More than {limit.requests} requests in {limit.window_seconds} s; try again in {wait} s."
        raise ApiProblem(429, "Too many requests", detail, {"Retry-After": str(wait)})


async def principal(
    request: Request, web: WebDep, bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(BEARER)]
) -> Principal:
    """The caller of any /api/v1 request: the client IP is counted first (a flood of bad tokens is limited too)."""
    limits: Limits = getattr(request.app.state, LIMITS_STATE, Limits())
    await _limit(web, f"ip:{request.client.host if request.client else ''}", limits.per_ip)
    if request.headers.get("authorization"):
        token = await api_tokens.authenticate(web.services.communities.shared, bearer.credentials if bearer else "")
        if token is None:
            raise ApiProblem(
                401, "Bad token", "This API token is unknown or was revoked.", {"WWW-Authenticate": "Bearer"}
            )
        await _limit(web, f"token:{token.id}", limits.per_token)
        return Principal(token, None)
    session = await web.sessions.current(request.cookies.get(COOKIE))
    if session is None:
        raise LoginRequired()
    if request.method not in SAFE_METHODS:
        _check_csrf(request.headers.get(CSRF_HEADER, ""), session)
    return Principal(None, session)


def _check_csrf(sent: str, session: WebSession) -> None:
    """A write by the session cookie must carry the session's CSRF token in a header (a cross-site form cannot)."""
    if not hmac.compare_digest(sent.encode(), session.csrf.encode()):
        detail = f"A write with the session cookie needs its CSRF token in {CSRF_HEADER}; nothing was changed."
        raise ApiProblem(403, "Bad CSRF token", detail)


PrincipalDep = Annotated[Principal, Depends(principal)]


async def member(guild_id: int, who: PrincipalDep, web: WebDep) -> Caller:
    """Anyone with a role in a served community (the path's guild); a token only in its own community."""
    role = who.role_in(guild_id)
    if role is None or not web.services.communities.serves(guild_id):
        raise ApiProblem(403, "Forbidden", "This login or token has no access to this community.")
    return Caller(guild_id, role, web.services.for_guild(guild_id), principal=who)


MemberDep = Annotated[Caller, Depends(member)]


def _allowed(caller: Caller, allowed: bool) -> Caller:
    if not allowed:
        raise ApiProblem(403, "Forbidden", "Your role in this community does not allow this.")
    return caller


async def admin(caller: MemberDep) -> Caller:
    return _allowed(caller, caller.is_admin)


async def staff(caller: MemberDep) -> Caller:
    """Admin or core (a session's role, or the token's)."""
    return _allowed(caller, caller.is_staff)


AdminDep = Annotated[Caller, Depends(admin)]
StaffDep = Annotated[Caller, Depends(staff)]
