"""The REST API under /api/v1/, its documentation page, and the panel page that manages its tokens."""

from fastapi import FastAPI, Request
from starlette.responses import Response

from web.api import docs, v1
from web.api.auth import LIMITS_STATE, ApiProblem, Limits
from web.render import problem
from web.routes import tokens

ROUTERS = (v1.router, docs.router, tokens.router)


def install(app: FastAPI, limits: Limits | None = None) -> None:
    """The API's own error answers (401 bad token, 403, 429 with Retry-After) and its request limits."""
    setattr(app.state, LIMITS_STATE, limits or Limits())

    @app.exception_handler(ApiProblem)
    async def api_problem(_: Request, error: Exception) -> Response:
        assert isinstance(error, ApiProblem)
        answer = problem(error.status, error.title, error.detail)
        answer.headers.update(error.headers)
        return answer
