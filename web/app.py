"""The panel's ASGI app: `create_app(services, settings)`; uvicorn serves it (`python -m web`)."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException
from starlette.responses import Response

from engagement.discord_oauth import DiscordAuthError, DiscordOAuth
from engagement.errors import EngagementError, Refused
from engagement.services import Services
from engagement.settings import Settings
from engagement.threads.sign_in import ThreadsSignIn
from engagement.web_sessions import WebSessions
from engagement.x_oauth.sign_in import XSignIn
from web import api, routes
from web.deps import BadCsrf, Forbidden, LoginRequired, Web
from web.render import is_api, page, problem, see_other

log = logging.getLogger(__name__)
HERE = Path(__file__).parent
SECURITY_HEADERS = {
    # No inline script or style anywhere: the pages work without JavaScript.
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
    ),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


def create_app(services: Services, settings: Settings, oauth: DiscordOAuth | None = None) -> FastAPI:
    """The panel for these services; `oauth` defaults to Discord's (DISCORD_API_BASE_URL)."""
    oauth = oauth or DiscordOAuth(settings)
    x_sign_in = XSignIn.from_services(services)
    threads_sign_in = ThreadsSignIn.from_services(services)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        await oauth.aclose()
        for sign_in in (x_sign_in, threads_sign_in):
            if sign_in is not None:
                await sign_in.aclose()

    app = FastAPI(
        title="Engagement tracker",
        version="1",
        openapi_url="/api/openapi.json",
        docs_url=None,  # Swagger UI needs inline scripts; /api/docs is a plain page instead
        redoc_url=None,
        lifespan=lifespan,
    )
    templates = Jinja2Templates(directory=HERE / "templates")
    secure = settings.web_base_url.startswith("https://")
    app.state.web = Web(services, WebSessions(services, oauth), templates, secure, x_sign_in, threads_sign_in)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    for router in (*routes.ROUTERS, *api.ROUTERS):
        app.include_router(router)
    api.install(app)
    _add_handlers(app)
    return app


def _add_handlers(app: FastAPI) -> None:
    @app.middleware("http")
    async def security_headers(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        if request.url.path.startswith(("/c/", "/api/")):
            response.headers.setdefault("Cache-Control", "no-store")  # community data is per user
        return response

    @app.exception_handler(LoginRequired)
    async def login_required(request: Request, _: Exception) -> Response:
        if is_api(request):
            return problem(401, "Not logged in", "Log in to the panel first (the session cookie).")
        return see_other("/login")

    @app.exception_handler(Forbidden)
    async def forbidden(request: Request, _: Exception) -> Response:
        detail = "Your role in this community does not allow this."
        if is_api(request):
            return problem(403, "Forbidden", detail)
        return await page(request, "error.html", None, status_code=403, title="Not allowed", message=detail)

    @app.exception_handler(BadCsrf)
    async def bad_csrf(request: Request, _: Exception) -> Response:
        detail = "The form had expired or did not come from this panel; nothing was changed. Reload and try again."
        return await page(request, "error.html", None, status_code=403, title="Form refused", message=detail)

    @app.exception_handler(EngagementError)
    async def refused(request: Request, error: Exception) -> Response:
        status = 409 if isinstance(error, Refused) else 401 if isinstance(error, DiscordAuthError) else 400
        if is_api(request):
            return problem(status, "Refused", str(error))
        return await page(request, "error.html", None, status_code=status, title="Not done", message=str(error))

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, error: Exception) -> Response:
        assert isinstance(error, HTTPException)
        if is_api(request):
            return problem(error.status_code, str(error.detail))
        message = str(error.detail)
        return await page(request, "error.html", None, status_code=error.status_code, title=message, message="")

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, error: Exception) -> Response:
        assert isinstance(error, RequestValidationError)
        fields = [".".join(str(part) for part in item.get("loc", ())) for item in error.errors()]
        detail = f"Invalid {', '.join(fields) or 'request'}."
        if is_api(request):
            return problem(422, "Invalid request", detail)
        return await page(request, "error.html", None, status_code=422, title="Invalid request", message=detail)
