"""Drive a logged-in bot with genuine INTERACTION_CREATE payloads and read back what it sent.

Each helper feeds the payload through `bot._connection.parsers["INTERACTION_CREATE"]`
(the gateway's own path), awaits the task discord.py starts for it, and returns
a `Reply` with everything the fake Discord API received for that interaction.

A harness drives one guild (the home one, GUILD_ID, unless made with `in_guild`); helpers
written for the home guild name its channel ids, which the harness of another guild reads
as that guild's own channels, so every helper works unchanged in any guild.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from discord.ext import commands

from tests.fakes.discord_api import FakeDiscordAPI, SentMessage
from tests.fakes.discord_payloads import (
    APP_ID,
    GUILD_ID,
    MEMBER_PERMISSIONS,
    OTHER_CHANNEL_ID,
    SUBMIT_CHANNEL_ID,
    Json,
    channel_name,
    channel_payload,
    guild_create_payload,
    member_payload,
    user_payload,
)

APPLICATION_COMMAND, COMPONENT, AUTOCOMPLETE = 2, 3, 4
OPTION_STRING, OPTION_INTEGER, OPTION_USER = 3, 4, 6
HERE = 0  # as `guild_id`: the harness's own guild (None is a DM)
TASK_NAMES = ("CommandTree-invoker", "discord-ui-view-dispatch-")


@dataclass
class Reply:
    """What the bot did for one interaction."""

    callback: Json | None  # the interaction callback body: type and data
    messages: list[SentMessage]  # shown to the member: the reply, followups and edits, in order
    channel_messages: list[SentMessage]  # posted in channels
    choices: list[Json] = field(default_factory=list)  # autocomplete results

    @property
    def last(self) -> SentMessage:
        assert self.messages, f"the bot showed nothing (callback type {self.callback_type})"
        return self.messages[-1]

    @property
    def callback_type(self) -> int | None:
        return self.callback["type"] if self.callback else None

    @property
    def callback_flags(self) -> int:
        return int(((self.callback or {}).get("data") or {}).get("flags", 0))

    @property
    def deferred(self) -> bool:
        return self.callback_type in (5, 6)

    @property
    def text(self) -> str:
        return "\n".join(message.content for message in self.messages)


@dataclass
class Member:
    """A guild member as the interaction payload carries it."""

    id: int
    name: str
    roles: tuple[int, ...] = ()
    permissions: int = MEMBER_PERMISSIONS
    bot: bool = False

    def user(self) -> Json:
        return user_payload(self.id, self.name, bot=self.bot)

    def payload(self) -> Json:
        return member_payload(self.user(), roles=self.roles, permissions=self.permissions)


class DiscordHarness:
    def __init__(
        self,
        bot: commands.Bot,
        api: FakeDiscordAPI,
        guild_id: int = GUILD_ID,
        *,
        tokens: Iterator[int] | None = None,
    ) -> None:
        self.bot = bot
        self.api = api
        self.guild_id = guild_id
        self._tokens = tokens or itertools.count(1)
        self.allow_unexpected = False  # a test that provokes a failure on purpose sets this (on the fixture's)

    def in_guild(self, guild_id: int) -> DiscordHarness:
        """The same bot and fake Discord, every interaction now coming from `guild_id` (joined separately)."""
        return DiscordHarness(self.bot, self.api, guild_id, tokens=self._tokens)

    def join_guild(self, guild_id: int = HERE) -> None:
        """The GUILD_CREATE the gateway sends at start (a server the bot was in already: `guild_available`):
        roles and channels become known by name."""
        payload = {**guild_create_payload(guild_id or self.guild_id), "unavailable": False}
        self.bot._connection.parsers["GUILD_CREATE"](payload)

    async def bot_added(self, guild_id: int, **fields: Any) -> None:
        """The GUILD_CREATE of a server that just added the bot (`guild_join`), with `fields` over the usual
        payload; waits for the bot's listeners to finish."""
        before = asyncio.all_tasks()
        self.bot._connection.parsers["GUILD_CREATE"]({**guild_create_payload(guild_id), **fields})
        started = [task for task in asyncio.all_tasks() - before if task.get_name() == "discord.py: on_guild_join"]
        await asyncio.gather(*started)

    async def slash(
        self,
        name: str,
        options: dict[str, Any] | None = None,
        *,
        member: Member,
        channel_id: int = SUBMIT_CHANNEL_ID,
        guild_id: int | None = HERE,
    ) -> Reply:
        """The command as Discord sends it; `guild_id` another server's id, or None for a DM."""
        data = self._command_data(name, options or {}, guild_id)
        return await self._feed(APPLICATION_COMMAND, data, member, channel_id, guild_id=guild_id)

    async def autocomplete(
        self, name: str, options: dict[str, Any], focused: str, *, member: Member, guild_id: int | None = HERE
    ) -> list[Json]:
        data = self._command_data(name, options, guild_id)
        for option in data["options"]:
            option["focused"] = option["name"] == focused
        reply = await self._feed(AUTOCOMPLETE, data, member, SUBMIT_CHANNEL_ID, guild_id=guild_id)
        return reply.choices

    async def click(self, message: SentMessage, custom_id: str, *, member: Member) -> Reply:
        data = {"custom_id": custom_id, "component_type": 2}
        stored = self.api.messages[message.message_id]
        return await self._feed(COMPONENT, data, member, int(stored["channel_id"]), stored)

    def _guild(self, guild_id: int | None) -> int | None:
        return self.guild_id if guild_id == HERE else guild_id

    def _command_data(self, name: str, options: dict[str, Any], guild_id: int | None = HERE) -> Json:
        """The command as synced to the guild, else globally, else to the home guild (a server never synced to)."""
        synced = self.api.synced_commands
        owner = next(
            key for key in (str(self._guild(guild_id)), "global", str(GUILD_ID)) if synced.get(key) is not None
        )
        command = next(command for command in synced[owner] if command["name"] == name)
        data: Json = {"id": command["id"], "name": name, "type": 1}
        if owner != "global":
            data["guild_id"] = owner
        data["options"], data["resolved"] = _options(options)
        return data

    def _channel(self, channel_id: int, guild_id: int) -> int:
        """`guild_id`'s own channel where a helper names the home guild's (its ids are offsets from the guild's)."""
        return channel_id - GUILD_ID + guild_id if channel_id in (SUBMIT_CHANNEL_ID, OTHER_CHANNEL_ID) else channel_id

    async def _feed(
        self,
        kind: int,
        data: Json,
        member: Member,
        channel_id: int,
        message: Json | None = None,
        *,
        guild_id: int | None = HERE,
    ) -> Reply:
        interaction_id, token = self.api.next_id(), f"token-{next(self._tokens)}"
        self.api.expect_interaction(interaction_id, token, message["id"] if message else None)
        guild = self._guild(guild_id)
        payload = _guild_interaction(self._channel(channel_id, guild), guild) if guild is not None else {}
        payload |= {
            "id": interaction_id,
            "application_id": str(APP_ID),
            "type": kind,
            "token": token,
            "version": 1,
            "member": member.payload(),
            "app_permissions": str(MEMBER_PERMISSIONS),
            "locale": "en-US",
            "entitlements": [],
            "context": 0,
            "attachment_size_limit": 10 * 1024 * 1024,
            "data": data,
        }
        if guild is None:  # a DM: no guild, the user instead of a member
            del payload["member"]
            payload |= {
                "user": member.user(),
                "context": 1,
                "channel_id": str(channel_id),
                "channel": {"id": str(channel_id), "type": 1},
                "authorizing_integration_owners": {"0": str(GUILD_ID)},
            }
        if message is not None:
            payload["message"] = message
        start = len(self.api.sent)
        before = asyncio.all_tasks()
        self.bot._connection.parsers["INTERACTION_CREATE"](payload)
        await _await_new_tasks(before)
        return self._reply(interaction_id, token, start)

    def _reply(self, interaction_id: str, token: str, start: int) -> Reply:
        callback = self.api.callbacks.get(interaction_id)
        sent = self.api.sent[start:]
        return Reply(
            callback=callback,
            messages=[message for owner, message in sent if owner == token],
            channel_messages=[message for owner, message in sent if owner == "channel"],
            choices=list((callback or {}).get("data", {}).get("choices", [])),
        )


def _guild_interaction(channel_id: int, guild_id: int) -> Json:
    """The guild part of an interaction payload: the guild, and the channel it was used in."""
    return {
        "guild_id": str(guild_id),
        "channel_id": str(channel_id),
        "channel": channel_payload(channel_id, channel_name(channel_id, guild_id), guild_id),
        "guild_locale": "en-US",
        "authorizing_integration_owners": {"0": str(guild_id)},
    }


def _options(options: dict[str, Any]) -> tuple[list[Json], Json]:
    """Option list and `resolved` block: a `Member` value becomes a user option, as Discord sends it."""
    listed: list[Json] = []
    resolved: Json = {"users": {}, "members": {}}
    for name, value in options.items():
        if isinstance(value, Member):
            listed.append({"name": name, "type": OPTION_USER, "value": str(value.id)})
            resolved["users"][str(value.id)] = value.user()
            resolved["members"][str(value.id)] = {k: v for k, v in value.payload().items() if k != "user"}
        elif isinstance(value, int) and not isinstance(value, bool):
            listed.append({"name": name, "type": OPTION_INTEGER, "value": value})
        else:
            listed.append({"name": name, "type": OPTION_STRING, "value": value})
    return listed, resolved


async def _await_new_tasks(before: set[asyncio.Task[Any]]) -> None:
    """Await the tasks discord.py started for the interaction (the tree's invoker, a view's dispatch)."""
    started = [task for task in asyncio.all_tasks() - before if task.get_name().startswith(TASK_NAMES)]
    await asyncio.gather(*started)
