"""A loopback fake of Discord's HTTP API, and payload builders for the gateway events tests feed.

discord.py's HTTP client and its interaction webhooks both build URLs from
`discord.http.Route.BASE`; pointing that at this app catches login, command
sync, interaction callbacks, followups, edits and channel messages. Every
request is recorded; messages are kept by id so buttons can be clicked later.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from aiohttp import web

from sandbox._loopback import serve_on_loopback
from tests.fakes.discord_payloads import (
    APP_ID,
    BOT_USER_ID,
    EPHEMERAL,
    SUBMIT_CHANNEL_ID,
    Json,
    user_payload,
)

Handler = Callable[[re.Match[str], Any], Awaitable[web.Response]]
FILES = "_files"  # where a multipart body's files are kept: [(filename, content)]
FILES_URL = "http://127.0.0.1:9/attachments"  # never fetched: the files are kept on SentMessage


def json_response(payload: object, status: int = 200) -> web.Response:
    # discord.py parses a body only when the Content-Type is exactly application/json (no charset).
    return web.Response(status=status, body=json.dumps(payload).encode(), headers={"Content-Type": "application/json"})


@dataclass
class SentMessage:
    """One message the bot showed: an interaction reply, a followup, an edit, or a channel post."""

    kind: str
    message_id: str
    content: str
    embeds: list[Json]
    components: list[Json]
    ephemeral: bool
    raw: Json
    files: dict[str, bytes] = field(default_factory=dict)
    """The files attached (name -> content)."""

    @property
    def custom_ids(self) -> list[str]:
        return [
            item["custom_id"] for row in self.components for item in row.get("components", []) if "custom_id" in item
        ]

    def button(self, custom_id: str) -> Json:
        found = [
            item for row in self.components for item in row.get("components", []) if item.get("custom_id") == custom_id
        ]
        assert found, f"no button {custom_id!r} in {self.custom_ids}"
        return found[0]


@dataclass
class Recorded:
    method: str
    path: str
    query: dict[str, str]
    body: Any


@dataclass
class FakeDiscordAPI:
    """The app plus what it saw. `messages` holds every message payload it created, by id."""

    requests: list[Recorded] = field(default_factory=list)
    messages: dict[str, Json] = field(default_factory=dict)
    sent: list[tuple[str, SentMessage]] = field(default_factory=list)  # (interaction token or "channel", message)
    callbacks: dict[str, Json] = field(default_factory=dict)  # interaction id -> callback body
    synced_commands: dict[str, list[Json]] = field(default_factory=dict)  # "global" or guild id -> commands
    unhandled: list[Recorded] = field(default_factory=list)
    failures: list[tuple[str, str, int]] = field(default_factory=list)  # (method, path regex, status), used once
    _original: dict[str, str] = field(default_factory=dict)  # interaction token -> message id of @original
    _defer_flags: dict[str, int] = field(default_factory=dict)
    _token_interaction: dict[str, str] = field(default_factory=dict)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1300000000000000000))
    dms: dict[str, str] = field(default_factory=dict)  # DM channel id -> the member's user id
    closed_dms: set[str] = field(default_factory=set)  # members who take no DMs from the bot (403 50007)
    bot_adders: dict[str, str] = field(default_factory=dict)  # guild id -> who added the bot (audit log BOT_ADD)
    _runner: web.AppRunner | None = None
    base_url: str = ""
    member_roles: dict[tuple[str, str], set[str]] = field(default_factory=dict)  # (guild, member) -> roles given

    def dms_to(self, user_id: str) -> list[SentMessage]:
        """What the bot sent that member by DM."""
        return [
            sent for token, sent in self.sent if token == "channel" and self.dms.get(sent.raw["channel_id"]) == user_id
        ]

    async def start(self) -> str:
        app = web.Application()
        app.router.add_route("*", "/api/v10/{tail:.*}", self._dispatch)
        self._runner, root = await serve_on_loopback(app)
        self.base_url = f"{root}/api/v10"
        return self.base_url

    async def close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    def next_id(self) -> str:
        return str(next(self._ids))

    def fail_next(self, method: str, path_pattern: str, status: int) -> None:
        """Answer the next matching request with `status` (e.g. 403: the bot may not post in a channel)."""
        self.failures.append((method, path_pattern, status))

    def _take_failure(self, method: str, path: str) -> int | None:
        for index, (wanted, pattern, status) in enumerate(self.failures):
            if wanted == method and re.fullmatch(pattern, path):
                del self.failures[index]
                return status
        return None

    def expect_interaction(self, interaction_id: str, token: str, message_id: str | None) -> None:
        """Remember which interaction a token belongs to, and the message a component sits on."""
        self._token_interaction[token] = interaction_id
        if message_id is not None:
            self._original[token] = message_id

    # --- routing -------------------------------------------------------------------------------

    def _routes(self) -> list[tuple[str, str, Handler]]:
        return [
            ("GET", r"users/@me", self._me),
            ("GET", r"oauth2/applications/@me", self._application),
            ("PUT", r"applications/(?P<app>\d+)(?:/guilds/(?P<guild>\d+))?/commands", self._sync),
            ("POST", r"interactions/(?P<id>\d+)/(?P<token>[^/]+)/callback", self._callback),
            ("POST", r"webhooks/(?P<app>\d+)/(?P<token>[^/]+)", self._followup),
            ("PATCH", r"webhooks/(?P<app>\d+)/(?P<token>[^/]+)/messages/(?P<mid>@original|\d+)", self._edit),
            ("GET", r"webhooks/(?P<app>\d+)/(?P<token>[^/]+)/messages/(?P<mid>@original|\d+)", self._get_message),
            ("DELETE", r"webhooks/(?P<app>\d+)/(?P<token>[^/]+)/messages/(?P<mid>@original|\d+)", self._delete),
            ("POST", r"channels/(?P<channel>\d+)/messages", self._channel_message),
            ("POST", r"users/@me/channels", self._dm_channel),
            ("GET", r"users/(?P<user>\d+)", self._user),
            ("GET", r"guilds/(?P<guild>\d+)/audit-logs", self._audit_log),
            ("PUT", r"guilds/(?P<guild>\d+)/members/(?P<user>\d+)/roles/(?P<role>\d+)", self._role_added),
            ("DELETE", r"guilds/(?P<guild>\d+)/members/(?P<user>\d+)/roles/(?P<role>\d+)", self._role_removed),
        ]

    async def _dispatch(self, request: web.Request) -> web.Response:
        tail = request.match_info["tail"]
        body = await _read_body(request)
        record = Recorded(request.method, tail, dict(request.query), body)
        self.requests.append(record)
        failure = self._take_failure(request.method, tail)
        if failure is not None:
            return json_response({"message": "injected failure", "code": 50013}, status=failure)
        for method, pattern, handler in self._routes():
            match = re.fullmatch(pattern, tail)
            if method == request.method and match:
                return await handler(match, body)
        self.unhandled.append(record)
        return json_response({"message": f"fake has no route {request.method} {tail}", "code": 0}, status=404)

    # --- login and sync ------------------------------------------------------------------------

    async def _me(self, match: re.Match[str], body: Any) -> web.Response:
        return json_response(user_payload(BOT_USER_ID, "EngagementBot", bot=True))

    async def _application(self, match: re.Match[str], body: Any) -> web.Response:
        return json_response(
            {
                "id": str(APP_ID),
                "name": "Engagement",
                "description": "",
                "icon": None,
                "bot_public": False,
                "bot_require_code_grant": False,
                "owner": user_payload(1, "owner"),
                "verify_key": "0" * 64,
                "flags": 0,
                "summary": "",
                "team": None,
            }
        )

    async def _sync(self, match: re.Match[str], body: Any) -> web.Response:
        commands = [
            {**command, "id": self.next_id(), "application_id": str(APP_ID), "version": "1"} for command in body
        ]
        if match["guild"]:
            commands = [{**command, "guild_id": match["guild"]} for command in commands]
        self.synced_commands[match["guild"] or "global"] = commands
        return json_response(commands)

    # --- interactions --------------------------------------------------------------------------

    async def _callback(self, match: re.Match[str], body: Any) -> web.Response:
        token, interaction_id = match["token"], match["id"]
        self.callbacks[interaction_id] = body
        kind, data = body["type"], body.get("data") or {}
        interaction: Json = {"id": interaction_id, "type": 2}
        resource: Json = {"type": kind}
        if kind in (4, 7):  # a message, or an update of the component's message
            message_id = self._original.get(token) if kind == 7 else None
            message = self._store_message(data, token, "update" if kind == 7 else "reply", message_id)
            self._original.setdefault(token, message["id"])
            interaction |= {"response_message_id": message["id"], "response_message_ephemeral": bool(message["flags"])}
            resource["message"] = message
        elif kind == 5:
            self._defer_flags[token] = int(data.get("flags", 0))
            interaction["response_message_loading"] = True
            interaction["response_message_ephemeral"] = bool(self._defer_flags[token] & EPHEMERAL)
        return json_response({"interaction": interaction, "resource": resource})

    async def _followup(self, match: re.Match[str], body: Any) -> web.Response:
        token = match["token"]
        body = dict(body)
        replaces = token in self._defer_flags
        if replaces:  # the first followup after a "thinking" defer replaces it, flags and all
            body["flags"] = int(body.get("flags", 0)) | self._defer_flags.pop(token)
        message = self._store_message(body, token, "followup")
        if replaces:  # ... and becomes the interaction's original response
            self._original.setdefault(token, message["id"])
        return json_response(message)

    async def _edit(self, match: re.Match[str], body: Any) -> web.Response:
        token = match["token"]
        message_id = self._original.get(token) if match["mid"] == "@original" else match["mid"]
        if message_id is None or message_id not in self.messages:
            return json_response({"message": "Unknown Message", "code": 10008}, status=404)
        old = self.messages[message_id]
        merged = {**old, **{k: v for k, v in body.items() if k in ("content", "embeds", "components")}}
        return json_response(self._store_message(merged, token, "edit", message_id))

    async def _get_message(self, match: re.Match[str], body: Any) -> web.Response:
        message_id = self._original.get(match["token"]) if match["mid"] == "@original" else match["mid"]
        if message_id not in self.messages:
            return json_response({"message": "Unknown Message", "code": 10008}, status=404)
        return json_response(self.messages[message_id])

    async def _delete(self, match: re.Match[str], body: Any) -> web.Response:
        return web.Response(status=204)

    async def _dm_channel(self, match: re.Match[str], body: Any) -> web.Response:
        channel_id = self.next_id()
        self.dms[channel_id] = str(body["recipient_id"])
        recipient = user_payload(int(body["recipient_id"]), f"user{str(body['recipient_id'])[-4:]}")
        return json_response({"id": channel_id, "type": 1, "recipients": [recipient], "last_message_id": None})

    async def _user(self, match: re.Match[str], body: Any) -> web.Response:
        return json_response(user_payload(int(match["user"]), f"user{match['user'][-4:]}"))

    async def _role_added(self, match: re.Match[str], body: Any) -> web.Response:
        """A role given to a member: kept in `member_roles` (Discord answers 204 No Content)."""
        self.member_roles.setdefault((match["guild"], match["user"]), set()).add(match["role"])
        return web.Response(status=204)

    async def _role_removed(self, match: re.Match[str], body: Any) -> web.Response:
        self.member_roles.get((match["guild"], match["user"]), set()).discard(match["role"])
        return web.Response(status=204)

    async def _audit_log(self, match: re.Match[str], body: Any) -> web.Response:
        """The BOT_ADD entry (action 28) naming who added the bot; 403 without View Audit Log (no adder set)."""
        adder = self.bot_adders.get(match["guild"])
        if adder is None:
            return json_response({"message": "Missing Permissions", "code": 50013}, status=403)
        entry = {"id": self.next_id(), "user_id": adder, "target_id": str(BOT_USER_ID), "action_type": 28}
        empty: dict[str, list[Any]] = {
            name: []
            for name in ("integrations", "webhooks", "threads", "application_commands", "auto_moderation_rules")
        }
        return json_response(
            {
                "audit_log_entries": [entry],
                "users": [user_payload(int(adder), "adder")],
                **empty,
                "guild_scheduled_events": [],
            }
        )

    async def _channel_message(self, match: re.Match[str], body: Any) -> web.Response:
        if self.dms.get(match["channel"]) in self.closed_dms:
            return json_response({"message": "Cannot send messages to this user", "code": 50007}, status=403)
        return json_response(self._store_message({**body, "channel_id": match["channel"]}, "channel", "channel"))

    def _store_message(self, body: Json, token: str, kind: str, message_id: str | None = None) -> Json:
        message_id = message_id or self.next_id()
        old = self.messages.get(message_id, {})
        message: Json = {
            "id": message_id,
            "channel_id": str(body.get("channel_id") or old.get("channel_id") or SUBMIT_CHANNEL_ID),
            "type": 0,
            "content": body.get("content") or "",
            "author": user_payload(BOT_USER_ID, "EngagementBot", bot=True),
            "embeds": body.get("embeds") or [],
            "components": body.get("components") or [],
            "attachments": [
                {
                    "id": str(n),
                    "filename": filename,
                    "size": len(content),
                    "url": f"{FILES_URL}/{n}/{filename}",
                    "proxy_url": f"{FILES_URL}/{n}/{filename}",
                }
                for n, (filename, content) in enumerate(body.get(FILES, []))
            ],
            "mentions": [],
            "mention_roles": [],
            "mention_everyone": False,
            "pinned": False,
            "tts": False,
            "timestamp": datetime.now(UTC).isoformat(),
            "edited_timestamp": None,
            "flags": int(body.get("flags", old.get("flags", 0))) & EPHEMERAL,
            "application_id": str(APP_ID),
        }
        self.messages[message_id] = message
        sent = SentMessage(
            kind=kind,
            message_id=message_id,
            content=message["content"],
            embeds=message["embeds"],
            components=message["components"],
            ephemeral=bool(message["flags"] & EPHEMERAL),
            raw=message,
            files=dict(body.get(FILES, [])),
        )
        self.sent.append((token, sent))
        return message


async def _read_body(request: web.Request) -> Any:
    if not request.can_read_body:
        return None
    if request.content_type == "multipart/form-data":
        return await _multipart_body(request)
    raw = await request.read()
    return json.loads(raw) if raw else None


async def _multipart_body(request: web.Request) -> Json:
    """A message with files, as discord.py sends it: `payload_json` plus one part per file (`files[n]`)."""
    form = await request.post()
    body: Json = json.loads(str(form["payload_json"]))
    files = []
    for name, value in form.items():
        if name.startswith("files[") and isinstance(value, web.FileField):
            files.append((value.filename, value.file.read()))
    body[FILES] = files
    return body
