"""`/insights` and the panel's Analytics page: the checked entry points the bot and the web share."""

from __future__ import annotations

from typing import TYPE_CHECKING

from engagement.analytics._insights import (
    CommunityInsights,
    MemberInsights,
    PostInsights,
    community_insights,
    member_insights,
    post_insights,
)
from engagement.errors import InvalidInput, Refused
from engagement.platforms import THREADS
from engagement.urls import parse_post_url
from engagement.validation import discord_id as checked_member

if TYPE_CHECKING:  # the batch imports analytics, and services import the batch
    from engagement.services import Services

MAX_DAYS = 90
DAY = 86_400


def checked_days(days: object) -> int:
    """A period of 1 to 90 days (the snapshots best posting times read go back 90)."""
    if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= MAX_DAYS:
        raise InvalidInput(f"The period must be 1 to {MAX_DAYS} days.")
    return days


async def insights_for_member(services: Services, member_id: str, days: object = 7) -> MemberInsights:
    """A member's own summary over the last `days` days: their posts, and the points they earned engaging."""
    period = checked_days(days)
    now = services.clock()
    return await member_insights(services.store, checked_member(member_id), now - period * DAY, now + 1)


async def insights_for_post(services: Services, url: object) -> PostInsights:
    """One submitted post's measures, score and snapshot curve; a post never submitted here is refused."""
    link = parse_post_url(url if isinstance(url, str) else "")
    tweet_id = link.post_id
    if link.platform == THREADS:  # a Threads link names the post by its code: the submission knows its ref
        submission = await services.store.submission_for_threads_code(link.post_id)
        tweet_id = submission.tweet_id if submission else ""
    found = await post_insights(services.store, tweet_id, services.clock()) if tweet_id else None
    if found is None:
        raise Refused("That post was never submitted in this server, so there are no insights for it.")
    return found


async def insights_for_community(services: Services, days: object = 7) -> CommunityInsights:
    """The community over the last `days` days, with its type and best posting times (last 90 days)."""
    return await community_insights(services.store, services.clock(), services.settings.zone, checked_days(days))
