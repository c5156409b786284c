"""Who counts as an admin, checked when the command runs (`default_permissions` only hides commands)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import discord
from discord import app_commands

T = TypeVar("T")


class NotAdmin(app_commands.CheckFailure):
    """The member has neither the configured admin role nor the Manage Server permission."""


def is_admin(interaction: discord.Interaction, admin_role: str | None) -> bool:
    """Manage Server (or Administrator) permission, or a role named ADMIN_ROLE."""
    permissions = interaction.permissions
    if permissions.manage_guild or permissions.administrator:
        return True
    user = interaction.user
    if not admin_role or not isinstance(user, discord.Member):
        return False
    wanted = admin_role.casefold()
    return any(role.name.casefold() == wanted for role in user.roles)


def admin_only() -> Callable[[T], T]:
    """An app-command check that raises `NotAdmin` (shown as "admins only") for everyone else."""

    async def predicate(interaction: discord.Interaction) -> bool:
        services: Any = getattr(interaction.client, "services", None)
        admin_role = services.settings.admin_role if services is not None else None
        if is_admin(interaction, admin_role):
            return True
        raise NotAdmin("admins only")

    return app_commands.check(predicate)
