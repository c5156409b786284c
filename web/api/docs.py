"""/api/docs: the API's operations as a plain page (Swagger UI would need inline scripts, which the CSP refuses)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from web.render import page

router = APIRouter(include_in_schema=False)


@router.get("/api/docs")
async def docs(request: Request) -> Response:
    spec = request.app.openapi()
    operations = [
        (method.upper(), path, str(details.get("summary", "")))
        for path, methods in spec.get("paths", {}).items()
        for method, details in methods.items()
    ]
    return await page(request, "api_docs.html", None, operations=operations)
