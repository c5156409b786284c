"""The API's request and answer bodies (pydantic), and the problem answers every operation documents."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from engagement.admin import AuditEntry

PROBLEM_TITLES = (
    (400, "Refused or bad cursor"),
    (401, "Not logged in, or a bad token"),
    (403, "Forbidden (role, community, or a cookie write without X-CSRF-Token)"),
    (409, "Refused"),
    (422, "Invalid request"),
    (429, "Too many requests"),
)
PROBLEMS: dict[int | str, dict[str, object]] = {
    status: {"description": title, "content": {"application/problem+json": {"schema": {"type": "object"}}}}
    for status, title in PROBLEM_TITLES
}
NOT_FOUND: dict[int | str, dict[str, object]] = {
    404: {"description": "Not found", "content": {"application/problem+json": {"schema": {"type": "object"}}}}
}


class Paged(BaseModel):
    """One page of a list: follow `next_cursor` (None on the last page)."""

    page: int
    pages: int
    total: int
    next_cursor: str | None


class Community(BaseModel):
    guild_id: str
    role: str


class Me(BaseModel):
    user_id: str
    communities: list[Community]


class OverviewOut(BaseModel):
    window_hours: int
    tweets_in_window: int
    connected_members: int
    top_member: str | None
    top_points: int | None
    last_batch_id: str | None
    batch_running: bool
    next_batch_at: float | None
    x_requests_24h: int
    x_cost_usd_24h: float


class Standing(BaseModel):
    rank: int
    discord_id: str
    handle: str
    points: int


class LeaderboardOut(BaseModel):
    weekly: bool
    week: str
    page: int
    pages: int
    entries: list[Standing]
    next_cursor: str | None


class TweetOut(BaseModel):
    submission_id: str
    tweet_id: str
    url: str
    author_handle: str
    submitter: str
    category: str
    submitted_at: int
    awards: int
    points: int
    tracking: bool


class TweetsOut(Paged):
    tweets: list[TweetOut]


class EngagerOut(BaseModel):
    discord_id: str
    x_user_id: str
    type: str
    tier: int
    points: int
    batch_id: str
    awarded_at: int
    revoked_at: int = Field(description="When the award was taken back with its tweet; 0 while it stands.")


class TweetDetailsOut(BaseModel):
    tweet: TweetOut
    metrics: dict[str, int] = Field(description="Counters from the last batch that looked the tweet up.")
    engagers: list[EngagerOut]


class DeletedTweetOut(BaseModel):
    """A tweet no longer tracked; with `revoked`, the awards and points taken back."""

    submission_id: str
    tweet_id: str
    revoked: bool
    revoked_awards: int
    revoked_points: int


class Rule(BaseModel):
    tier: int
    type: str
    points: int
    overridden: bool


class RulePoints(BaseModel):
    points: int = Field(description="Whole points from 0 to the rules' maximum (checked as the Rules page does).")


class RuleChange(BaseModel):
    tier: int
    type: str
    old: int
    new: int


class RulesReset(BaseModel):
    removed: int = Field(description="How many changed rules went back to the default.")


class BatchOut(BaseModel):
    """The published part of a batch record (`engagement.admin.BatchRecord`), read from it by attribute."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    status: str
    started_at: int
    finished_at: int
    awards: int
    points_awarded: int
    x_requests: int
    cost_usd: float


class BatchesOut(Paged):
    batches: list[BatchOut]


class BatchRequested(BaseModel):
    detail: str


class MemberOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    discord_id: str
    handle: str = Field(description="The linked X handle ('' when not linked now).")
    tier: int
    points: int
    linked: bool


class MembersOut(Paged):
    members: list[MemberOut]


class TierIn(BaseModel):
    tier: int = Field(description="1, 2 or 3.")


class TierChange(BaseModel):
    discord_id: str
    old: int
    new: int


class AdjustmentIn(BaseModel):
    delta: int = Field(description="Signed points, not 0, within the same bounds as the Members page.")
    reason: str = Field(description="Required: one line, shown in the member's history and the audit log.")


class AdjustmentOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    discord_id: str
    delta: int
    total: int = Field(description="The member's all-time points after it.")
    reason: str


class AuditOut(Paged):
    entries: list[AuditEntry] = Field(description="Newest first: who (a Discord id), what, on what, old and new.")
    actions: list[str] = Field(description="Every action the log holds (the choices of `?action=`).")


class SettingOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    name: str
    value: str
    overridden: bool = Field(description="Set by an admin (else the environment's value).")


class SettingIn(BaseModel):
    value: str


class SettingChange(BaseModel):
    name: str
    old: str = Field(description="The admin value it replaced ('' when the environment's applied).")
    new: str = Field(description="The stored value ('' after a reset: the environment's applies again).")


class PostFiguresOut(BaseModel):
    """One post's figures (`engagement.analytics.PostMeasures`), read from it by attribute."""

    model_config = ConfigDict(from_attributes=True)

    tweet_id: str
    engagements: int
    impressions: int | None = Field(description="None when X gave no impressions for the post.")
    engagement_rate: float = Field(description="Percent; 0 when the impressions are 0 or unknown.")
    rate_known: bool


class CategoryOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    posts: int
    engagements: int
    impressions: int
    average_rate: float


class AnalyticsSummaryOut(BaseModel):
    posts: int
    impressions: int
    engagements: int
    average_rate: float = Field(description="Mean engagement rate (percent) of the posts whose rate is known.")
    best: PostFiguresOut | None
    worst: PostFiguresOut | None
    by_category: dict[str, CategoryOut]


class CommunityTypeOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    type: str = Field(description="conversational, sharing-focused, passive or balanced.")
    shares: dict[str, float] = Field(description="Each engagement type's share of all engagements (0 to 1).")
    counts: dict[str, int]
    engagements: int
    empty: bool = Field(description="No engagement at all in the period (the type then reads balanced).")


class TimeSlotOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    weekday: int = Field(description="0 = Monday.")
    hour: int
    posts: int
    average_rate: float


class BestTimesOut(BaseModel):
    """Times with 2 or more posts in the last 90 days, best average engagement rate first."""

    utc: list[TimeSlotOut]
    local: list[TimeSlotOut] = Field(description="The same in the community's time zone (`zone`).")


class AnalyticsOut(BaseModel):
    days: int
    zone: str = Field(description="The community's time zone (IANA name).")
    summary: AnalyticsSummaryOut
    community_type: CommunityTypeOut
    best_times: BestTimesOut


class ReportWeeksOut(BaseModel):
    weeks: list[str] = Field(description="ISO weeks (2026-W48) with a saved weekly report, newest first.")


class SeasonOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    name: str
    start: float = Field(description="Epoch seconds: its board counts awards paid from here...")
    end: float = Field(description="...to here (exclusive); an early end moves it to the moment it ended.")
    reward_zone: int = Field(description="The top members rewarded at its end.")
    ended: bool = Field(description="Its results are frozen.")


class SeasonIn(BaseModel):
    name: str = Field(description="1 to 40 letters, digits, spaces, '-', '.', \"'\" or '_'; unique.")
    start: str = Field("now", description="`now`, `2026-12-01` or `2026-12-01 18:00` in the community's time zone.")
    end: str = Field(description="A date, or date and time, in the community's time zone; at most 366 days on.")
    reward_zone: int = Field(10, description="The top 1 to 100 members.")


class TeamOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    name: str


class TeamIn(BaseModel):
    name: str = Field(description="1 to 40 letters, digits, spaces, '-', '.', \"'\" or '_'; unique.")


class CampaignOut(BaseModel):
    id: str
    name: str
    start: float
    end: float = Field(description="Epoch seconds; awards paid in [start, end) are multiplied.")
    multiplier: str = Field(description="A decimal such as 1.5.")
    match: str = Field(description="How posts join it: category, hashtag or posts (picked by admins).")
    value: str = Field(description="The category or the hashtag ('' for picked posts).")


class CampaignIn(BaseModel):
    name: str = Field(description="1 to 40 letters, digits, spaces, '-', '.', \"'\" or '_'; unique.")
    start: str = Field("now", description="`now`, `2026-12-01` or `2026-12-01 18:00` in the community's time zone.")
    end: str = Field(description="A date, or date and time, in the community's time zone.")
    multiplier: str | float = Field(description="0.1 to 10 with at most 2 decimals, e.g. 1.5.")
    match: str = Field(description="category, hashtag or posts (picked by admins).")
    value: str = Field("", description="The category, or the hashtag (e.g. launch), for those matches.")


class CampaignBoardOut(BaseModel):
    """One page of a campaign's or season's board (10 a page): follow `next_cursor` (None on the last page)."""

    name: str
    start: float
    end: float
    ended: bool
    page: int
    pages: int
    entries: list[Standing]
    viewer_rank: int | None = Field(description="The caller's rank on this board (None when not on it).")
    viewer_points: int
    next_cursor: str | None


class SeasonBoardOut(CampaignBoardOut):
    reward_zone: int = Field(description="Entries with a rank up to this are in the reward zone.")
