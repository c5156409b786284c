"""Hand-built posts for the analytics tests: counters at chosen moments, nothing else."""

from __future__ import annotations

from datetime import UTC, datetime

from engagement.analytics import Counters, PostRecord, Snapshot, encode
from engagement.store import SnapshotWrite, Store, SubmissionDraft

HOUR = 3600.0
_serial = iter(range(1_000, 1_000_000))


def at(text: str) -> float:
    """Epoch seconds of a UTC time written `2026-11-24 15:00`."""
    return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=UTC).timestamp()


def post(
    published: float | str,
    *,
    likes: int = 0,
    reposts: int = 0,
    replies: int = 0,
    quotes: int = 0,
    impressions: int | None = None,
    category: str = "general",
    submitter: str = "100",
    followers: int | None = None,
    hours: float = 6.0,
) -> PostRecord:
    """A post published at `published` whose one snapshot, `hours` later, holds the given counters."""
    start = at(published) if isinstance(published, str) else published
    tweet_id = str(1_870_000_000_000_000_000 + next(_serial))
    counters = Counters(likes, reposts, replies, quotes, 0, impressions)
    return PostRecord(
        tweet_id=tweet_id,
        url=f"https://x.com/a/status/{tweet_id}",
        author_x_id="42",
        author_handle="alice",
        submitter_id=submitter,
        category=category,
        published_at=start,
        submitted_at=start + 60,
        author_followers=followers,
        snapshots=(Snapshot(start + hours * HOUR, hours, counters),),
    )


def rated(published: float | str, rate_percent: float, **fields: object) -> PostRecord:
    """A post with 1,000 impressions and likes making `rate_percent` (10 likes = 1 %)."""
    return post(published, likes=int(rate_percent * 10), impressions=1000, **fields)  # type: ignore[arg-type]


async def tracked_post(
    store: Store,
    published: str | float,
    likes: int,
    submitter: str = "111111111111111111",
    replies: int = 0,
    *,
    threads: bool = False,
) -> str:
    """A submission published at `published` with one snapshot an hour later (`likes` likes, 1,000 impressions,
    views on Threads when `threads`)."""
    start = at(published) if isinstance(published, str) else published
    tweet_id = str(1_870_000_000_000_000_000 + next(_serial))
    draft = SubmissionDraft(tweet_id, f"https://x.com/a/status/{tweet_id}", "42", "a", submitter, "art")
    if threads:
        code = f"C{tweet_id[-9:]}"
        url = f"https://www.threads.net/@a.t/post/{code}"
        draft = SubmissionDraft(
            f"threads:{tweet_id}", url, "7001", "a.t", submitter, "art", platform="threads", shortcode=code
        )
        tweet_id = draft.tweet_id
    submission, _ = await store.create_submission(draft, daily_limit=50, details={"published_at": start})
    counters = Counters(likes=likes, replies=replies, impressions=1000)
    where, entry = encode(start + HOUR, counters, start)
    await store.append_snapshots([SnapshotWrite(submission.id, start, where, entry)])
    return tweet_id
