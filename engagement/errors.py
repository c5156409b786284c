"""Errors the core raises; the bot and worker turn them into messages."""

from __future__ import annotations


class EngagementError(Exception):
    """Base of every error the core raises on purpose; `str()` is fit to show a member."""


class InvalidInput(EngagementError, ValueError):
    """A value from a member, an admin or a config file is not acceptable."""


class NotConnected(EngagementError):
    """The member has not linked an X account."""


class Refused(EngagementError):
    """The request is well formed but the rules say no (duplicate, limit, ownership...)."""


class SettingsError(EngagementError):
    """A setting is missing or invalid; the message names the variable."""


class StoreUnavailable(EngagementError):
    """Redis cannot be reached."""
