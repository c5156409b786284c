"""The Roles page (admin): reward roles (a Discord role at a points threshold, all-time or in the open season) and
tier promotion rules. The same core calls as /roles, so the checks and the audit entries (`role-reward`,
`tier-rule`) are the same; the bot's loop gives and takes back the roles, the panel only edits the rules."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from engagement import role_rewards as core
from rules.wording import plural
from web.deps import AdminDep, FormDep, field
from web.render import page
from web.routes.admin import _done
from web.routes.members import _whole

router = APIRouter(prefix="/c/{guild_id}/roles", include_in_schema=False)


@router.get("")
async def roles_page(request: Request, viewer: AdminDep) -> Response:
    store = viewer.services.store
    rewards, tiers = await core.role_rewards(store), await core.tier_rules(store)
    return await page(request, "roles.html", viewer.session, viewer, rewards=rewards, tiers=tiers, scopes=core.SCOPES)


@router.post("")
async def role_add(request: Request, viewer: AdminDep, form: FormDep) -> Response:
    role, revoke = field(form, "role").strip(), field(form, "revoke") == "1"
    threshold, scope = _whole(field(form, "threshold")), field(form, "scope")
    found = await core.add_role_reward(viewer.services, viewer.actor, role, threshold, scope, revoke)
    taken = ", taken back below it" if found.revoke else ""
    notice = f"Role {found.role_id} is granted at {plural(found.threshold, 'point')} ({found.scope}{taken})"
    return await _done(request, viewer, "roles", notice + " by the bot, within 5 minutes.")


@router.post("/remove")
async def role_remove(request: Request, viewer: AdminDep, form: FormDep) -> Response:
    role = field(form, "role").strip()
    await core.remove_role_reward(viewer.services, viewer.actor, role)
    notice = f"Role {int(role)} is no longer a reward (members keep it)."  # the core took it: digits
    return await _done(request, viewer, "roles", notice)


@router.post("/tier")
async def tier_rule(request: Request, viewer: AdminDep, form: FormDep) -> Response:
    level, threshold = field(form, "level").strip(), _whole(field(form, "threshold"))
    await core.set_tier_rule(viewer.services, viewer.actor, level, threshold)
    said = "off" if threshold == 0 else f"at {plural(int(threshold), 'all-time point')}"
    return await _done(request, viewer, "roles", f"Promotion to tier {int(level)}: {said}.")
