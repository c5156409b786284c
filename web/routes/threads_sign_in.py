"""Connect Threads: /oauth/threads/start sends the browser to Threads' authorize page, /oauth/threads/callback
links the account (the state from /connect platform:threads is what proves who asked, as for Sign in with X)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from engagement.errors import Refused
from engagement.platforms import THREADS
from engagement.threads.sign_in import NOT_SET_UP, ThreadsSignIn, finish_threads_sign_in, threads_authorize_url
from web.deps import Web, WebDep
from web.render import page
from web.routes.x_sign_in import clear_binding, redirect_with_binding

router = APIRouter(include_in_schema=False)


def _configured(web: Web) -> ThreadsSignIn:
    if web.threads_sign_in is None:
        raise Refused(NOT_SET_UP)
    return web.threads_sign_in


@router.get("/oauth/threads/start")
async def start(web: WebDep, state: str = "") -> Response:
    target = await threads_authorize_url(web.services, _configured(web).oauth, state)
    return redirect_with_binding(web, target, state, THREADS)


@router.get("/oauth/threads/callback")
async def callback(request: Request, web: WebDep, state: str = "", code: str = "", error: str = "") -> Response:
    binding = request.cookies.get(f"{THREADS}_sign_in", "")
    result = await finish_threads_sign_in(web.services, _configured(web), state, code, error, binding=binding)
    return clear_binding(web, await page(request, "threads_connected.html", None, result=result), THREADS)
