"""One tracked tweet for admins: its submission, last counters, and every award it paid (who, how, when)."""

from __future__ import annotations

from dataclasses import dataclass

from engagement.admin._tweets import last_metrics, tweet_ref
from engagement.errors import Refused
from engagement.keys import split_award_log_id
from engagement.models import AwardLog, Submission
from engagement.store import Store


@dataclass(frozen=True)
class Engager:
    """One award on the tweet: the member, the X account they engaged from, and the award."""

    x_user_id: str
    award: AwardLog

    @property
    def revoked(self) -> bool:
        return bool(self.award.revoked_at)


@dataclass(frozen=True)
class TweetDetails:
    submission: Submission
    metrics: dict[str, int]
    """Counters from the last batch that looked the tweet up; empty before the first one."""
    tracking: bool
    engagers: list[Engager]
    """Newest award first."""

    @property
    def points(self) -> int:
        return sum(engager.award.points for engager in self.engagers if not engager.revoked)


async def tweet_details(store: Store, ref: object) -> TweetDetails:
    """The submitted tweet behind a link or id, with its awards; refused when nobody submitted it."""
    tweet_id = tweet_ref(ref)
    submission = await store.submission_for_tweet(tweet_id)
    if submission is None:
        raise Refused(f"No submitted tweet has the id {tweet_id}.")
    logs = await store.logs_by_id(await store.tweet_log_ids(tweet_id), skip_damaged=True)
    engagers = [Engager((split_award_log_id(log.id) or ("", "", ""))[1], log) for log in logs]
    engagers.sort(key=lambda engager: engager.award.awarded_at, reverse=True)
    raw = (await store.submission_hashes([submission.id]))[0]
    tracked = await store.in_scan_window([submission.id]) | set(await store.carry_over())
    return TweetDetails(submission, last_metrics(raw), submission.id in tracked, engagers)
