"""The run-time configuration (admin): read it, set one setting, put one back to the environment's value; the
same core calls as the Settings page and /admin config (same validation, audited as `config`)."""

from __future__ import annotations

from fastapi import APIRouter

from engagement import admin as core
from web.api.auth import AdminDep
from web.api.models import SettingChange, SettingIn, SettingOut

router = APIRouter(prefix="/communities/{guild_id}/settings")


@router.get("")
async def settings(viewer: AdminDep) -> list[SettingOut]:
    entries = await core.show_config(viewer.services.settings, viewer.services.store)
    return [SettingOut.model_validate(entry) for entry in entries]


@router.put("/{name}")
async def set_setting(viewer: AdminDep, name: str, body: SettingIn) -> SettingChange:
    old, new = await core.set_config(viewer.services.store, viewer.actor, name, body.value)
    return SettingChange(name=name, old=old, new=new)


@router.delete("/{name}")
async def reset_setting(viewer: AdminDep, name: str) -> SettingChange:
    """Back to the environment's value."""
    old = await core.reset_config(viewer.services.store, viewer.actor, name)
    return SettingChange(name=name, old=old, new="")
