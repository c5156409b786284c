"""The fake of Discord's OAuth2 endpoints lives in sandbox/ (the offline demo logs in through it too)."""

from sandbox.fake_discord_oauth import MANAGE_GUILD, FakeDiscordOAuth, FakeUser

__all__ = ["MANAGE_GUILD", "FakeDiscordOAuth", "FakeUser"]
