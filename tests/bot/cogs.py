"""The loaded instance of a cog (a fresh module per bot: discord.py unloads extension modules on close)."""

from __future__ import annotations

from typing import Any, TypeVar, cast

from bot.bot import EngagementBot

T = TypeVar("T")


def loaded_cog(bot: EngagementBot, kind: type[T]) -> T:
    cog: Any = bot.get_cog(kind.__name__)
    assert type(cog).__name__ == kind.__name__  # the class of this bot's module, not the test's import
    return cast(T, cog)
