"""What every request needs: the app's context, the session from the cookie, the viewer's role in the community
named by the path (checked on every request), and the CSRF check of every form."""

from __future__ import annotations

import dataclasses
import hmac
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.templating import Jinja2Templates
from starlette.datastructures import FormData

from engagement.services import Services
from engagement.threads.sign_in import ThreadsSignIn
from engagement.web_sessions import ADMIN, CORE, WebSession, WebSessions
from engagement.x_oauth.sign_in import XSignIn

COOKIE = "engagement_session"


class LoginRequired(Exception):
    """No live session: pages send the browser to /login, the API answers 401."""


class Forbidden(Exception):
    """Logged in, but not allowed here (another community, or a member on an admin page)."""


class BadCsrf(Exception):
    """A form without this session's CSRF token."""


@dataclass(frozen=True)
class Web:
    """The app's shared context (app.state.web)."""

    services: Services
    sessions: WebSessions
    templates: Jinja2Templates
    secure_cookie: bool
    x_sign_in: XSignIn | None = None
    """Sign in with X's client and token vault; None when it is not configured."""
    threads_sign_in: ThreadsSignIn | None = None
    """Connect Threads' clients and token vault; None when it is not configured."""


@dataclass(frozen=True)
class InCommunity:
    """Someone acting in one community, with their role there and the community's own services (its store)."""

    guild_id: int
    role: str
    services: Services

    @property
    def is_admin(self) -> bool:
        return self.role == ADMIN

    @property
    def is_staff(self) -> bool:
        """Admin or core: may handle tweets, batches and members' tiers."""
        return self.role in (ADMIN, CORE)


@dataclass(frozen=True)
class Viewer(InCommunity):
    """A logged-in user of the panel in one community."""

    session: WebSession = dataclasses.field(kw_only=True)

    @property
    def actor(self) -> str:
        return self.session.user_id


def get_web(request: Request) -> Web:
    web: Web = request.app.state.web
    return web


WebDep = Annotated[Web, Depends(get_web)]


async def optional_session(request: Request, web: WebDep) -> WebSession | None:
    return await web.sessions.current(request.cookies.get(COOKIE))


async def current_session(session: Annotated[WebSession | None, Depends(optional_session)]) -> WebSession:
    if session is None:
        raise LoginRequired()
    return session


SessionDep = Annotated[WebSession, Depends(current_session)]


async def member(guild_id: int, session: SessionDep, web: WebDep) -> Viewer:
    """Anyone in a served community (the path's guild) whom Discord lists as being in it."""
    role = session.role_in(guild_id)
    if role is None or not web.services.communities.serves(guild_id):
        raise Forbidden()
    return Viewer(guild_id, role, web.services.for_guild(guild_id), session=session)


async def admin(viewer: Annotated[Viewer, Depends(member)]) -> Viewer:
    if not viewer.is_admin:
        raise Forbidden()
    return viewer


async def staff(viewer: Annotated[Viewer, Depends(member)]) -> Viewer:
    """Admin or core (the role is the session's, re-read from Discord every few minutes)."""
    if not viewer.is_staff:
        raise Forbidden()
    return viewer


MemberDep = Annotated[Viewer, Depends(member)]
AdminDep = Annotated[Viewer, Depends(admin)]
StaffDep = Annotated[Viewer, Depends(staff)]


async def csrf_form(request: Request, session: SessionDep) -> FormData:
    """The form of a POST, refused unless it carries this session's CSRF token."""
    form = await request.form()
    token = form.get("csrf")
    if not isinstance(token, str) or not hmac.compare_digest(token.encode(), session.csrf.encode()):
        raise BadCsrf()
    return form


FormDep = Annotated[FormData, Depends(csrf_form)]


def field(form: FormData, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""
