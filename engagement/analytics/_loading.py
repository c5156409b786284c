"""Read a community's posts with their snapshots out of the store, as `PostRecord`s."""

from __future__ import annotations

from engagement.analytics._records import PostRecord
from engagement.analytics._series import decode
from engagement.store import Store, StoredPost

# Every measure of a period reads a post's newest snapshot, velocity's trend the three newest: a report over
# thousands of posts reads those, not whole series (a post's own curve reads all of it: `load_post`).
MEASURED = 3


def _number(raw: dict[str, str], name: str) -> float | None:
    try:
        return float(raw[name])
    except (KeyError, ValueError):
        return None


def post_record(stored: StoredPost) -> PostRecord | None:
    """A post as analytics reads it; None for a submission hash that is gone or damaged."""
    raw = stored.submission
    submitted_at = _number(raw, "submitted_at")
    if "tweet_id" not in raw or submitted_at is None:
        return None
    published_at = _number(raw, "published_at") or submitted_at
    snapshots = (decode(entry, published_at) for entry in stored.snapshots)
    followers = _number(raw, "author_followers")
    return PostRecord(
        tweet_id=raw["tweet_id"],
        url=raw.get("url", ""),
        author_x_id=raw.get("author_x_id", ""),
        author_handle=raw.get("author_handle", ""),
        submitter_id=raw.get("submitter_discord_id", ""),
        category=raw.get("category", ""),
        published_at=published_at,
        submitted_at=submitted_at,
        author_followers=int(followers) if followers is not None else None,
        snapshots=tuple(sorted((s for s in snapshots if s is not None), key=lambda s: s.at)),
        platform=raw.get("platform", "x"),
        submission_id=raw.get("id", ""),
    )


async def load_posts(store: Store, since: float, until: float, snapshots: int | None = MEASURED) -> list[PostRecord]:
    """The posts published in [since, until) that the worker has read at least once, oldest first, each with its
    newest `snapshots` snapshots (None: all of them)."""
    ids = await store.analytics_post_ids(since, until)
    records = (post_record(stored) for stored in await store.stored_posts(ids, snapshots))
    return [record for record in records if record is not None]


async def load_post(store: Store, tweet_id: str) -> PostRecord | None:
    """One submitted post by its tweet id (with no snapshots yet if the worker has not read it)."""
    submission = await store.submission_for_tweet(tweet_id)
    if submission is None:
        return None
    return post_record((await store.stored_posts([submission.id]))[0])
