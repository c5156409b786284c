"""The Members page (admin and core): tier, points and link status; setting a tier (the same core function as
/tier) and, for admins only, a point adjustment with a required reason (the same as /admin points-adjust)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from engagement import admin as core
from engagement.connections import change_tier
from rules.scoring import TIER_NAMES
from web.deps import AdminDep, FormDep, StaffDep, field
from web.render import page
from web.routes.admin import _done
from web.routes.community import PageQuery

router = APIRouter(prefix="/c/{guild_id}", include_in_schema=False)


def _whole(text: str) -> int | str:
    """A form's whole number as an int; anything else stays text, for the core's check to refuse in its words."""
    stripped = text.strip()
    digits = stripped.removeprefix("-").removeprefix("+")
    return int(stripped) if digits.isascii() and digits.isdigit() and len(digits) <= 9 else text


@router.get("/members")
async def members(request: Request, viewer: StaffDep, number: PageQuery = 1) -> Response:
    shown = await core.list_members(viewer.services.store, number)
    return await page(request, "members.html", viewer.session, viewer, shown=shown, tier_names=TIER_NAMES)


@router.post("/members/tier")
async def members_tier(request: Request, viewer: StaffDep, form: FormDep) -> Response:
    who = field(form, "member")
    old, new = await change_tier(viewer.services, viewer.actor, who, _whole(field(form, "tier")))
    return await _done(request, viewer, "members", f"Member {who}: tier {old} → {new}.")


@router.post("/members/points")
async def members_points(request: Request, viewer: AdminDep, form: FormDep) -> Response:
    done = await core.adjust_points(
        viewer.services.store, viewer.actor, field(form, "member"), _whole(field(form, "delta")), field(form, "reason")
    )
    notice = f"Member {done.discord_id}: {done.delta:+d} points ({done.reason}); all-time total {done.total}."
    return await _done(request, viewer, "members", notice)
