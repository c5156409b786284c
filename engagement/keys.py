"""Every Redis key name, built from KEY_PREFIX. Nothing else formats a key.

Ids are validated before they become part of a key, so no key ever holds
unvalidated member text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from engagement import validation

_LOG_ID = re.compile(
    r"[0-9]{1,20}-[0-9]{1,20}-(like|retweet|reply|quote)|threads:[0-9]{1,20}-threads:[a-z0-9._]{1,30}-reply"
    r"|adj-[0-9]{1,20}"
)
# A prefix carrying a Redis Cluster hash tag: `{engagement}`, or text around one tag (`eng:{guild1}`).
_API_PART = {
    "token": re.compile(r"[0-9a-f]{64}"),
    "tokens": re.compile(r"[0-9]{1,20}"),
    "rate": re.compile(r"[0-9a-f]{64}:[0-9]{1,20}"),
    "form": re.compile(r"[0-9a-f]{64}"),
}
_TAGGED = re.compile(r"[A-Za-z0-9_.:-]{0,32}\{[A-Za-z0-9_.:-]{1,64}\}[A-Za-z0-9_.:-]{0,32}")


def hash_tagged(prefix: str) -> str:
    """`prefix` as a cluster hash tag (`{engagement}`), so all keys under it share one slot; a tagged one is kept.

    On a cluster every key of a script must be in one slot; Redis hashes only the text inside
    the first `{...}` of a key, so one tag per prefix puts all of a community's keys together.
    """
    return prefix if _TAGGED.fullmatch(prefix) else "{" + validation.key_prefix(prefix) + "}"


SHARED = "shared"


def beside(prefix: str, name: str) -> str:
    """The sibling prefix `<prefix>-<name>`: never under `prefix` (the separator ends a prefix), and on a
    cluster its own hash tag (`{engagement}` -> `{engagement-<name>}`)."""
    if prefix.startswith("{") and prefix.endswith("}"):
        return "{" + prefix[1:-1] + f"-{name}" + "}"
    return f"{prefix}-{name}"


def award_log_id(tweet_id: str, x_user_id: str, engagement_type: str) -> str:
    """The one log id an award for (tweet, X user, type) can ever have: the exactly-once guard."""
    return "-".join(
        (
            validation.post_ref(tweet_id),
            validation.account_ref(x_user_id),
            validation.engagement_type(engagement_type),
        )
    )


def split_award_log_id(log_id: str) -> tuple[str, str, str] | None:
    """(tweet, X user, type) of an award log id built by `award_log_id`; None for any other id (`adj-n`)."""
    parts = log_id.split("-")
    return (parts[0], parts[1], parts[2]) if len(parts) == 3 else None


def iso_week(moment: datetime) -> str:
    """`YYYY-Www` of an aware datetime, the weekly leaderboard's suffix."""
    year, week, _ = moment.isocalendar()
    return f"{year}-W{week:02d}"


def _token_owner(owner: str) -> tuple[str, str]:
    """(key kind, user id) of a token owner: an X user id, or `threads:<Threads user id>`."""
    if owner.startswith("threads:"):
        return "threadstoken", validation.numeric_id(owner[8:], "Threads user id")
    return "xtoken", validation.x_user_id(owner)


def _fixed(*parts: str) -> Callable[[Keys], str]:
    """A key with no variable part, e.g. `{p}:tweets:recent`; called like the other key methods."""

    def build(self: Keys) -> str:
        return self._k(*parts)

    return build


@dataclass(frozen=True)
class Keys:
    prefix: str = "engagement"

    def __post_init__(self) -> None:
        if not _TAGGED.fullmatch(self.prefix):
            validation.key_prefix(self.prefix)

    def _k(self, *parts: str) -> str:
        return ":".join((self.prefix, *parts))

    # Members
    def connection(self, discord_id: str) -> str:
        return self._k("connection", validation.discord_id(discord_id))

    def display_names(self) -> str:
        """Hash: discordId -> the name the member last connected or submitted with (for the CSV export)."""
        return self._k("display_names")

    def twitter_handle(self, handle: str) -> str:
        return self._k("twitter", validation.handle(handle))

    def x_user(self, x_user_id: str) -> str:
        return self._k("xuser", validation.x_user_id(x_user_id))

    def threads_user(self, username: str) -> str:
        """String: a linked Threads username (lower case) -> discordId."""
        return self._k("threadsuser", validation.account_ref(f"threads:{username.lower()}")[8:])

    def account(self, ref: str) -> str:
        """The link key of an engaging account's ref (`engagement.platforms`): X user or Threads username."""
        checked = validation.account_ref(ref)
        return self.threads_user(checked[8:]) if checked.startswith("threads:") else self.x_user(checked)

    def verification(self, discord_id: str) -> str:
        """Pending /connect code, with a TTL."""
        return self._k("verify", validation.discord_id(discord_id))

    # Submissions
    def tweet(self, submission_id: str) -> str:
        return self._k("tweet", validation.numeric_id(submission_id, "submission id"))

    def tweet_id(self, tweet_id: str) -> str:
        """String: a post's ref (a tweet id, `threads:<media id>`) -> its submission id."""
        return self._k("tweetid", validation.post_ref(tweet_id))

    def threads_post(self, shortcode: str) -> str:
        """String: a submitted Threads post's shortcode (as in its link) -> its submission id."""
        return self._k("threadscode", validation.threads_shortcode(shortcode))

    tweets_recent = _fixed("tweets", "recent")

    def daily_submissions(self, discord_id: str, day: str) -> str:
        """Count of a member's submissions on one UTC day (`YYYY-MM-DD`)."""
        return self._k("submissions", validation.discord_id(discord_id), day)

    submission_sequence = _fixed("seq", "tweet")

    def submit_attempts(self, discord_id: str) -> str:
        """List of a member's recent /submit attempt times (the throttle), with a TTL."""
        return self._k("attempts", "submit", validation.discord_id(discord_id))

    # Awards
    def log(self, log_id: str) -> str:
        if not _LOG_ID.fullmatch(log_id):
            raise validation.InvalidInput(f"not an award log id: {log_id[:40]!r}")
        return self._k("log", log_id)

    def user_logs(self, discord_id: str) -> str:
        return self._k("user", validation.discord_id(discord_id), "logs")

    def tweet_logs(self, tweet_id: str) -> str:
        return self._k("tweet", validation.post_ref(tweet_id), "logs")

    adjustment_sequence = _fixed("seq", "adjust")
    leaderboard_alltime = _fixed("leaderboard", "alltime")

    def leaderboard_weekly(self, week: str) -> str:
        return self._k("leaderboard", "weekly", week)

    # Rules
    def rule(self, tier: int, engagement_type: str) -> str:
        tier = validation.tier(tier)
        return self._k("rules", f"{tier}-{validation.engagement_type(engagement_type)}")

    # Seasons, teams, campaigns
    def season(self, season_id: str) -> str:
        """Hash: a season's `id`, `name`, `start`, `end` (epoch s), `reward_zone`, `ended_at` once frozen."""
        return self._k("season", validation.numeric_id(season_id, "season id"))

    def season_board(self, season_id: str) -> str:
        """Sorted set: discordId by the points earned inside the season."""
        return self._k("season", validation.numeric_id(season_id, "season id"), "board")

    def season_teams(self, season_id: str) -> str:
        """Sorted set: team id by the points its members earned while in it, inside the season."""
        return self._k("season", validation.numeric_id(season_id, "season id"), "teams")

    # Sorted set: season ids by start. Hash: lower-cased season name -> id (names are unique).
    seasons = _fixed("seasons")
    season_names = _fixed("seasons", "names")
    season_sequence = _fixed("seq", "season")
    # String: the id of the season open now (scheduled or running; at most one), removed when it ends.
    season_open = _fixed("season", "open")

    def team(self, team_id: str) -> str:
        """Hash: a team's `id`, `name`, `created_at`."""
        return self._k("team", validation.numeric_id(team_id, "team id"))

    # Sorted set: team ids by creation. Hash: lower-cased team name -> id. Hash: discordId -> the member's team.
    teams = _fixed("teams")
    team_names = _fixed("teams", "names")
    member_teams = _fixed("teams", "members")
    team_sequence = _fixed("seq", "team")

    def campaign(self, campaign_id: str) -> str:
        """Hash: a campaign's `id`, `name`, `start`, `end`, `multiplier`, `match` (`category`, `hashtag` or
        `posts`), `value` (the category or the hashtag)."""
        return self._k("campaign", validation.numeric_id(campaign_id, "campaign id"))

    def campaign_board(self, campaign_id: str) -> str:
        """Sorted set: discordId by the points (multiplied) earned on the campaign's posts during it."""
        return self._k("campaign", validation.numeric_id(campaign_id, "campaign id"), "board")

    def campaign_posts(self, campaign_id: str) -> str:
        """Set: the tweet ids an admin picked for a campaign that matches `posts`."""
        return self._k("campaign", validation.numeric_id(campaign_id, "campaign id"), "posts")

    # Sorted set: campaign ids by start. Hash: lower-cased campaign name -> id.
    campaigns = _fixed("campaigns")
    campaign_names = _fixed("campaigns", "names")
    campaign_sequence = _fixed("seq", "campaign")

    # Role rewards and tier promotion
    # Hash: role id -> JSON of its reward rule (threshold, scope, revoke). Hash: tier -> all-time points to reach it.
    role_rewards = _fixed("roles", "rewards")
    tier_rules = _fixed("roles", "tiers")

    def role_granted(self, role_id: str) -> str:
        """Set: the members the bot granted this reward role to (only those are ever revoked)."""
        return self._k("roles", validation.numeric_id(role_id, "role id"), "granted")

    # Analytics
    def snapshots(self, submission_id: str) -> str:
        """List: a post's counters at each batch that read it, oldest first (thinned with age: `analytics`)."""
        return self._k("snapshots", validation.numeric_id(submission_id, "submission id"))

    # Sorted set: submission ids by publishing time, for every post that has snapshots (kept 120 days).
    analytics_posts = _fixed("analytics", "posts")
    # Hash: ISO week (`2026-W48`) -> the weekly report made for it, as JSON.
    reports = _fixed("reports")
    # List: weekly reports the worker made for the bot to post to REPORT_CHANNEL (JSON, oldest first).
    reports_queue = _fixed("reports", "queue")

    # Batches
    def batch(self, batch_id: str) -> str:
        return self._k("batch", validation.numeric_id(batch_id, "batch id"))

    batches = _fixed("batches")
    batch_sequence = _fixed("seq", "batch")
    batch_lock = _fixed("batch", "lock")
    # Hash: work an earlier batch could not finish, by kind.
    batch_carryover = _fixed("batch", "carryover")
    # List: manual batch triggers waiting for the worker.
    batch_requests = _fixed("batch", "requests")

    # Anti-farming
    def refused(self, tweet_id: str) -> str:
        """Hash (TTL): `{xUserId}-{type}` -> the anti-farming rule that made that engagement earn nothing."""
        return self._k("refused", validation.tweet_id(tweet_id))

    def reply_marks(self, discord_id: str) -> str:
        """Sorted set (TTL 7 days): `{fingerprint}:{tweetId}` of the member's paid replies, by reply time."""
        return self._k("replies", validation.discord_id(discord_id))

    # Admin
    audit = _fixed("audit")
    # Hash: run-time configuration set by admins.
    config = _fixed("config")

    def alert_sent(self, alert_type: str) -> str:
        return self._k("alert", alert_type)

    # List: alerts the worker queued for the bot to post to ALERT_CHANNEL.
    alerts = _fixed("alerts")
    # String: when the worker plans its next scheduled batch (epoch seconds).
    batch_next = _fixed("batch", "next")
    # String: JSON of the worker's last view of each X endpoint's rate limit.
    x_rate_limits = _fixed("x", "ratelimits")
    # String (with a TTL): JSON of the worker's last monitoring snapshot, which the web panel's Overview reads.
    monitoring_snapshot = _fixed("monitoring", "snapshot")
    # String (with a TTL of a few minutes): when the worker last said it runs (epoch seconds), every minute.
    worker_heartbeat = _fixed("worker", "heartbeat")

    def proofs(self, discord_id: str) -> str:
        """Hash (shared prefix): handle -> "xUserId|method" of each X account this member proved, in any
        community: the proof is done once per X account, not once per community."""
        return self._k("proofs", validation.discord_id(discord_id))

    def web(self, kind: str, digest: str) -> str:
        """String `state` (TTL 10 min) or hash `session` (shared prefix): the web panel's pending logins and
        sessions, by the SHA-256 of the secret, so a copy of Redis holds no usable cookie."""
        if kind not in ("state", "session") or len(digest) != 64 or not all(c in "0123456789abcdef" for c in digest):
            raise ValueError(f"not a web key: {kind}:{digest[:70]!r}")
        return self._k("web", kind, digest)

    def x_token(self, owner: str) -> str:
        """Hash (shared prefix): a member's OAuth tokens, encrypted (`access`, `refresh`), `expires_at`, `status`
        (`ok` or `needs_reauth`), `discord_id`, `scope`. `owner`: an X user id (`xtoken:`), or `threads:` and a
        Threads user id (`threadstoken:`)."""
        kind, user_id = _token_owner(owner)
        return self._k(kind, user_id)

    def x_token_lock(self, owner: str) -> str:
        """String (shared prefix, TTL): held while one process refreshes that token (X refresh tokens work once)."""
        kind, user_id = _token_owner(owner)
        return self._k(kind, user_id, "lock")

    def threads_id(self, threads_user_id: str) -> str:
        """String: a linked Threads account's user id -> discordId (an account links to one member)."""
        return self._k("threadsid", validation.numeric_id(threads_user_id, "Threads user id"))

    def x_sign_in(self, digest: str) -> str:
        """String (shared prefix, TTL 10 min): a pending Sign in with X as JSON (member, community, PKCE verifier),
        by the SHA-256 of its `state`."""
        if len(digest) != 64 or not all(c in "0123456789abcdef" for c in digest):
            raise ValueError(f"not a sign-in key: {digest[:70]!r}")
        return self._k("xsignin", digest)

    def api(self, kind: str, part: str) -> str:
        """Shared prefix, the REST API: hash `api:token` (by the SHA-256 of the secret), hash `api:tokens` (a
        community's token ids -> digests, by guild id), string `web:rate` (a request count, `<SHA-256 of
        who>:<window>`, with a TTL): next to the sessions, as both are bookkeeping any request may write, even a
        refused one."""
        pattern = _API_PART.get(kind)
        if pattern is None or not pattern.fullmatch(part):
            raise ValueError(f"not an API key: {kind}:{part[:90]!r}")
        return self._k("web" if kind == "rate" else "api", kind, part)

    # List (shared prefix): JSON notices the worker queued for the bot to DM to a member (at most 1,000 kept).
    member_notices = _fixed("notices")
    # Set (shared prefix): served guilds the bot has left; their data stays, their scanning stops.
    guilds_left = _fixed("guilds", "left")

    # Shop
    def shop_reward(self, reward_id: str) -> str:
        """Hash: a reward's `id`, `name`, `description`, `cost`, `stock` (a number or `unlimited`), `limit`,
        `role_id`, `created_at`, `created_by`, and `retired_at`/`retired_by` once retired."""
        return self._k("shop", "reward", validation.numeric_id(reward_id, "reward id"))

    # Sorted set: the ids of the rewards on offer (not retired), by id. Hash: lower-cased name -> id of those.
    shop_rewards = _fixed("shop", "rewards")
    shop_names = _fixed("shop", "names")
    reward_sequence = _fixed("seq", "reward")
    redemption_sequence = _fixed("seq", "redemption")

    def shop_redemption(self, request_id: str) -> str:
        """Hash: one redemption, by the id of the request (interaction) that made it: a request redeems once."""
        return self._k("shop", "redemption", validation.numeric_id(request_id, "request id"))

    # Hash: redemption number (what admins type) -> its request id. Sorted set: pending request ids by time.
    shop_redemptions = _fixed("shop", "redemptions")
    shop_pending = _fixed("shop", "pending")

    def shop_member(self, discord_id: str) -> str:
        """Sorted set: the request ids of a member's redemptions, by time."""
        return self._k("shop", "member", validation.discord_id(discord_id))

    def shop_claims(self, reward_id: str) -> str:
        """Hash: discordId -> the member's pending and fulfilled redemptions of one reward (its limit)."""
        return self._k("shop", "claims", validation.numeric_id(reward_id, "reward id"))

    # Hash: discordId -> points held by the member's pending and fulfilled redemptions (spent).
    shop_spent = _fixed("shop", "spent")
    # Hash: discordId -> `evm:0x...` or `solana:...`, the member's payout address.
    payout_addresses = _fixed("shop", "addresses")

    # Patterns for SCAN (admin overview and metrics)
    connections_pattern = _fixed("connection", "*")
    x_users_pattern = _fixed("xuser", "*")
    x_tokens_pattern = _fixed("xtoken", "*")  # the tokens and their locks (`:lock`)
    threads_tokens_pattern = _fixed("threadstoken", "*")

    def daily_submissions_pattern(self, day: str) -> str:
        return self._k("submissions", "*", day)
