"""Sign in with X: /oauth/x/start sends the browser to X's authorize page, /oauth/x/callback links the account.

The link that starts it comes from /connect in Discord (a one-time state bound to the member and the community),
so these routes need no panel login; the state is what proves who asked.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from engagement.errors import Refused
from engagement.x_oauth.sign_in import (
    NOT_SET_UP,
    STATE_TTL_SECONDS,
    XSignIn,
    authorize_url,
    browser_binding,
    finish_sign_in,
)
from web.deps import Web, WebDep
from web.render import page

router = APIRouter(include_in_schema=False)
BINDING_COOKIE = "x_sign_in"


def _configured(web: Web) -> XSignIn:
    if web.x_sign_in is None:
        raise Refused(NOT_SET_UP)
    return web.x_sign_in


def redirect_with_binding(web: Web, target: str, state: str, platform: str) -> Response:
    """The redirect to a platform's authorize page, leaving the browser's binding cookie for its callback."""
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(
        f"{platform}_sign_in",
        browser_binding(state, platform),
        max_age=STATE_TTL_SECONDS,
        httponly=True,
        samesite="lax",  # sent on the platform's top-level redirect back, not on cross-site subrequests
        secure=web.secure_cookie,
        path=f"/oauth/{platform}",
    )
    return response


def clear_binding(web: Web, response: Response, platform: str) -> Response:
    response.delete_cookie(
        f"{platform}_sign_in", path=f"/oauth/{platform}", httponly=True, samesite="lax", secure=web.secure_cookie
    )
    return response


@router.get("/oauth/x/start")
async def start(web: WebDep, state: str = "") -> Response:
    return redirect_with_binding(web, await authorize_url(web.services, _configured(web).oauth, state), state, "x")


@router.get("/oauth/x/callback")
async def callback(request: Request, web: WebDep, state: str = "", code: str = "", error: str = "") -> Response:
    sign_in = _configured(web)
    binding = request.cookies.get(BINDING_COOKIE, "")
    result = await finish_sign_in(web.services, sign_in.oauth, sign_in.tokens, state, code, error, binding=binding)
    return clear_binding(web, await page(request, "x_signed_in.html", None, result=result), "x")
