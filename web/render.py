"""Page rendering and the answers every route shares: pages, the error page, RFC 9457 problem details."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from markupsafe import Markup

from engagement.web_sessions import WebSession
from web.deps import Viewer, get_web

PROBLEM = "application/problem+json"


def when(timestamp: float | None) -> Markup:
    """A `<time>` element: UTC text, which /static/local-time.js rewrites in the viewer's own time zone."""
    if not timestamp:
        return Markup("never")
    moment = datetime.fromtimestamp(timestamp, UTC)
    return Markup('<time datetime="{}">{}</time>').format(
        moment.strftime("%Y-%m-%dT%H:%M:%SZ"), moment.strftime("%Y-%m-%d %H:%M UTC")
    )


async def page(
    request: Request,
    name: str,
    session: WebSession | None,
    viewer: Viewer | None = None,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    """Render `name` with the session's CSRF token, its one-time notice and the community's tabs."""
    web = get_web(request)
    notice = await web.sessions.take_notice(session) if session else None
    values = {"session": session, "viewer": viewer, "notice": notice, "when": when, **context}
    response: HTMLResponse = web.templates.TemplateResponse(request, name, values, status_code=status_code)
    return response


def problem(status: int, title: str, detail: str = "", **extra: Any) -> JSONResponse:
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status}
    if detail:
        body["detail"] = detail
    return JSONResponse({**body, **extra}, status_code=status, media_type=PROBLEM)


def is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def see_other(url: str) -> Response:
    return RedirectResponse(url, status_code=303)
