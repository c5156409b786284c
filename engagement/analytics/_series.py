"""How a post's snapshots are kept: one compact entry per batch, thinned as the post ages.

An entry is `bucket|at,likes,reposts,replies,quotes,bookmarks,impressions[,shares]` (impressions `-` when the
platform did not say; shares, Threads' only, when not 0). A new snapshot in the same bucket as the newest kept
one replaces it, so a post keeps at most one snapshot per 5 minutes in its first 24 hours (every batch at the
default 30-60 minute interval), one per hour until it is 7 days old, then one per day: a bounded series however
often batches run.
"""

from __future__ import annotations

from engagement.analytics._records import Counters, Snapshot
from engagement.store import SnapshotWrite
from engagement.threads.models import ThreadsCounters
from engagement.x.models import Tweet, TweetMetrics

FIRST_DAY_STEP, FIRST_WEEK_STEP, LATER_STEP = 300, 3_600, 86_400
HOUR = 3_600.0
PUBLISHED_AT = "published_at"  # on the submission: when the post was published (from X), epoch seconds


def bucket(at: float, published_at: float) -> str:
    """The thinning bucket of a snapshot taken at `at` of a post published at `published_at`."""
    age = at - published_at
    if age < 24 * HOUR:
        return f"m{int(at // FIRST_DAY_STEP)}"
    if age < 7 * 24 * HOUR:
        return f"h{int(at // FIRST_WEEK_STEP)}"
    return f"d{int(at // LATER_STEP)}"


def encode(at: float, counters: Counters, published_at: float) -> tuple[str, str]:
    """(bucket, stored entry) of one snapshot."""
    where = bucket(at, published_at)
    impressions = "-" if counters.impressions is None else str(counters.impressions)
    numbers = (counters.likes, counters.reposts, counters.replies, counters.quotes, counters.bookmarks)
    shares = f",{counters.shares}" if counters.shares else ""
    return where, f"{where}|{int(at)}," + ",".join(map(str, numbers)) + f",{impressions}{shares}"


def decode(entry: str, published_at: float) -> Snapshot | None:
    """A stored entry back as a Snapshot; None for an entry that is not one (edited by hand, say)."""
    _, _, fields = entry.partition("|")
    parts = fields.split(",")
    shares = parts.pop() if len(parts) == 8 else "0"
    if len(parts) != 7 or not all(part.isdigit() for part in (*parts[:6], shares)):
        return None
    if not (parts[6] == "-" or parts[6].isdigit()):
        return None
    at, likes, reposts, replies, quotes, bookmarks = map(int, parts[:6])
    impressions = None if parts[6] == "-" else int(parts[6])
    counters = Counters(likes, reposts, replies, quotes, bookmarks, impressions, int(shares))
    return Snapshot(at=float(at), hours=round(max(0.0, at - published_at) / HOUR, 4), counters=counters)


def tweet_counters(metrics: TweetMetrics) -> Counters:
    return Counters(
        likes=metrics.like_count,
        reposts=metrics.repost_count,
        replies=metrics.reply_count,
        quotes=metrics.quote_count,
        bookmarks=metrics.bookmark_count,
        impressions=metrics.impression_count,
    )


def threads_counters(counters: ThreadsCounters) -> Counters:
    """A Threads post's insights: views are its impressions (None when Threads left them out)."""
    views = None if "views" in counters.missing else counters.views
    return Counters(counters.likes, counters.reposts, counters.replies, counters.quotes, 0, views, counters.shares)


def snapshot_write(submission_id: str, tweet: Tweet, at: float) -> SnapshotWrite:
    """The snapshot a batch's lookup of `tweet` adds to its post's series."""
    return counters_write(submission_id, tweet_counters(tweet.metrics), tweet.created_at.timestamp(), at)


def counters_write(submission_id: str, counters: Counters, published_at: float, at: float) -> SnapshotWrite:
    """The snapshot of a post's counters read at `at` (any platform's)."""
    where, entry = encode(at, counters, round(published_at, 3))
    return SnapshotWrite(submission_id, round(published_at, 3), where, entry)
