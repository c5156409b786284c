"""Scan state written back to the submissions: gathered per item, sent in pipelines of many submissions.

One script call per submission keeps each write all-or-nothing and checked; sending them a chunk at a
time instead of one round trip each is what keeps a batch of tens of thousands of posts quick. A
write not yet flushed when the process dies is simply redone by the next batch (awards are guarded).
"""

from __future__ import annotations

from engagement.batch._final_pass import FinalPass
from engagement.batch._record import BatchTally
from engagement.batch._selection import TrackedTweet
from engagement.store import SnapshotWrite, Store

Fields = dict[str, str | int | float]
FLUSH_EVERY = 100  # submissions per pipeline


class ScanWrites:
    """The pending scan-state writes of one batch, and the bookkeeping of finished work."""

    def __init__(self, store: Store, tally: BatchTally, final_pass: FinalPass | None) -> None:
        self.store = store
        self.tally = tally
        self.final_pass = final_pass
        self._pending: dict[str, Fields] = {}
        self._snapshots: list[SnapshotWrite] = []

    async def save(self, item: TrackedTweet, fields: Fields) -> None:
        """Queue `fields` for the item's submission hash (merged with what is queued already)."""
        if fields:
            self._pending.setdefault(item.submission.id, {}).update(fields)
            if len(self._pending) >= FLUSH_EVERY:
                await self.flush()

    async def snapshot(self, write: SnapshotWrite) -> None:
        """Queue a post's counters for its analytics series (sent with the next flush)."""
        self._snapshots.append(write)
        if len(self._snapshots) >= FLUSH_EVERY:
            await self.flush()

    async def finish(self, item: TrackedTweet, kind: str, counter: int, extra: Fields | None = None) -> None:
        """Remember the counter this work was done against, then drop it from the pending work."""
        fields: Fields = {f"seen_{kind}": counter, **(extra or {})}
        if self.final_pass is not None:
            fields.update(self.final_pass.finished(item, kind, self.store.now()))
        await self.save(item, fields)
        item.done(kind)

    async def flush(self) -> None:
        """Write what is queued; a submission damaged meanwhile is recorded and left alone."""
        snapshots, self._snapshots = self._snapshots, []
        for submission_id, error in (await self.store.append_snapshots(snapshots)).items():
            self.tally.error(f"submission {submission_id}: {error.problem}; its snapshot was not saved")
        if not self._pending:
            return
        pending, self._pending = self._pending, {}
        damaged = await self.store.update_submissions_fields(pending)
        for submission_id, error in damaged.items():
            self.tally.error(f"submission {submission_id}: {error.problem}; its scan state was not saved")
