"""Members: the list and a tier change (admin or core), a point adjustment with a required reason (admin), the
same core calls as the Members page (and /tier, /admin points-adjust)."""

from __future__ import annotations

from fastapi import APIRouter

from engagement import admin as core
from engagement.connections import change_tier
from web.api import cursors
from web.api.auth import AdminDep, StaffDep
from web.api.cursors import CursorQuery
from web.api.models import AdjustmentIn, AdjustmentOut, MembersOut, TierChange, TierIn
from web.routes.community import PageQuery

router = APIRouter(prefix="/communities/{guild_id}/members")


@router.get("")
async def members(viewer: StaffDep, page: PageQuery = 1, cursor: CursorQuery = None) -> MembersOut:
    shown = await core.list_members(viewer.services.store, cursors.page_of("members", cursor, page))
    return MembersOut.model_validate({**cursors.paging("members", shown), "members": shown.members})


@router.put("/{discord_id}/tier")
async def set_tier(viewer: StaffDep, discord_id: str, body: TierIn) -> TierChange:
    """Set a connected member's tier (audited as `tier`)."""
    old, new = await change_tier(viewer.services, viewer.actor, discord_id, body.tier)
    return TierChange(discord_id=discord_id, old=old, new=new)


@router.post("/{discord_id}/adjustments")
async def adjust_points(viewer: AdminDep, discord_id: str, body: AdjustmentIn) -> AdjustmentOut:
    """Add signed points with a reason (audited as `points-adjust`); both leaderboards change too."""
    done = await core.adjust_points(viewer.services.store, viewer.actor, discord_id, body.delta, body.reason)
    return AdjustmentOut.model_validate(done)
