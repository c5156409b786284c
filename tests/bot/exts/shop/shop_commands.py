"""Drive /shop and /shop-admin through the fake Discord, as Discord sends their subcommands."""

from __future__ import annotations

from typing import Any

from engagement.store import Store
from tests.bot.conftest import ADMIN_BY_PERMISSION
from tests.bot.exts.admin.admin_commands import grouped
from tests.fakes.discord_harness import AUTOCOMPLETE, OPTION_STRING, DiscordHarness, Member, Reply
from tests.fakes.discord_payloads import SUBMIT_CHANNEL_ID

ADMIN = ADMIN_BY_PERMISSION


async def shop(discord: DiscordHarness, path: str, options: dict[str, Any] | None = None, *, member: Member) -> Reply:
    return await grouped(discord, "shop", path, options, member=member)


async def shop_admin(
    discord: DiscordHarness, path: str, options: dict[str, Any] | None = None, *, member: Member = ADMIN
) -> Reply:
    return await grouped(discord, "shop-admin", path, options, member=member)


async def choices(discord: DiscordHarness, root: str, path: str, typed: str, *, member: Member) -> list[str]:
    """What Discord's client would offer while `typed` is in the `reward` option of `/<root> <path>`."""
    data = discord._command_data(root, {})
    option = {"name": "reward", "type": OPTION_STRING, "value": typed, "focused": True}
    data["options"] = [{"type": 1, "name": path, "options": [option]}]
    reply = await discord._feed(AUTOCOMPLETE, data, member, SUBMIT_CHANNEL_ID)
    return [choice["value"] for choice in reply.choices]


async def give_points(store: Store, member: Member, points: int) -> None:
    """An admin adjustment, the way a member with points would have them (the member must be linked)."""
    assert await store.adjust_points(str(ADMIN.id), str(member.id), points, "seed") == points
