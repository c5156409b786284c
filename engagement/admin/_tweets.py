"""Tracked tweets for admins: the list (with last metrics and points awarded) and removal from tracking."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from engagement import validation
from engagement.admin._paging import page_window, single_line
from engagement.errors import InvalidInput, Refused
from engagement.models import Submission
from engagement.store import Store
from engagement.store._admin import AwardsSeen
from engagement.store._submissions import submission_from_hash
from engagement.urls import parse_tweet_url

log = logging.getLogger(__name__)

TWEETS_PAGE_SIZE = 10
METRIC_FIELDS = ("like_count", "repost_count", "reply_count", "quote_count")  # as the batch stores them
MAX_REASON = 200
MAX_SEARCH = 64
FILTER_CHUNK = 500
DELETE_ATTEMPTS = 5
_CATEGORY = re.compile(r"[a-z0-9_-]{1,32}")


@dataclass(frozen=True)
class TweetRow:
    submission: Submission
    metrics: dict[str, int]
    """Counters from the last batch that looked the tweet up; empty before the first one."""
    awards: int
    points: int
    tracking: bool
    """Still in the scan window (or carried over), so batches still look at it."""


@dataclass(frozen=True)
class TweetsFilter:
    """What the tweet list is narrowed to; each part None for everything."""

    category: str | None = None
    author: str | None = None
    """An author's X handle (lower case, no @)."""
    search: str | None = None
    """Text found in the tweet id, the author's handle, the submitter's id or the category."""

    @classmethod
    def parse(cls, category: object = None, author: object = None, search: object = None) -> TweetsFilter:
        return cls(category_filter(category), _author_filter(author), _search_filter(search))

    def matches(self, raw: dict[str, str]) -> bool:
        if self.author is not None and raw.get("author_handle", "").lower() != self.author:
            return False
        if self.search is None:
            return True
        fields = ("tweet_id", "author_handle", "submitter_discord_id", "category")
        return any(self.search in raw.get(name, "").lower() for name in fields)


@dataclass(frozen=True)
class TweetsPage:
    category: str | None
    page: int
    pages: int
    total: int
    rows: list[TweetRow]
    narrowed: TweetsFilter = TweetsFilter()


@dataclass(frozen=True)
class DeletedTweet:
    submission: Submission
    revoked: bool
    revoked_awards: int
    revoked_points: int


def category_filter(value: object) -> str | None:
    """A category to filter by (any stored name, so old categories stay findable); None for all."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    name = value.strip().lower() if isinstance(value, str) else ""
    if not _CATEGORY.fullmatch(name):
        raise InvalidInput(f"category must be 1-32 letters, digits, '-' or '_', got {str(value)[:40]!r}")
    return name


def _author_filter(value: object) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return validation.handle(value)


def _search_filter(value: object) -> str | None:
    text = single_line(value, "search", max_length=MAX_SEARCH, required=False).lower()
    return text or None


def tweet_ref(value: object) -> str:
    """The tweet id in a tweet link or a bare tweet id."""
    text = value.strip() if isinstance(value, str) else str(value)
    return validation.tweet_id(text) if text.isdigit() else parse_tweet_url(text)


def last_metrics(raw: dict[str, str]) -> dict[str, int]:
    """The counters the last batch stored on a submission hash."""
    return {name: int(raw[name]) for name in METRIC_FIELDS if raw.get(name, "").isdigit()}


async def list_tweets(
    store: Store, category: object = None, page: object = 1, *, author: object = None, search: object = None
) -> TweetsPage:
    """Submitted tweets newest first, optionally of one category, author or search, one page (1-based) at a time."""
    narrowed = TweetsFilter.parse(category, author, search)
    wanted = narrowed.category
    ids = await store.submission_ids_newest_first(wanted)
    if narrowed.author is not None or narrowed.search is not None:
        ids = await _matching(store, ids, narrowed)
    window = page_window(page, len(ids), TWEETS_PAGE_SIZE)
    shown = ids[window.start : window.stop]
    parsed = _parse(shown, await store.submission_hashes(shown))
    points = await store.points_by_tweet([submission.tweet_id for submission, _ in parsed])
    tracked = await store.in_scan_window([submission.id for submission, _ in parsed]) | set(await store.carry_over())
    rows = [
        TweetRow(submission, last_metrics(raw), *points[submission.tweet_id], tracking=submission.id in tracked)
        for submission, raw in parsed
    ]
    return TweetsPage(wanted, window.page, window.pages, len(ids), rows, narrowed)


async def _matching(store: Store, ids: list[str], narrowed: TweetsFilter) -> list[str]:
    """The ids whose submission matches (read a chunk at a time: there is no index by author or text)."""
    kept: list[str] = []
    for start in range(0, len(ids), FILTER_CHUNK):
        chunk = ids[start : start + FILTER_CHUNK]
        raws = await store.submission_hashes(chunk)
        kept += [submission_id for submission_id, raw in zip(chunk, raws, strict=True) if narrowed.matches(raw)]
    return kept


def _parse(ids: list[str], raws: list[dict[str, str]]) -> list[tuple[Submission, dict[str, str]]]:
    """Submissions with their raw hashes; a damaged or vanished one is logged and left out."""
    parsed = []
    for submission_id, raw in zip(ids, raws, strict=True):
        try:
            parsed.append((submission_from_hash(raw), raw))
        except (KeyError, ValueError):
            log.warning("submission %s is damaged or was just deleted; not listed", submission_id)
    return parsed


async def _awards_seen(store: Store, tweet_id: str) -> AwardsSeen:
    ids = await store.tweet_log_ids(tweet_id)
    logs = [log for log in await store.logs_by_id(ids) if log.discord_id.isdigit()]
    return AwardsSeen(len(ids), logs)


async def delete_tweet(
    store: Store, actor_id: str, ref: object, *, revoke: bool = False, reason: object = ""
) -> DeletedTweet:
    """Remove a submission from tracking; `revoke` also takes back every point it paid, in the same step.

    Revoked award logs stay as the exactly-once guard (marked revoked), so if the
    tweet is submitted again nobody is paid twice for the same engagement.
    """
    actor = validation.discord_id(actor_id)
    tweet_id = tweet_ref(ref)
    why = single_line(reason, "reason", max_length=MAX_REASON, required=False)
    for _ in range(DELETE_ATTEMPTS):  # an award landing between our read and the write makes us read again
        submission = await store.submission_for_tweet(tweet_id)
        if submission is None:
            raise Refused(f"No submitted tweet has the id {tweet_id}.")
        seen = await _awards_seen(store, tweet_id)
        result = await store.delete_submission(actor, submission, seen, revoke=revoke, reason=why)
        if result is None:
            continue
        if not result.found:
            raise Refused(f"No submitted tweet has the id {tweet_id}.")
        log.info("admin %s deleted submission %s (tweet %s), revoke=%s", actor, submission.id, tweet_id, revoke)
        return DeletedTweet(submission, revoke, result.revoked_awards, result.revoked_points)
    raise Refused("Awards on that tweet kept changing while it was being deleted; please try again.")
