"""Login with Discord, logout, and the choice of community."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from engagement.web_sessions import ABSOLUTE_SECONDS, WebSession
from web.deps import COOKIE, FormDep, SessionDep, WebDep, optional_session
from web.render import page, see_other

router = APIRouter(include_in_schema=False)


@router.get("/")
async def home(request: Request, session: Annotated[WebSession | None, Depends(optional_session)]) -> Response:
    """The communities this user can open (served guilds they are in), or a login link."""
    return await page(request, "home.html", session, communities=sorted(session.roles.items()) if session else [])


@router.get("/login")
async def login(web: WebDep) -> Response:
    return RedirectResponse(await web.sessions.begin_login(), status_code=303)


@router.get("/auth/callback")
async def callback(request: Request, web: WebDep, code: str = "", state: str = "") -> Response:
    """Discord sent the browser back: a new session (new id, whatever cookie came in) or an error page."""
    session = await web.sessions.finish_login(state, code, request.cookies.get(COOKIE))
    response = see_other("/")
    response.set_cookie(
        COOKIE,
        session.id,
        max_age=ABSOLUTE_SECONDS,
        httponly=True,
        samesite="lax",
        secure=web.secure_cookie,
        path="/",
    )
    return response


@router.post("/logout")
async def logout(web: WebDep, session: SessionDep, _: FormDep) -> Response:
    await web.sessions.end(session.id)
    response = see_other("/")
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="lax", secure=web.secure_cookie)
    return response
