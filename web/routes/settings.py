"""The Settings page (admin): the run-time configuration, shown, set and reset with the same core functions
as /admin config (same validation, same audit entries)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from engagement import admin as core
from web.deps import AdminDep, FormDep, field
from web.render import page
from web.routes.admin import _done

router = APIRouter(prefix="/c/{guild_id}", include_in_schema=False)


@router.get("/settings")
async def settings(request: Request, viewer: AdminDep) -> Response:
    entries = await core.show_config(viewer.services.settings, viewer.services.store)
    return await page(request, "settings.html", viewer.session, viewer, entries=entries)


@router.post("/settings")
async def settings_set(request: Request, viewer: AdminDep, form: FormDep) -> Response:
    old, new = await core.set_config(viewer.services.store, viewer.actor, field(form, "name"), field(form, "value"))
    name = field(form, "name")
    return await _done(request, viewer, "settings", f"{name} set to {new} (was {old or 'not set'}).")


@router.post("/settings/reset")
async def settings_reset(request: Request, viewer: AdminDep, form: FormDep) -> Response:
    name = field(form, "name")
    old = await core.reset_config(viewer.services.store, viewer.actor, name)
    return await _done(
        request, viewer, "settings", f"{name} is back to the environment's value (was {old or 'not set'})."
    )
