"""Reposts as users or as posts: whichever X bills less for, post by post.

A repost shows both in `retweeted_by` (the reposter's user object, $0.010, free when that user was
already read today) and in a search (the repost post, $0.005, always new). So the list is cheaper
where most reposters' user objects are already paid for today (likes are read first, and reposters
mostly like too): it costs the new reposters plus the entries it pages down to, each at the share
of reposters found lately that were not yet paid for (`BillingBook`). `retweeted_by` has its own
small budget (75 requests per 15 minutes), so it goes to the posts where it saves most; the rest,
and every final read (a search since the newest repost seen reads nothing when nothing is new), go
to the search.
"""

from __future__ import annotations

from collections.abc import Iterator

from engagement.batch._lists import counter, list_read
from engagement.batch._selection import TrackedTweet
from engagement.x import XClient
from engagement.x.models import XUsage

LIST_ENDPOINT = "retweeted_by"
LIST_RESERVE = 5  # requests of the list's budget left for retries and the fallback


def _saving(item: TrackedTweet, billed_share: float) -> float:
    """Dollars saved by reading this post's new reposters as users instead of as repost posts (< 0: none)."""
    assert item.tweet is not None
    read = list_read(item, "retweet", item.tweet)
    new = max(read.new or 0, 0)
    # A first read takes the whole list; a later one the new entries and the markers it stops at.
    users = new + read.markers_to_meet() if read.seen_before else counter(item.tweet, "retweet")
    as_users = users * (1 - billed_share) * XUsage.USER_READ_USD
    return new * XUsage.POST_READ_USD - as_users


def read_as_users(x: XClient, tweets: list[TrackedTweet]) -> Iterator[TrackedTweet]:
    """The posts whose reposts this batch reads through `retweeted_by`, biggest saving first, while its budget lasts."""
    share = x.billing.reposters_billed_share()
    todo = [item for item in tweets if "retweet" in item.pending and item.tweet is not None]
    savings = [(saving, item) for item in todo if (saving := _saving(item, share)) > 0]
    savings.sort(key=lambda pair: -pair[0])
    for _, item in savings:
        remaining = x.rate_limits.remaining(LIST_ENDPOINT)  # None until X has said
        if remaining is not None and remaining <= LIST_RESERVE:
            return
        yield item
