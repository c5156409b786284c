"""The REST API under /api/v1/ and its documentation page."""

from web.api import docs, v1

ROUTERS = (v1.router, docs.router)
