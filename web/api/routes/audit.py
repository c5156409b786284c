"""The audit log (admin): every change, newest first, filtered by actor and action, as the Audit log page."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from engagement import admin as core
from web.api import cursors
from web.api.auth import AdminDep
from web.api.cursors import CursorQuery
from web.api.models import AuditOut
from web.routes.community import PageQuery

router = APIRouter(prefix="/communities/{guild_id}")


@router.get("/audit")
async def audit(
    viewer: AdminDep,
    actor: Annotated[str, Query(description="Only this Discord id's changes.")] = "",
    action: Annotated[str, Query(description="Only this action (one of the answer's `actions`).")] = "",
    page: PageQuery = 1,
    cursor: CursorQuery = None,
) -> AuditOut:
    """Pass the same filters with `cursor` to walk the filtered list."""
    shown = await core.audit_log(viewer.services.store, actor, action, cursors.page_of("audit", cursor, page))
    return AuditOut(**cursors.paging("audit", shown), entries=shown.entries, actions=shown.actions)
