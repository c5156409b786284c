"""`/why <post>`: for each engagement type, whether the member was paid for it on that post, and if not, why."""

from __future__ import annotations

from dataclasses import dataclass

from engagement import validation
from engagement.batch._cadence import GONE_AT
from engagement.connections import require_connection
from engagement.keys import award_log_id
from engagement.models import AwardLog, Submission
from engagement.platforms import THREADS, account_ref
from engagement.services import Services
from engagement.stats import LIKES_COUNTED, likes_status
from engagement.store import MemberForAward
from engagement.threads._submit import threads_account
from engagement.urls import PostLink, parse_post_url
from engagement.validation import ENGAGEMENT_TYPES
from rules.farming import RULE_CODES

# What a post is to the member asking.
TRACKED, WINDOW_CLOSED, OWN_POST = "tracked", "window_closed", "own_post"
NOT_SUBMITTED, REMOVED, DELETED_ON_X = "not_submitted", "removed", "deleted_on_x"
# An engagement type's outcome on the post, and why when it is not paid.
PAID, REVOKED, WAITING, NOT_COUNTED = "paid", "revoked", "waiting", "not_counted"
NOT_SEEN_YET = "not_seen_yet"
# Threads names who replied, not who liked, reposted or quoted: those count in analytics only.
UNNAMED_ON_THREADS = "unnamed_on_threads"
# An engagement seen and refused by an anti-farming rule: its reason is the rule (`rules.farming.RULE_CODES`).
REFUSED_BY_RULE = RULE_CODES
AUDIT_LOOKBACK = 2000  # audit entries searched for an admin's removal of the post (the newest first)


@dataclass(frozen=True)
class Outcome:
    type: str
    status: str
    """PAID, REVOKED (an admin took it back), WAITING (not seen yet) or NOT_COUNTED."""
    reason: str = ""
    """Why, when not paid: the post's state, NOT_SEEN_YET, a likes status (`stats.likes_status`), or the
    anti-farming rule that refused it (REFUSED_BY_RULE)."""
    log: AwardLog | None = None


@dataclass(frozen=True)
class PostWhy:
    tweet_id: str
    post: str
    """TRACKED, WINDOW_CLOSED, OWN_POST, NOT_SUBMITTED, REMOVED or DELETED_ON_X."""
    member_handle: str
    author_handle: str
    window_ends_at: float | None
    next_batch_at: float | None
    outcomes: tuple[Outcome, ...]


@dataclass(frozen=True)
class _Asked:
    """The post asked about and the member's accounts on its platform."""

    tweet_id: str
    submission: Submission | None
    accounts: list[str]  # engaging-account refs: awards and refusals are kept under these
    own_ids: list[str]  # author ids that make the post the member's own
    handle: str


async def _asked_x(services: Services, discord_id: str, tweet_id: str) -> _Asked:
    connection = await require_connection(services, discord_id, own=True)
    accounts = [x for x in [connection.x_user_id or "", *await _past_accounts(services, discord_id)] if x]
    submission = await services.store.submission_for_tweet(tweet_id)
    return _Asked(tweet_id, submission, accounts, accounts, connection.handle or "")


async def _asked_threads(services: Services, discord_id: str, link: PostLink) -> _Asked:
    user_id, username = threads_account(await services.store.get_connection(validation.discord_id(discord_id)))
    submission = await services.store.submission_for_threads_code(link.post_id)
    ref = submission.tweet_id if submission else ""
    return _Asked(ref, submission, [account_ref(THREADS, username)], [user_id], username)


async def explain_post(services: Services, discord_id: str, url: object) -> PostWhy:
    """Why the member got (or did not get) points for each engagement type on the post `url` links to."""
    link = parse_post_url(str(url) if isinstance(url, str) else "")
    if link.platform == THREADS:
        asked = await _asked_threads(services, discord_id, link)
    else:
        asked = await _asked_x(services, discord_id, link.post_id)
    tweet_id, submission, accounts = asked.tweet_id, asked.submission, asked.accounts
    store = services.store
    paid = await _member_logs(services, tweet_id, discord_id, accounts) if tweet_id else {}
    refused = await _refusals(services, tweet_id, accounts) if tweet_id else {}
    post = await _post_state(services, tweet_id, submission, asked.own_ids, bool(paid))
    likes = await likes_status(services, submission.author_x_id) if submission else ""
    if link.platform == THREADS:
        likes = UNNAMED_ON_THREADS
    window_ends = submission.submitted_at + services.settings.batch_window_hours * 3600 if submission else None
    outcomes = tuple(
        _outcome(kind, paid.get(kind), refused.get(kind, ""), post, likes, link.platform) for kind in ENGAGEMENT_TYPES
    )
    return PostWhy(
        tweet_id=tweet_id,
        post=post,
        member_handle=asked.handle,
        author_handle=submission.author_handle if submission else "",
        window_ends_at=window_ends,
        next_batch_at=await store.next_batch_at(),
        outcomes=outcomes,
    )


def _outcome(kind: str, log: AwardLog | None, refused: str, post: str, likes: str, platform: str) -> Outcome:
    if platform == THREADS and kind != "reply":
        return Outcome(kind, NOT_COUNTED, UNNAMED_ON_THREADS)
    if log is not None:
        return Outcome(kind, REVOKED if log.revoked_at else PAID, log=log)
    if refused:  # seen by a batch, and an anti-farming rule made it earn nothing
        return Outcome(kind, NOT_COUNTED, refused)
    if post != TRACKED:
        return Outcome(kind, NOT_COUNTED, post)
    if kind == "like" and likes != LIKES_COUNTED:
        return Outcome(kind, NOT_COUNTED, likes)
    return Outcome(kind, WAITING, NOT_SEEN_YET)


async def _past_accounts(services: Services, discord_id: str) -> tuple[str, ...]:
    """The member's earlier X accounts: an award paid to one of them counts as theirs."""
    state = (await services.store.members_for_awards([discord_id])).get(discord_id)
    return state.past_x_ids if isinstance(state, MemberForAward) else ()


async def _refusals(services: Services, tweet_id: str, accounts: list[str]) -> dict[str, str]:
    """type -> the anti-farming rule that refused the member's engagement of that type on the post (the current
    account's over an earlier one's)."""
    found = await services.store.refused_engagements(tweet_id, accounts)
    rules: dict[str, str] = {}
    for account in reversed(accounts):
        rules |= {kind: rule for (x_user, kind), rule in found.items() if x_user == account and rule in RULE_CODES}
    return rules


async def _member_logs(services: Services, tweet_id: str, discord_id: str, accounts: list[str]) -> dict[str, AwardLog]:
    """The member's award of each type on the post (a standing one over a revoked one)."""
    ids = [award_log_id(tweet_id, account, kind) for account in accounts for kind in ENGAGEMENT_TYPES]
    found: dict[str, AwardLog] = {}
    for log in await services.store.logs_by_id(ids, skip_damaged=True):
        if log.discord_id == discord_id and (log.type not in found or found[log.type].revoked_at):
            found[log.type] = log
    return found


async def _post_state(
    services: Services, tweet_id: str, submission: Submission | None, accounts: list[str], paid: bool
) -> str:
    if submission is None:
        removed = paid or (tweet_id and await _removed_by_admin(services, tweet_id))
        return REMOVED if removed else NOT_SUBMITTED
    if submission.author_x_id in accounts:
        return OWN_POST
    fields = (await services.store.submission_hashes([submission.id]) or [{}])[0]
    if fields.get(GONE_AT):
        return DELETED_ON_X
    window_ends = submission.submitted_at + services.settings.batch_window_hours * 3600
    return WINDOW_CLOSED if services.clock() >= window_ends else TRACKED


async def _removed_by_admin(services: Services, tweet_id: str) -> bool:
    entries = await services.store.audit_entries(count=AUDIT_LOOKBACK)
    return any(entry.get("action") == "tweet-delete" and entry.get("target") == tweet_id for entry in entries)
