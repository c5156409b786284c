"""Who counts as an admin, checked when the command runs (`default_permissions` only hides commands)."""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any, TypeVar

import discord
from discord import app_commands

T = TypeVar("T")


class NotAdmin(app_commands.CheckFailure):
    """The member has neither one of the configured admin roles nor the Manage Server permission."""


def is_admin(interaction: discord.Interaction, admin_role_ids: Collection[int]) -> bool:
    """Manage Server (or Administrator) permission, or a role whose id is in ADMIN_ROLE_IDS.

    Never by role name: anyone with Manage Roles can create a role with any name.
    """
    permissions = interaction.permissions
    if permissions.manage_guild or permissions.administrator:
        return True
    user = interaction.user
    if not admin_role_ids or not isinstance(user, discord.Member):
        return False
    return any(role.id in admin_role_ids for role in user.roles)


def admin_only() -> Callable[[T], T]:
    """An app-command check that raises `NotAdmin` (shown as "admins only") for everyone else."""

    async def predicate(interaction: discord.Interaction) -> bool:
        services: Any = getattr(interaction.client, "services", None)
        admin_role_ids = services.for_guild(interaction.guild_id).settings.admin_role_ids if services else ()
        if is_admin(interaction, admin_role_ids):
            return True
        raise NotAdmin("admins only")

    return app_commands.check(predicate)
