"""Tracked tweets (admin or core): the list, as the Tweets page filters it, and removal with optional revoke."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from engagement import admin as core
from web.api import cursors
from web.api.auth import StaffDep
from web.api.cursors import CursorQuery
from web.api.models import DeletedTweetOut, TweetOut, TweetsOut
from web.routes.community import PageQuery

router = APIRouter(prefix="/communities/{guild_id}")


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
    rows = [
        TweetOut(
            submission_id=row.submission.id,
            tweet_id=row.submission.tweet_id,
            url=row.submission.url,
            author_handle=row.submission.author_handle,
            submitter=row.submission.submitter_discord_id,
            category=row.submission.category,
            submitted_at=row.submission.submitted_at,
            awards=row.awards,
            points=row.points,
            tracking=row.tracking,
        )
        for row in shown.rows
    ]
    return TweetsOut(**cursors.paging("tweets", shown), tweets=rows)


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
