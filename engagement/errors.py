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


class DamagedData(EngagementError):
    """A key a write needs has the wrong type or a non-number where a count belongs; nothing was written."""

    def __init__(self, problem: str) -> None:
        super().__init__(f"Some stored data is damaged ({problem}), so nothing was changed. Please tell an admin.")
        self.problem = problem
