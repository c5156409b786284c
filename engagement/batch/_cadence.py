"""How often a tracked post's counters are read: every batch while it is young or moving, less once it is quiet.

Engagement on a post decays with its age, and a lookup of a quiet post almost always finds nothing
new. A post is due when it was never read, when work on it was carried over, when it was not yet read
this UTC day (X bills a post once a day however often it is read, so the first batch of the day
reads all), when its window is about to end (the final read: nothing is left unread when it
leaves), or when the time since its last
read reaches its allowed gap: half the time it has been quiet (since its counters last moved, or
since it was posted), at most BATCH_MAX_READ_GAP_MINUTES. So an engagement waits at most that long
plus one batch interval longer than it would with a read every batch; 0 reads every post every batch.
A post that is not due is left as it is: no request, no write, no carry-over.
"""

from __future__ import annotations

from dataclasses import dataclass

from engagement.batch._final_pass import FinalPass
from engagement.batch._selection import TrackedTweet

READ_AT = "read_at"  # when the post's counters were last read
MOVED_AT = "moved_at"  # when they last moved (or a new reply showed in its thread)
GONE_AT = "gone_at"  # when X said the post is deleted or private (`/why` says so)
QUIET_SHARE = 0.5
DAY_SECONDS = 86_400  # the allowed gap between reads, as a share of the time the post has been quiet


@dataclass(frozen=True)
class Cadence:
    max_gap_seconds: float  # BATCH_MAX_READ_GAP_MINUTES
    final_pass: FinalPass

    def gap(self, item: TrackedTweet, now: float) -> float:
        """How long this post may go unread now."""
        moved = item.moment(MOVED_AT) or item.submission.submitted_at
        return min(self.max_gap_seconds, max(0.0, now - moved) * QUIET_SHARE)

    def due(self, item: TrackedTweet, now: float, carried: bool) -> bool:
        read = item.moment(READ_AT)
        if carried or read is None or self.final_pass.in_final_lead(item, now):
            return True
        if read < now - now % DAY_SECONDS:  # not yet read this UTC day: X bills its first read today anyway
            return True
        return now - read >= self.gap(item, now)
