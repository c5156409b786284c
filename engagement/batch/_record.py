"""What one batch did: running counts, the outcome it returns, and the fields of `{p}:batch:{id}`."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from typing import Final

from engagement.x.models import XUsage

log = logging.getLogger(__name__)

COMPLETED: Final = "completed"
PARTIAL: Final = "partial"
FAILED: Final = "failed"
SKIPPED: Final = "skipped"

MAX_ERRORS = 50  # errors kept on a batch record; the rest are only counted
MAX_ERROR_CHARS = 300


@dataclass
class BatchTally:
    """Counts a batch accumulates while it runs.

    `engagements_seen` counts distinct engagers X returned per tweet and type, linked or not;
    `likes_untracked` counts tweets with new likes that could not be read (no author token);
    `tweets_resting` the tracked tweets quiet enough to be left unread this batch (`_cadence`);
    `awards_refused_by_rule` the engagements an anti-farming rule made earn nothing (`_farming`), each once.
    """

    tweets_scanned: int = 0
    tweets_resting: int = 0
    engagements_seen: int = 0
    awards: int = 0
    points_awarded: int = 0
    awards_refused_by_rule: int = 0
    likes_untracked: int = 0
    carried_over: int = 0
    errors: list[str] = field(default_factory=list)
    errors_dropped: int = 0

    def error(self, message: str) -> None:
        """Note a problem the batch stepped over (or the one that ended it)."""
        log.warning("batch: %s", message)
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(message[:MAX_ERROR_CHARS])
        else:
            self.errors_dropped += 1

    def errors_json(self) -> str:
        shown = list(self.errors)
        if self.errors_dropped:
            shown.append(f"... and {self.errors_dropped} more")
        return json.dumps(shown)


@dataclass(frozen=True)
class BatchOutcome:
    """What `run_batch` returns: status, the batch id (None when skipped), counts and X usage."""

    status: str
    batch_id: str | None
    tally: BatchTally
    usage: XUsage
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.status != FAILED

    def summary(self) -> str:
        """The one log line per batch."""
        if self.status == SKIPPED:
            return f"batch skipped: {self.reason}"
        t = self.tally
        line = (
            f"batch {self.batch_id} {self.status}: {t.tweets_scanned} tweets scanned ({t.tweets_resting} resting), "
            f"{t.engagements_seen} engagements seen, {t.awards} awards (+{t.points_awarded} points), "
            f"{t.awards_refused_by_rule} refused by anti-farming rules, "
            f"{self.usage.total_requests} X requests (${self.usage.cost_usd:.3f}), "
            f"{t.carried_over} carried over, {t.likes_untracked} with likes untracked, "
            f"{len(t.errors) + t.errors_dropped} errors"
        )
        return f"{line}; {self.reason}" if self.reason else line


def progress_fields(
    tally: BatchTally, usage: XUsage, steps: tuple[int, int], selected: int
) -> dict[str, str | int | float]:
    """What a running batch has done so far, `steps` as (done, of): the live status the web panel polls."""
    return {
        "steps_done": steps[0],
        "steps_total": steps[1],
        "tweets_selected": selected,
        "awards": tally.awards,
        "points_awarded": tally.points_awarded,
        "x_requests": usage.total_requests,
    }


def record_fields(outcome: BatchOutcome, finished_at: float) -> dict[str, str | int | float]:
    """The final fields of `{p}:batch:{id}`."""
    t, usage = outcome.tally, outcome.usage
    fields: dict[str, str | int | float] = {
        "status": outcome.status,
        "finished_at": int(finished_at),
        "tweets_scanned": t.tweets_scanned,
        "tweets_resting": t.tweets_resting,
        "engagements_seen": t.engagements_seen,
        "awards": t.awards,
        "points_awarded": t.points_awarded,
        "awards_refused_by_rule": t.awards_refused_by_rule,
        "x_requests": usage.total_requests,
        "posts_read": usage.posts_read,
        "users_read": usage.users_read,
        "cost_usd": f"{usage.cost_usd:.4f}",
        "errors": t.errors_json(),
        "carried_over": t.carried_over,
        "likes_untracked": t.likes_untracked,
    }
    fields.update({f"x_requests_{endpoint}": count for endpoint, count in sorted(usage.requests.items())})
    if outcome.reason:
        fields["reason"] = outcome.reason[:MAX_ERROR_CHARS]
    return fields
