"""Sign in with X: /oauth/x/start sends the browser to X's authorize page, /oauth/x/callback links the account.

The link that starts it comes from /connect in Discord (a one-time state bound to the member and the community),
so these routes need no panel login; the state is what proves who asked.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from engagement.errors import Refused
from engagement.x_oauth.sign_in import NOT_SET_UP, XSignIn, authorize_url, finish_sign_in
from web.deps import Web, WebDep
from web.render import page

router = APIRouter(include_in_schema=False)


def _configured(web: Web) -> XSignIn:
    if web.x_sign_in is None:
        raise Refused(NOT_SET_UP)
    return web.x_sign_in


@router.get("/oauth/x/start")
async def start(web: WebDep, state: str = "") -> Response:
    target = await authorize_url(web.services, _configured(web).oauth, state)
    return RedirectResponse(target, status_code=303)


@router.get("/oauth/x/callback")
async def callback(request: Request, web: WebDep, state: str = "", code: str = "", error: str = "") -> Response:
    sign_in = _configured(web)
    result = await finish_sign_in(web.services, sign_in.oauth, sign_in.tokens, state, code, error)
    return await page(request, "x_signed_in.html", None, result=result)
