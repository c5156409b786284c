"""Submitting a tweet for tracking: every check except the channel (which is Discord's business)."""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass

from engagement import validation
from engagement.connections import require_connection
from engagement.errors import InvalidInput, Refused
from engagement.models import Connection, Submission
from engagement.platforms import THREADS
from engagement.services import Services
from engagement.settings import Settings
from engagement.store import DuplicateSubmission, SubmissionDraft, SubmissionLimitReached
from engagement.threads._submit import as_post, find_own_threads_post, ready_to_submit, threads_draft
from engagement.urls import PostLink, parse_post_url, tweet_url
from engagement.x.models import Tweet

log = logging.getLogger(__name__)

MAX_AUTOCOMPLETE_CHOICES = 25
ATTEMPTS_PER_WINDOW = 10
ATTEMPT_WINDOW_SECONDS = 600


@dataclass(frozen=True)
class SubmitResult:
    submission: Submission
    tweet: Tweet
    used_today: int
    daily_limit: int

    @property
    def remaining_today(self) -> int:
        return max(self.daily_limit - self.used_today, 0)


def pick_category(settings: Settings, value: str | None) -> str:
    """The configured category `value` names (the first one when empty); refuses unknown ones."""
    if value is None or not value.strip():
        return settings.categories[0]
    wanted = value.strip().lower()
    if wanted not in settings.categories:
        raise InvalidInput(f"Unknown category {value[:40]!r}. Choose one of: {', '.join(settings.categories)}.")
    return wanted


def matching_categories(settings: Settings, typed: str) -> list[str]:
    """Categories for autocomplete: those starting with what was typed, then those containing it."""
    text = typed.strip().lower()
    starts = [name for name in settings.categories if name.startswith(text)]
    contains = [name for name in settings.categories if text in name and name not in starts]
    return (starts + contains)[:MAX_AUTOCOMPLETE_CHOICES]


async def submit_tweet(services: Services, discord_id: str, url: str, category: str | None = None) -> SubmitResult:
    """Check and store a submission (an X or a Threads post). Refusals raise before anything but the attempt
    (for the throttle) is written."""
    await _count_attempt(services, discord_id)
    chosen = pick_category(services.settings, category)
    link = parse_post_url(url)
    if link.platform == THREADS:
        return await _submit_threads_post(services, discord_id, link, chosen)
    connection = await require_connection(services, discord_id)
    limit = services.settings.daily_limit(connection.tier)
    await _refuse_early(services, connection, await services.store.submission_for_tweet(link.post_id), limit)
    tweet = await _look_up(services, link.post_id)
    _check_tweet(services, connection, tweet)
    draft = SubmissionDraft(
        tweet_id=tweet.id,
        url=tweet_url(tweet.author_username, tweet.id),
        author_x_id=tweet.author_id,
        author_handle=tweet.author_username.lower(),
        submitter_discord_id=connection.discord_id,
        category=chosen,
    )
    return await _store(services, draft, tweet, limit)


async def _submit_threads_post(services: Services, discord_id: str, link: PostLink, category: str) -> SubmitResult:
    found = await services.store.get_connection(validation.discord_id(discord_id))
    connection = ready_to_submit(services.threads, found)
    limit = services.settings.daily_limit(connection.tier)
    # Before Threads is asked: the code in the link names the post as the id does on X.
    await _refuse_early(services, connection, await services.store.submission_for_threads_code(link.post_id), limit)
    post = await find_own_threads_post(services, services.threads, connection, link)
    return await _store(services, threads_draft(post, connection, category), as_post(post), limit)


async def _store(services: Services, draft: SubmissionDraft, post: Tweet, limit: int) -> SubmitResult:
    details: dict[str, str | int | float] = {"published_at": round(post.created_at.timestamp(), 3)}
    if post.author_followers is not None:
        details["author_followers"] = post.author_followers  # analytics' reach: impressions per follower
    submission, used = await services.store.create_submission(draft, limit, details)
    log.info("member %s submitted post %s as submission %s", draft.submitter_discord_id, post.id, submission.id)
    return SubmitResult(submission=submission, tweet=post, used_today=used, daily_limit=limit)


async def _count_attempt(services: Services, discord_id: str) -> None:
    """Every attempt counts, refused or not, so refusals cannot be used to make X lookups without end."""
    retry_at = await services.store.count_submit_attempt(discord_id, ATTEMPTS_PER_WINDOW, ATTEMPT_WINDOW_SECONDS)
    if retry_at is not None:
        minutes = max(math.ceil((retry_at - services.clock()) / 60), 1)
        raise Refused(
            f"You have tried /submit {ATTEMPTS_PER_WINDOW} times in the last {ATTEMPT_WINDOW_SECONDS // 60} minutes. "
            f"Please try again in {minutes} minute{'' if minutes == 1 else 's'}."
        )


async def _refuse_early(services: Services, connection: Connection, first: Submission | None, limit: int) -> None:
    """Duplicate (`first`: the post's submission, if any) and limit checks before paying for a platform read;
    the store checks both again atomically."""
    if first is not None:
        raise DuplicateSubmission(first)
    used = await services.store.daily_submissions_used(connection.discord_id)
    if used >= limit:
        raise SubmissionLimitReached(used)


async def _look_up(services: Services, tweet_id: str) -> Tweet:
    result = await services.x.lookup_tweets([tweet_id])
    tweet = result.found.get(tweet_id)
    if tweet is None:
        raise Refused("That tweet does not exist, was deleted, or is not public.")
    return tweet


def _check_tweet(services: Services, connection: Connection, tweet: Tweet) -> None:
    window_hours = services.settings.batch_window_hours
    age_hours = (services.now() - tweet.created_at).total_seconds() / 3600
    if age_hours > window_hours:
        raise Refused(f"That tweet is {age_hours:.0f} hours old; only tweets from the last {window_hours} hours count.")
    if tweet.reposted_id is not None:  # listed under the member's account, but the words are someone else's
        raise Refused("That link is a repost. Submit the post itself; you can only submit your own tweets.")
    if tweet.author_id != connection.x_user_id:
        raise Refused(
            f"That tweet is by @{tweet.author_username}, not by your connected account @{connection.handle}. "
            "You can only submit your own tweets."
        )
