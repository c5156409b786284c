"""The /leaderboard embed."""

from __future__ import annotations

import discord

from engagement.models import LeaderboardEntry
from engagement.stats import LeaderboardPage
from rules.wording import plural


def entry_line(entry: LeaderboardEntry, handle: str | None) -> str:
    who = f"<@{entry.discord_id}>" + (f" (@{handle})" if handle else "")
    return f"**#{entry.rank}** {who} · {plural(entry.points, 'point')}"


def leaderboard_embed(shown: LeaderboardPage) -> discord.Embed:
    title = f"Weekly leaderboard · {shown.week}" if shown.weekly else "All-time leaderboard"
    lines = [entry_line(entry, shown.handles.get(entry.discord_id)) for entry in shown.entries]
    description = "\n".join(lines) or "No points yet. Engage with the submitted posts to get on the board."
    embed = discord.Embed(title=title, description=description, colour=discord.Colour.gold())
    viewer = shown.viewer
    mine = (
        f"Your rank: #{viewer.rank} with {plural(viewer.points, 'point')}"
        if viewer.rank
        else "You are not on this board yet"
    )
    embed.set_footer(text=f"Page {shown.page + 1}/{shown.pages} · {mine}")
    return embed
