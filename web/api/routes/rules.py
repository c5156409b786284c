"""The point table (admin): read it, change one rule, reset it to the defaults, as the Rules page does."""

from __future__ import annotations

from fastapi import APIRouter

from engagement import admin as core
from web.api.auth import AdminDep
from web.api.models import Rule, RuleChange, RulePoints, RulesReset

router = APIRouter(prefix="/communities/{guild_id}/rules")


@router.get("")
async def rules(viewer: AdminDep) -> list[Rule]:
    shown = await core.show_rules(viewer.services.store)
    return [
        Rule(tier=tier, type=kind, points=points, overridden=(tier, kind) in shown.overridden)
        for (tier, kind), points in sorted(shown.table.items())
    ]


@router.get("/{tier}/{type}/preview")
async def preview_rule(viewer: AdminDep, tier: int, type: str, points: int) -> core.RulePreview:
    """What `points` for that tier and type would do, from the last window's awards (nothing is saved)."""
    window = viewer.services.settings.batch_window_hours
    return await core.preview_rule(viewer.services.store, window, tier, type, points)


@router.put("/{tier}/{type}")
async def set_rule(viewer: AdminDep, tier: int, type: str, body: RulePoints) -> RuleChange:
    """Set the points of one tier and engagement type, from the next batch (audited as `rule`, as on the Rules page)."""
    old, new = await core.set_rule(viewer.services.store, viewer.actor, tier, type, body.points)
    return RuleChange(tier=tier, type=type, old=old, new=new)


@router.post("/reset")
async def reset_rules(viewer: AdminDep) -> RulesReset:
    """Back to the default table (audited as `rules-reset`, as on the Rules page)."""
    return RulesReset(removed=await core.reset_rules(viewer.services.store, viewer.actor))
