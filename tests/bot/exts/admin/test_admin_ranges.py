"""The caps Discord can enforce are in the synced command metadata (min_value/max_value), so the client shows
and enforces them before the bot is asked."""

from __future__ import annotations

from typing import Any

from tests.fakes.discord_harness import DiscordHarness
from tests.fakes.discord_payloads import GUILD_ID


def _command(discord: DiscordHarness, name: str) -> dict[str, Any]:
    [command] = [command for command in discord.api.synced_commands[str(GUILD_ID)] if command["name"] == name]
    return command


def _options(discord: DiscordHarness, path: str) -> dict[str, dict[str, Any]]:
    """The synced options of `/admin <path>` (a subcommand, or `group subcommand`)."""
    node = _command(discord, "admin")
    for part in path.split():
        [node] = [option for option in node["options"] if option["name"] == part]
    return {option["name"]: option for option in node["options"]}


def _range(option: dict[str, Any]) -> tuple[Any, Any, int]:
    return option.get("min_value"), option.get("max_value"), option["type"]


async def test_points_adjust_delta_is_capped_at_10000_either_way(discord: DiscordHarness) -> None:
    assert _range(_options(discord, "points-adjust")["delta"]) == (-10_000, 10_000, 4)


async def test_rules_set_points_0_to_1000_and_tiers_1_to_3(discord: DiscordHarness) -> None:
    options = _options(discord, "rules set")
    assert _range(options["points"]) == (0, 1000, 4)
    assert _range(options["tier"]) == (1, 3, 4)


async def test_tier_level_1_to_3(discord: DiscordHarness) -> None:
    options = {option["name"]: option for option in _command(discord, "tier")["options"]}
    assert _range(options["level"]) == (1, 3, 4)
