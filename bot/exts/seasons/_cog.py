"""/season, /team and /campaign: admins run them (checked when each command runs); members list and join."""

from __future__ import annotations

import io
from typing import Literal

import discord
from discord import app_commands

from bot.bot import FeatureCog
from bot.exts.admin._checks import admin_only
from bot.exts.seasons._embeds import campaign_line, list_embed, season_line, team_list
from engagement import seasons as core
from rules.wording import plural

Match = Literal["category", "hashtag", "posts"]


def _who(interaction: discord.Interaction) -> str:
    return str(interaction.user.id)


async def _say(interaction: discord.Interaction, text: str, *, public: bool = False) -> None:
    await interaction.response.send_message(text, ephemeral=not public, allowed_mentions=discord.AllowedMentions.none())


GUILD_ONLY = app_commands.AppCommandContext(guild=True, dm_channel=False, private_channel=False)


def _group(name: str, description: str) -> app_commands.Group:
    return app_commands.Group(name=name, description=description, guild_only=True, allowed_contexts=GUILD_ONLY)


class SeasonsCog(FeatureCog):
    season = _group("season", "Seasons: sprints with their own board.")
    team = _group("team", "Teams that compete in seasons.")
    campaign = _group("campaign", "Campaigns: posts worth more for a while.")

    @season.command(name="open", description="Admins: open a season with its own board and a reward zone.")
    @app_commands.describe(
        name="The season's name", start="`now`, or a date (2026-12-01) or date and time (2026-12-01 18:00)",
        end="A date, or date and time, in this server's time zone", reward_zone="The top members rewarded (1-100)",
    )  # fmt: skip
    @admin_only()
    async def season_open(
        self, interaction: discord.Interaction, name: str, end: str, start: str = "now",
        reward_zone: app_commands.Range[int, 1, 100] = 10,
    ) -> None:  # fmt: skip
        found = await core.open_season(self.community(interaction), _who(interaction), name, start, end, reward_zone)
        await _say(interaction, f"Season opened. {season_line(found)}", public=True)

    @season.command(name="end", description="Admins: end the open season now (its results are frozen).")
    @admin_only()
    async def season_end(self, interaction: discord.Interaction) -> None:
        found = await core.end_season(self.community(interaction), _who(interaction))
        await _say(interaction, f"Season {found.name} ended: its results are final and will be posted here shortly.")

    @season.command(name="list", description="Every season, open and past.")
    async def season_list(self, interaction: discord.Interaction) -> None:
        found = await core.seasons(self.community(interaction).store)
        lines = [season_line(season) for season in reversed(found)]
        await interaction.response.send_message(embed=list_embed("Seasons", lines, "No season yet."), ephemeral=True)

    @season.command(name="payouts", description="Admins: a season's reward zone with payout addresses, as CSV.")
    @app_commands.describe(name="The season (the open one, else the newest, when left out)")
    @admin_only()
    async def season_payouts(self, interaction: discord.Interaction, name: str | None = None) -> None:
        services = self.community(interaction)
        filename, table, rows = await core.season_payouts_csv(services, _who(interaction), name)
        file = discord.File(io.BytesIO(table.encode()), filename=filename)
        await interaction.response.send_message(
            f"The reward zone's payout addresses: {plural(rows, 'row')} (members without one have it empty).",
            file=file, ephemeral=True,
        )  # fmt: skip

    @team.command(name="create", description="Admins: create a team.")
    @admin_only()
    async def team_create(self, interaction: discord.Interaction, name: str) -> None:
        found = await core.create_team(self.community(interaction), _who(interaction), name)
        await _say(interaction, f"Team **{found.name}** created. Members join with `/team join`.")

    @team.command(name="assign", description="Admins: put a member in a team.")
    @admin_only()
    async def team_assign(self, interaction: discord.Interaction, member: discord.Member, team: str) -> None:
        found, _ = await core.join_team(self.community(interaction), str(member.id), team, actor=_who(interaction))
        await _say(interaction, f"{member.mention} is now in team **{found.name}**.")

    @team.command(name="join", description="Join a team (points you earned before stay with your old team).")
    async def team_join(self, interaction: discord.Interaction, team: str) -> None:
        found, _ = await core.join_team(self.community(interaction), _who(interaction), team)
        await _say(interaction, f"You are in team **{found.name}**: your season points from now on count for it.")

    @team.command(name="leave", description="Leave your team.")
    async def team_leave(self, interaction: discord.Interaction) -> None:
        await core.leave_team(self.community(interaction), _who(interaction))
        await _say(interaction, "You left your team. What you earned while in it stays with it.")

    @team.command(name="list", description="The teams.")
    async def team_list(self, interaction: discord.Interaction) -> None:
        store = self.community(interaction).store
        mine = await store.member_team(_who(interaction))
        await interaction.response.send_message(embed=team_list(await core.teams(store), mine), ephemeral=True)

    @campaign.command(name="create", description="Admins: a campaign multiplies the points on its posts for a while.")
    @app_commands.describe(
        multiplier="e.g. 1.5 (0.1 to 10)", match="How posts join: by category, by hashtag, or picked by admins",
        value="The category or the hashtag (none for picked posts)", start="`now` or a date", end="A date",
    )  # fmt: skip
    @admin_only()
    async def campaign_create(
        self, interaction: discord.Interaction, name: str, multiplier: str, match: Match, end: str,
        value: str | None = None, start: str = "now",
    ) -> None:  # fmt: skip
        services = self.community(interaction)
        found = await core.create_campaign(services, _who(interaction), name, start, end, multiplier, match, value)
        await _say(interaction, f"Campaign created. {campaign_line(found)}", public=True)

    @campaign.command(name="add-post", description="Admins: pick a submitted post for a campaign.")
    @admin_only()
    async def campaign_add_post(self, interaction: discord.Interaction, name: str, url: str) -> None:
        found = await core.add_campaign_post(self.community(interaction), _who(interaction), name, url)
        await _say(interaction, f"The post is in campaign **{found.name}** (x{found.multiplier:f}).")

    @campaign.command(name="end", description="Admins: end a campaign now.")
    @admin_only()
    async def campaign_end(self, interaction: discord.Interaction, name: str) -> None:
        found = await core.end_campaign(self.community(interaction), _who(interaction), name)
        await _say(interaction, f"Campaign **{found.name}** ended.")

    @campaign.command(name="list", description="The campaigns.")
    async def campaign_list(self, interaction: discord.Interaction) -> None:
        found = await core.campaigns(self.community(interaction).store)
        lines = [campaign_line(campaign) for campaign in reversed(found)]
        embed = list_embed("Campaigns", lines, "No campaign yet.")
        await interaction.response.send_message(embed=embed, ephemeral=True)
