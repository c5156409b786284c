"""Which submissions a batch works on: the window, plus work carried over from earlier batches.

Each tracked tweet keeps `pending`: the kinds of work still to do on it, each
with the number of earlier batches in which that work failed on this item.
Whatever is still pending when the batch ends is carried over.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from engagement.batch._record import BatchTally
from engagement.errors import DamagedData, InvalidInput
from engagement.models import Submission
from engagement.platforms import platform_of
from engagement.store import Store
from engagement.store._submissions import submission_from_hash
from engagement.validation import post_ref
from engagement.x.models import Tweet

LOOKUP = "lookup"
LIST_KINDS = ("retweet", "quote", "like")
WORK_KINDS = (LOOKUP, *LIST_KINDS, "reply")
# What can be read of a post on each platform: Threads names only who replied (likes and reposts are counts).
PLATFORM_WORK = {"x": WORK_KINDS, "threads": (LOOKUP, "reply")}
MAX_ITEM_FAILURES = 3  # batches in a row one item may fail before the worker gives up on it


@dataclass
class TrackedTweet:
    submission: Submission
    state: dict[str, str]
    pending: dict[str, int]
    tweet: Tweet | None = None
    failed_now: set[str] = field(default_factory=set)

    @property
    def tweet_id(self) -> str:
        return self.submission.tweet_id

    def seen(self, kind: str) -> int:
        """The counter for `kind` as of the last batch that finished that work."""
        value = self.state.get(f"seen_{kind}", "")
        return int(value) if value.isdigit() else 0

    def moment(self, field: str) -> float | None:
        """An epoch-seconds field of the scan state (`read_at`, `<kind>_searched_at`); None when unset or unreadable."""
        value = self.state.get(field, "")
        return float(value) if value.replace(".", "", 1).isdigit() else None

    def done(self, kind: str) -> None:
        self.pending.pop(kind, None)

    def failed_all(self) -> None:
        """Every request still pending for this item failed (each retried next batch, up to its limit)."""
        for kind in list(self.pending):
            self.failed(kind)

    def failed(self, kind: str) -> None:
        """This item's own request for `kind` failed: retry it next batch, up to a limit."""
        if kind not in self.failed_now:
            self.failed_now.add(kind)
            self.pending[kind] = self.pending.get(kind, 0) + 1


def _parse(raw: dict[str, str]) -> Submission:
    submission = submission_from_hash(raw)
    if submission.platform not in PLATFORM_WORK:
        raise InvalidInput(f"unknown platform {submission.platform[:20]!r}")
    if platform_of(post_ref(submission.tweet_id)) != submission.platform:
        raise InvalidInput(f"post {submission.tweet_id[:40]!r} is not on {submission.platform}")
    return submission


async def select_tweets(
    store: Store, window_start: float, carried: dict[str, dict[str, int]], tally: BatchTally
) -> list[TrackedTweet]:
    """Submissions in the window and carried-over ones, oldest first; damaged ones are recorded and skipped."""
    ids = list(dict.fromkeys([*carried, *await store.recent_submission_ids(window_start)]))
    for bad in [submission_id for submission_id in ids if not submission_id.isdigit()]:
        tally.error(f"carry-over entry {bad[:30]!r} is not a submission id; dropped")
        ids.remove(bad)
    tracked = []
    for submission_id, raw in zip(ids, await store.submission_hashes_or_damage(ids), strict=True):
        try:
            if isinstance(raw, DamagedData):
                raise raw
            submission = _parse(raw)
        except (KeyError, ValueError, InvalidInput, DamagedData) as error:
            tally.error(f"submission {submission_id} is damaged and was skipped ({type(error).__name__}: {error})")
            continue
        in_window = submission.submitted_at >= window_start
        # A tweet that left the window keeps only the work an earlier batch could not finish.
        pending = dict.fromkeys(PLATFORM_WORK[submission.platform], 0) if in_window else {}
        pending.update(carried.get(submission_id, {}))
        if pending:
            pending.setdefault(LOOKUP, 0)  # every kind of work starts from fresh counters
            tracked.append(TrackedTweet(submission, raw, pending))
    tracked.sort(key=lambda item: (item.submission.submitted_at, int(item.submission.id)))
    return tracked


def carry_over_work(tweets: list[TrackedTweet], tally: BatchTally) -> dict[str, dict[str, int]]:
    """Work left for the next batch; an item that failed MAX_ITEM_FAILURES batches in a row is given up."""
    work: dict[str, dict[str, int]] = {}
    for item in tweets:
        for kind, failures in list(item.pending.items()):
            if failures >= MAX_ITEM_FAILURES:
                tally.error(f"gave up on {kind} of tweet {item.tweet_id} after {failures} failed batches")
                item.done(kind)
        if item.pending:
            work[item.submission.id] = dict(item.pending)
    return work
