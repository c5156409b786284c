"""Tracked tweets (admin or core): the list, as the Tweets page filters it, and removal with optional revoke."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from engagement import admin as core
from engagement.models import Submission
from web.api import cursors
from web.api.auth import StaffDep
from web.api.cursors import CursorQuery
from web.api.models import DeletedTweetOut, EngagerOut, TweetDetailsOut, TweetOut, TweetsOut
from web.routes.community import PageQuery

router = APIRouter(prefix="/communities/{guild_id}")
ENGAGER_FIELDS = ("discord_id", "type", "tier", "points", "batch_id", "awarded_at", "revoked_at")


@router.get("/tweets")
async def tweets(
    viewer: StaffDep,
    category: str = "",
    author: str = "",
    q: Annotated[str, Query(description="Text in the tweet id, author, submitter or category.")] = "",
    page: PageQuery = 1,
    cursor: CursorQuery = None,
) -> TweetsOut:
    number = cursors.page_of("tweets", cursor, page)
    shown = await core.list_tweets(viewer.services.store, category, number, author=author, search=q)
    rows = [_tweet(row.submission, row.awards, row.points, row.tracking) for row in shown.rows]
    return TweetsOut(**cursors.paging("tweets", shown), tweets=rows)


@router.get("/tweets/{tweet}")
async def tweet_details(viewer: StaffDep, tweet: str) -> TweetDetailsOut:
    """One submitted tweet (by its id) with its last counters and every award it paid, as its page shows."""
    shown = await core.tweet_details(viewer.services.store, tweet)
    standing = [engager for engager in shown.engagers if not engager.revoked]
    engagers = [
        EngagerOut(x_user_id=engager.x_user_id, **{name: getattr(engager.award, name) for name in ENGAGER_FIELDS})
        for engager in shown.engagers
    ]
    summary = _tweet(shown.submission, len(standing), shown.points, shown.tracking)
    return TweetDetailsOut(tweet=summary, metrics=shown.metrics, engagers=engagers)


def _tweet(submission: Submission, awards: int, points: int, tracking: bool) -> TweetOut:
    return TweetOut(
        submission_id=submission.id,
        tweet_id=submission.tweet_id,
        url=submission.url,
        author_handle=submission.author_handle,
        submitter=submission.submitter_discord_id,
        category=submission.category,
        submitted_at=submission.submitted_at,
        awards=awards,
        points=points,
        tracking=tracking,
    )


@router.delete("/tweets/{tweet}")
async def delete_tweet(
    viewer: StaffDep,
    tweet: str,
    revoke: Annotated[bool, Query(description="Also take back every point the tweet paid.")] = False,
    reason: Annotated[str, Query(description="Why (kept in the audit log).")] = "",
) -> DeletedTweetOut:
    """Stop tracking a submitted tweet (by its tweet id), as the Tweets page's delete (audited the same way)."""
    done = await core.delete_tweet(viewer.services.store, viewer.actor, tweet, revoke=revoke, reason=reason)
    return DeletedTweetOut(
        submission_id=done.submission.id,
        tweet_id=done.submission.tweet_id,
        revoked=done.revoked,
        revoked_awards=done.revoked_awards,
        revoked_points=done.revoked_points,
    )
