"""Constants and payload builders for the fake Discord: users, members, roles, channels, the guild."""

from __future__ import annotations

from typing import Any

APP_ID = 1100000000000000001
BOT_USER_ID = 1100000000000000002
GUILD_ID = 1100000000000000003
SUBMIT_CHANNEL_ID = 1100000000000000004
OTHER_CHANNEL_ID = 1100000000000000005
ADMIN_ROLE_ID = 1100000000000000006
ADMIN_ROLE_NAME = "Engagement Admin"
SUBMIT_CHANNEL_NAME = "engagement-tracker"
EPHEMERAL = 1 << 6
MANAGE_GUILD = 1 << 5
MEMBER_PERMISSIONS = (1 << 10) | (1 << 11) | (1 << 14) | (1 << 31)  # view, send, embed links, use app commands

Json = dict[str, Any]


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


def channel_payload(channel_id: int, name: str) -> Json:
    return {
        "id": str(channel_id),
        "type": 0,
        "guild_id": str(GUILD_ID),
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


def guild_create_payload() -> Json:
    """The GUILD_CREATE a bot with the guilds intent receives: roles and channels it can name."""
    return {
        "id": str(GUILD_ID),
        "name": "Test server",
        "owner_id": "1",
        "member_count": 3,
        "roles": [
            role_payload(GUILD_ID, "@everyone", MEMBER_PERMISSIONS),
            role_payload(ADMIN_ROLE_ID, ADMIN_ROLE_NAME),
        ],
        "channels": [
            channel_payload(SUBMIT_CHANNEL_ID, SUBMIT_CHANNEL_NAME),
            channel_payload(OTHER_CHANNEL_ID, "general"),
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
