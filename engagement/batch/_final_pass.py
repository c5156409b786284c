"""Net-zero churn: one engagement undone and another made between two batches leaves the counter as it
was, so no request would be made and the new engager never paid. Once per kind, near the end of a
post's window, its lists and its repost search are read whatever the counters say.

Lists are read newest first down to the entries read last time, so that check costs one short page;
a search (reposts, quotes) starts after the newest post it saw, so it reads only what is new.
Replies need none: a post with any reply is searched whenever it is read (and it is read in its
final lead, `_cadence`).
"""

from __future__ import annotations

from dataclasses import dataclass

from engagement.batch._selection import TrackedTweet
from engagement.settings import Settings

FINAL_KINDS = ("retweet", "quote", "like")
DONE_FIELD = "final_pass"  # on the submission hash: the kinds whose final pass is done, comma-separated


def _done(item: TrackedTweet) -> set[str]:
    return set(filter(None, item.state.get(DONE_FIELD, "").split(",")))


@dataclass(frozen=True)
class FinalPass:
    """When the final pass of a post is due: within `lead_seconds` of the end of its window."""

    window_seconds: float
    lead_seconds: float

    @classmethod
    def from_settings(cls, settings: Settings) -> FinalPass:
        # Twice the longest gap between batches: the next batch starts that long after this one *ends*.
        return cls(settings.batch_window_hours * 3600, 2 * settings.batch_interval_max * 60)

    def in_final_lead(self, item: TrackedTweet, now: float) -> bool:
        """Whether the post's window ends within the lead: its last batches are running."""
        return item.submission.submitted_at + self.window_seconds - now <= self.lead_seconds

    def due(self, item: TrackedTweet, kind: str, now: float) -> bool:
        """Whether `kind` must be read now although its counter did not move."""
        if kind not in FINAL_KINDS or kind in _done(item):
            return False
        return self.in_final_lead(item, now)

    def finished(self, item: TrackedTweet, kind: str, now: float) -> dict[str, str | int | float]:
        """The field that records `kind`'s final pass as done, if this read was (or counts as) it."""
        if not self.due(item, kind, now):
            return {}
        item.state[DONE_FIELD] = ",".join(sorted(_done(item) | {kind}))
        return {DONE_FIELD: item.state[DONE_FIELD]}
