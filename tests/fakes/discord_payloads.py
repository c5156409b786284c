"""Constants and payload builders for the fake Discord: users, members, roles, channels, guilds.

Every guild has the same layout, its ids derived from the guild's own: its submissions channel
is `guild id + 1`, "general" `+ 2`, its admin role `+ 3` (the home guild's are the constants
below). Guild ids are spaced 100 apart, so no two guilds' ids meet.
"""

from __future__ import annotations

from typing import Any

APP_ID = 1100000000000000001
BOT_USER_ID = 1100000000000000002
GUILD_ID = 1100000000000000003
GUILD_B_ID = GUILD_ID + 100
GUILD_C_ID = GUILD_ID + 200
ADMIN_ROLE_NAME = "Engagement Admin"
SUBMIT_CHANNEL_NAME = "engagement-tracker"
EPHEMERAL = 1 << 6
MANAGE_GUILD = 1 << 5
MEMBER_PERMISSIONS = (1 << 10) | (1 << 11) | (1 << 14) | (1 << 31)  # view, send, embed links, use app commands
OTHER_CHANNEL_NAME = "general"

Json = dict[str, Any]


def submit_channel_id(guild_id: int = GUILD_ID) -> int:
    return guild_id + 1


def other_channel_id(guild_id: int = GUILD_ID) -> int:
    return guild_id + 2


def admin_role_id(guild_id: int = GUILD_ID) -> int:
    return guild_id + 3


SUBMIT_CHANNEL_ID = submit_channel_id()
OTHER_CHANNEL_ID = other_channel_id()
ADMIN_ROLE_ID = admin_role_id()


def channel_name(channel_id: int, guild_id: int = GUILD_ID) -> str:
    """The name of one of `guild_id`'s channels; any other id is a channel named "elsewhere"."""
    names = {submit_channel_id(guild_id): SUBMIT_CHANNEL_NAME, other_channel_id(guild_id): OTHER_CHANNEL_NAME}
    return names.get(channel_id, "elsewhere")


def user_payload(user_id: int, name: str, *, bot: bool = False) -> Json:
    return {"id": str(user_id), "username": name, "global_name": name, "discriminator": "0", "avatar": None, "bot": bot}


def member_payload(user: Json, *, roles: tuple[int, ...] = (), permissions: int = MEMBER_PERMISSIONS) -> Json:
    return {
        "user": user,
        "roles": [str(role) for role in roles],
        "joined_at": "2026-01-01T00:00:00+00:00",
        "deaf": False,
        "mute": False,
        "flags": 0,
        "permissions": str(permissions),
    }


def channel_payload(channel_id: int, name: str, guild_id: int = GUILD_ID) -> Json:
    return {
        "id": str(channel_id),
        "type": 0,
        "guild_id": str(guild_id),
        "name": name,
        "position": 0,
        "permission_overwrites": [],
        "nsfw": False,
        "parent_id": None,
        "rate_limit_per_user": 0,
        "flags": 0,
    }


def role_payload(role_id: int, name: str, permissions: int = 0) -> Json:
    return {
        "id": str(role_id),
        "name": name,
        "color": 0,
        "hoist": False,
        "position": 1,
        "permissions": str(permissions),
        "managed": False,
        "mentionable": False,
        "flags": 0,
    }


def guild_create_payload(guild_id: int = GUILD_ID) -> Json:
    """The GUILD_CREATE a bot with the guilds intent receives: roles and channels it can name."""
    return {
        "id": str(guild_id),
        "name": "Test server" if guild_id == GUILD_ID else f"Test server {guild_id}",
        "owner_id": "1",
        "member_count": 3,
        "roles": [
            role_payload(guild_id, "@everyone", MEMBER_PERMISSIONS),
            role_payload(admin_role_id(guild_id), ADMIN_ROLE_NAME),
        ],
        "channels": [
            channel_payload(submit_channel_id(guild_id), SUBMIT_CHANNEL_NAME, guild_id),
            channel_payload(other_channel_id(guild_id), OTHER_CHANNEL_NAME, guild_id),
        ],
        "emojis": [],
        "stickers": [],
        "features": [],
        "members": [],
        "voice_states": [],
        "threads": [],
        "stage_instances": [],
        "guild_scheduled_events": [],
        "soundboard_sounds": [],
    }
