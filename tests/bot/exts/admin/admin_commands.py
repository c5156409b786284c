"""Drive `/admin ...` through the fake Discord: subcommand and sub-group payloads as Discord sends them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from aiohttp import web

from tests.bot.conftest import ADMIN_BY_ROLE
from tests.fakes import discord_api
from tests.fakes.discord_fixtures import Keyspace
from tests.fakes.discord_harness import APPLICATION_COMMAND, DiscordHarness, Member, Reply, _options
from tests.fakes.discord_payloads import SUBMIT_CHANNEL_ID, Json, role_payload

SUB_COMMAND, SUB_COMMAND_GROUP, OPTION_BOOLEAN, OPTION_CHANNEL, OPTION_ROLE = 1, 2, 5, 7, 8


@dataclass(frozen=True)
class Role:
    """A role option value, resolved as Discord sends it."""

    id: int
    name: str


@dataclass(frozen=True)
class Channel:
    """A channel option value (a text channel), resolved as Discord sends it."""

    id: int
    name: str


def _admin_options(options: dict[str, Any]) -> tuple[list[Json], Json]:
    booleans = {name: value for name, value in options.items() if isinstance(value, bool)}
    roles = {name: value for name, value in options.items() if isinstance(value, Role)}
    channels = {name: value for name, value in options.items() if isinstance(value, Channel)}
    plain = {name: value for name, value in options.items() if name not in booleans | roles | channels}
    listed, resolved = _options(plain)
    listed += [{"name": name, "type": OPTION_BOOLEAN, "value": value} for name, value in booleans.items()]
    listed += [{"name": name, "type": OPTION_ROLE, "value": str(role.id)} for name, role in roles.items()]
    resolved["roles"] = {str(role.id): role_payload(role.id, role.name) for role in roles.values()}
    listed += [{"name": name, "type": OPTION_CHANNEL, "value": str(channel.id)} for name, channel in channels.items()]
    resolved["channels"] = {
        str(channel.id): {"id": str(channel.id), "name": channel.name, "type": 0, "permissions": "0"}
        for channel in channels.values()
    }
    return listed, resolved


async def admin(discord: DiscordHarness, path: str, options: dict[str, Any] | None = None, *, member: Member) -> Reply:
    """`/admin <command>` or `/admin <group> <command>` with `options`."""
    return await grouped(discord, "admin", path, options, member=member)


async def grouped(
    discord: DiscordHarness, root: str, path: str, options: dict[str, Any] | None = None, *, member: Member
) -> Reply:
    """`/<root> <command>` or `/<root> <group> <command>` with `options` (e.g. `/season open`)."""
    data = discord._command_data(root, {})
    *group, name = path.split()
    listed, data["resolved"] = _admin_options(options or {})
    inner: Json = {"type": SUB_COMMAND, "name": name, "options": listed}
    if group:
        inner = {"type": SUB_COMMAND_GROUP, "name": group[0], "options": [inner]}
    data["options"] = [inner]
    return await discord._feed(APPLICATION_COMMAND, data, member, SUBMIT_CHANNEL_ID)


def fields(reply: Reply) -> dict[str, str]:
    """Name -> value of the embed fields of the last message."""
    return {field["name"]: field["value"] for embed in reply.last.embeds for field in embed.get("fields", [])}


@pytest.fixture
def uploads(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, bytes]]:
    """Collect the files the bot uploads to the fake Discord (multipart messages), in order."""
    files: list[tuple[str, bytes]] = []
    plain = discord_api._multipart_body

    async def read(request: web.Request) -> Any:
        body = await plain(request)
        files.extend(body[discord_api.FILES])
        return body

    monkeypatch.setattr(discord_api, "_multipart_body", read)
    return files


async def refused(
    discord: DiscordHarness,
    keyspace: Keyspace,
    path: str,
    options: dict[str, Any] | None,
    message: str,
    *,
    member: Member = ADMIN_BY_ROLE,
) -> Reply:
    """Run the command and check it was refused with a message starting `message`, privately, changing nothing."""
    before = await keyspace()
    reply = await admin(discord, path, options, member=member)
    assert reply.last.content.startswith(message), reply.last.content
    assert reply.last.ephemeral
    assert await keyspace() == before
    return reply


async def press(discord: DiscordHarness, reply: Reply, label: str, *, member: Member = ADMIN_BY_ROLE) -> Reply:
    """Press the button labelled `label` on the last message of `reply` (Confirm, Cancel, Previous, Next)."""
    [custom_id] = [custom_id for custom_id in reply.last.custom_ids if reply.last.button(custom_id)["label"] == label]
    return await discord.click(reply.last, custom_id, member=member)
