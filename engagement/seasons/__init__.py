"""Seasons (sprints with their own board and reward zone), teams, and campaigns (posts with a points multiplier)."""

from engagement.seasons._boards import (
    PAGE_SIZE,
    ProgramBoard,
    campaign_board,
    season_board,
    season_payouts_csv,
    season_results,
)
from engagement.seasons._campaigns import add_campaign_post, campaigns, create_campaign, end_campaign, find_campaign
from engagement.seasons._programs import NO_PROGRAMS, Programs, campaign_from, load_programs, running_campaigns
from engagement.seasons._seasons import (
    Season,
    end_due_season,
    end_season,
    find_season,
    open_season,
    seasons,
    unannounced,
)
from engagement.seasons._teams import Team, create_team, find_team, join_team, leave_team, teams

__all__ = [
    "NO_PROGRAMS",
    "PAGE_SIZE",
    "ProgramBoard",
    "Programs",
    "Season",
    "Team",
    "add_campaign_post",
    "campaign_board",
    "campaign_from",
    "campaigns",
    "create_campaign",
    "create_team",
    "end_campaign",
    "end_due_season",
    "end_season",
    "find_campaign",
    "find_season",
    "find_team",
    "join_team",
    "leave_team",
    "load_programs",
    "open_season",
    "running_campaigns",
    "season_board",
    "season_payouts_csv",
    "season_results",
    "seasons",
    "teams",
    "unannounced",
]
