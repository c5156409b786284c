"""Plain typed records the core passes around; Redis hashes map to these field for field."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class VerifiedBy(StrEnum):
    BIO = "bio"
    TWEET = "tweet"
    OAUTH = "oauth"


@dataclass(frozen=True)
class Connection:
    """A member's record: `{p}:connection:{discordId}`. Disconnected members keep tier and points."""

    discord_id: str
    x_user_id: str | None
    handle: str | None
    tier: int
    points: int
    connected_at: str | None
    verified_by: str | None
    counts: dict[str, int] = field(default_factory=dict)
    threads_user_id: str | None = None
    threads_username: str | None = None

    @property
    def connected(self) -> bool:
        """Linked to an X account (a Threads account is `threads_username`)."""
        return self.x_user_id is not None


@dataclass(frozen=True)
class SubmissionDraft:
    """A checked submission about to be stored."""

    tweet_id: str
    url: str
    author_x_id: str
    author_handle: str
    submitter_discord_id: str
    category: str
    # `engagement.platforms`: on Threads `tweet_id` holds the post's ref and `author_x_id` the author's Threads id
    platform: str = field(default="x", kw_only=True)
    shortcode: str = field(default="", kw_only=True)  # a Threads post's, from its link (`/why` finds it by that)


@dataclass(frozen=True)
class Submission(SubmissionDraft):
    """A tracked post: `{p}:tweet:{submissionId}`."""

    id: str
    submitted_at: int


@dataclass(frozen=True)
class Award:
    """One engagement to be paid: who engaged (member and X account), on which tweet, how."""

    tweet_id: str
    x_user_id: str
    discord_id: str
    type: str
    points: int
    tier: int
    batch_id: str
    past_x_ids: tuple[str, ...] = ()  # the member's earlier X accounts, as read with the tier
    season_id: str = ""  # the open season, if any (the store counts the award in it only inside its dates)
    campaign_ids: tuple[str, ...] = ()  # the running campaigns the post is in (their boards get the points)
    multiplier: str = ""  # the campaigns' combined multiplier already in `points`, for the log ("1.5")


@dataclass(frozen=True)
class AwardLog:
    """One paid award or manual adjustment: `{p}:log:{logId}`."""

    id: str
    discord_id: str
    tweet_id: str
    type: str
    points: int
    tier: int
    batch_id: str
    awarded_at: int
    reason: str = ""
    revoked_at: int = 0  # when an admin took the award back with its tweet (0: it stands)
    multiplier: str = ""  # the campaigns' multiplier in `points` ("" for none)
    campaigns: str = ""  # the ids of the campaigns it counted for, comma-separated
    season: str = ""  # the season it counted for
    team: str = ""  # the team it counted for in that season


@dataclass(frozen=True)
class LeaderboardEntry:
    rank: int
    discord_id: str
    points: int
