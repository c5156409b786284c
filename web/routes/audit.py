"""The Audit log page (admin): every change, newest first, filtered by actor and action."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from engagement import admin as core
from web.deps import AdminDep
from web.render import page
from web.routes.community import PageQuery

router = APIRouter(prefix="/c/{guild_id}", include_in_schema=False)


@router.get("/audit")
async def audit(
    request: Request, viewer: AdminDep, actor: str = "", action: str = "", number: PageQuery = 1
) -> Response:
    shown = await core.audit_log(viewer.services.store, actor, action, number)
    filters = {"actor": actor, "action": action}
    return await page(request, "audit.html", viewer.session, viewer, shown=shown, filters=filters)
