"""Every Redis key name, built from KEY_PREFIX. Nothing else formats a key.

Ids are validated before they become part of a key, so no key ever holds
unvalidated member text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from engagement import validation

_LOG_ID = re.compile(r"[0-9]{1,20}-[0-9]{1,20}-(like|retweet|reply|quote)|adj-[0-9]{1,20}")


def award_log_id(tweet_id: str, x_user_id: str, engagement_type: str) -> str:
    """The one log id an award for (tweet, X user, type) can ever have: the exactly-once guard."""
    return "-".join(
        (
            validation.tweet_id(tweet_id),
            validation.x_user_id(x_user_id),
            validation.engagement_type(engagement_type),
        )
    )


def iso_week(moment: datetime) -> str:
    """`YYYY-Www` of an aware datetime, the weekly leaderboard's suffix."""
    year, week, _ = moment.isocalendar()
    return f"{year}-W{week:02d}"


@dataclass(frozen=True)
class Keys:
    prefix: str = "engagement"

    def __post_init__(self) -> None:
        validation.key_prefix(self.prefix)

    def _k(self, *parts: str) -> str:
        return ":".join((self.prefix, *parts))

    # Members
    def connection(self, discord_id: str) -> str:
        return self._k("connection", validation.discord_id(discord_id))

    def twitter_handle(self, handle: str) -> str:
        return self._k("twitter", validation.handle(handle))

    def x_user(self, x_user_id: str) -> str:
        return self._k("xuser", validation.x_user_id(x_user_id))

    def verification(self, discord_id: str) -> str:
        """Pending /connect code, with a TTL."""
        return self._k("verify", validation.discord_id(discord_id))

    def oauth_token(self, x_user_id: str) -> str:
        """An author's OAuth user token (for liking_users)."""
        return self._k("oauth", validation.x_user_id(x_user_id))

    # Submissions
    def tweet(self, submission_id: str) -> str:
        return self._k("tweet", validation.numeric_id(submission_id, "submission id"))

    def tweet_id(self, tweet_id: str) -> str:
        return self._k("tweetid", validation.tweet_id(tweet_id))

    def tweets_recent(self) -> str:
        return self._k("tweets", "recent")

    def daily_submissions(self, discord_id: str, day: str) -> str:
        """Count of a member's submissions on one UTC day (`YYYY-MM-DD`)."""
        return self._k("submissions", validation.discord_id(discord_id), day)

    def submission_sequence(self) -> str:
        return self._k("seq", "tweet")

    # Awards
    def log(self, log_id: str) -> str:
        if not _LOG_ID.fullmatch(log_id):
            raise validation.InvalidInput(f"not an award log id: {log_id[:40]!r}")
        return self._k("log", log_id)

    def user_logs(self, discord_id: str) -> str:
        return self._k("user", validation.discord_id(discord_id), "logs")

    def tweet_logs(self, tweet_id: str) -> str:
        return self._k("tweet", validation.tweet_id(tweet_id), "logs")

    def adjustment_sequence(self) -> str:
        return self._k("seq", "adjust")

    def leaderboard_alltime(self) -> str:
        return self._k("leaderboard", "alltime")

    def leaderboard_weekly(self, week: str) -> str:
        return self._k("leaderboard", "weekly", week)

    # Rules
    def rule(self, tier: int, engagement_type: str) -> str:
        tier = validation.tier(tier)
        return self._k("rules", f"{tier}-{validation.engagement_type(engagement_type)}")

    def rules_pattern(self) -> str:
        return self._k("rules", "*")

    # Batches
    def batch(self, batch_id: str) -> str:
        return self._k("batch", validation.numeric_id(batch_id, "batch id"))

    def batches(self) -> str:
        return self._k("batches")

    def batch_sequence(self) -> str:
        return self._k("seq", "batch")

    def batch_lock(self) -> str:
        return self._k("batch", "lock")

    def batch_carryover(self) -> str:
        """Hash: work an earlier batch could not finish, by kind."""
        return self._k("batch", "carryover")

    def batch_requests(self) -> str:
        """List: manual batch triggers waiting for the worker."""
        return self._k("batch", "requests")

    # Admin
    def audit(self) -> str:
        return self._k("audit")

    def config(self) -> str:
        """Hash: run-time configuration set by admins."""
        return self._k("config")

    def alert_sent(self, alert_type: str) -> str:
        return self._k("alert", alert_type)

    def alerts(self) -> str:
        """List: alerts the worker queued for the bot to post to ALERT_CHANNEL."""
        return self._k("alerts")

    def batch_next(self) -> str:
        """String: when the worker plans its next scheduled batch (epoch seconds)."""
        return self._k("batch", "next")

    def x_rate_limits(self) -> str:
        """String: JSON of the worker's last view of each X endpoint's rate limit."""
        return self._k("x", "ratelimits")

    # Patterns for SCAN (admin overview and metrics)
    def connections_pattern(self) -> str:
        return self._k("connection", "*")

    def x_users_pattern(self) -> str:
        return self._k("xuser", "*")

    def daily_submissions_pattern(self, day: str) -> str:
        return self._k("submissions", "*", day)
