"""The embeds of seasons, teams and campaigns."""

from __future__ import annotations

import discord

from engagement.models import LeaderboardEntry
from engagement.seasons import ProgramBoard, Season, Team
from rules.campaigns import Campaign
from rules.wording import plural

COLOUR = discord.Colour.gold()


def _when(at: float) -> str:
    return f"<t:{int(at)}:f>"


def season_line(season: Season) -> str:
    state = "ended" if season.ended else "open"
    dates = f"{_when(season.start)} to {_when(season.end)}"
    return f"**{season.name}** ({state}): {dates} · reward zone top {season.reward_zone}"


def campaign_line(campaign: Campaign) -> str:
    what = {"category": f"category {campaign.value}", "hashtag": f"#{campaign.value}", "posts": "picked posts"}
    return (
        f"**{campaign.name}**: x{campaign.multiplier:f} on {what[campaign.match]}, "
        f"{_when(campaign.start)} to {_when(campaign.end)}"
    )


def list_embed(title: str, lines: list[str], empty: str) -> discord.Embed:
    return discord.Embed(title=title, description="\n".join(lines)[:4000] or empty, colour=COLOUR)


def _entry(board: ProgramBoard, entry: LeaderboardEntry) -> str:
    if board.kind == "teams":
        who = board.names.get(entry.discord_id, f"team {entry.discord_id}")
    else:
        handle = board.names.get(entry.discord_id)
        who = f"<@{entry.discord_id}>" + (f" (@{handle})" if handle else "")
    zone = " 🏆" if board.kind == "season" and entry.rank <= board.reward_zone else ""
    return f"**#{entry.rank}** {who} · {plural(entry.points, 'point')}{zone}"


def board_embed(board: ProgramBoard) -> discord.Embed:
    titles = {"season": "Season", "teams": "Teams of season", "campaign": "Campaign"}
    state = "final results" if board.ended else f"ends <t:{int(board.end)}:R>"
    embed = discord.Embed(title=f"{titles[board.kind]} {board.name} · {state}", colour=COLOUR)
    lines = [_entry(board, entry) for entry in board.entries]
    embed.description = "\n".join(lines) or "No points yet."
    footer = f"Page {board.page + 1}/{board.pages}"
    if board.kind == "season":
        footer += f" · reward zone: top {board.reward_zone}"
    if board.kind != "teams":
        mine = f"#{board.viewer_rank} with {plural(board.viewer_points, 'point')}" if board.viewer_rank else "not on it"
        footer += f" · you: {mine}"
    embed.set_footer(text=footer)
    return embed


def results_text(season: Season, winners: list[LeaderboardEntry]) -> str:
    lines = [f"🏁 **Season {season.name} has ended.** Final reward zone (top {season.reward_zone}):"]
    lines += [f"**#{entry.rank}** <@{entry.discord_id}> · {plural(entry.points, 'point')}" for entry in winners]
    if not winners:
        lines.append("Nobody earned points this season.")
    lines.append("The whole board is attached as CSV; `/leaderboard season:" + season.name + "` shows it any time.")
    return "\n".join(lines)[:1900]


def team_list(teams: list[Team], mine: str | None) -> discord.Embed:
    lines = [f"**{team.name}**" + (" (your team)" if team.id == mine else "") for team in teams]
    return list_embed("Teams", lines, "No teams yet. Admins create them with /team create.")
