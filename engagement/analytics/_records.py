"""What analytics reads: a tracked post with its counters over time, loaded from the store by `loading`."""

from __future__ import annotations

from dataclasses import dataclass

ENGAGEMENT_TYPES = ("likes", "reposts", "replies", "quotes")


@dataclass(frozen=True, slots=True)
class Counters:
    """A post's public counters at one moment; `impressions` is None when the platform did not say."""

    likes: int = 0
    reposts: int = 0
    replies: int = 0
    quotes: int = 0
    bookmarks: int = 0
    impressions: int | None = None
    shares: int = 0  # Threads' (X has no such counter): an engagement there

    @property
    def engagements(self) -> int:
        return self.likes + self.reposts + self.replies + self.quotes + self.shares


@dataclass(frozen=True, slots=True)
class Snapshot:
    at: float
    """Unix seconds when the batch read the counters."""
    hours: float
    """Hours since the post was published."""
    counters: Counters


@dataclass(frozen=True, slots=True)
class PostRecord:
    """One submitted post: who, what, when, and its snapshots, oldest first."""

    tweet_id: str
    url: str
    author_x_id: str
    author_handle: str
    submitter_id: str
    """The submitting member's Discord id."""
    category: str
    published_at: float
    submitted_at: float
    author_followers: int | None = None
    snapshots: tuple[Snapshot, ...] = ()
    platform: str = "x"
    submission_id: str = ""

    @property
    def latest(self) -> Counters:
        """The newest counters (all zero before the first snapshot)."""
        return self.snapshots[-1].counters if self.snapshots else Counters()
