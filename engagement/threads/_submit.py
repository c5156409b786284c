"""Submitting a Threads post: the member's own, recent, checked through the API with their own token."""

from __future__ import annotations

from datetime import timedelta

from engagement.errors import NotConnected, Refused
from engagement.models import Connection, SubmissionDraft
from engagement.platforms import THREADS, post_ref
from engagement.services import Services
from engagement.threads._access import ThreadsAccess
from engagement.threads.models import ThreadsAuthError, ThreadsError, ThreadsPost
from engagement.urls import PostLink
from engagement.x.models import Tweet

NOT_SET_UP = "Threads posts are not tracked on this server (it needs THREADS_APP_ID and THREADS_APP_SECRET)."
NOT_LINKED = "You have not connected a Threads account yet. Use /connect platform:threads first."
SIGN_IN_AGAIN = "Threads no longer accepts your sign-in. Run /connect platform:threads again, then resubmit."


def ready_to_submit(access: ThreadsAccess | None, connection: Connection | None) -> Connection:
    """The member's connection when Threads is set up and they linked a Threads account; refused otherwise."""
    if access is None:
        raise Refused(NOT_SET_UP)
    threads_account(connection)
    assert connection is not None
    return connection


def threads_account(connection: Connection | None) -> tuple[str, str]:
    """(Threads user id, username) of a member's linked Threads account; `NotConnected` when there is none."""
    if connection is None or not connection.threads_user_id or not connection.threads_username:
        raise NotConnected(NOT_LINKED)
    return connection.threads_user_id, connection.threads_username


async def find_own_threads_post(
    services: Services, access: ThreadsAccess | None, connection: Connection | None, link: PostLink
) -> ThreadsPost:
    """The linked member's own post behind `link`, published inside the batch window; refused otherwise."""
    ready_to_submit(access, connection)
    assert access is not None
    user_id, username = threads_account(connection)
    if link.username != username.lower():
        raise Refused(
            f"That Threads post is by @{link.username}, not by your connected Threads account @{username}. "
            "You can only submit your own posts."
        )
    token = await access.tokens.access_token(user_id)
    if token is None:
        raise Refused(SIGN_IN_AGAIN)
    hours = services.settings.batch_window_hours
    try:
        post = await access.client.own_post(token, link.post_id, services.now() - timedelta(hours=hours))
    except ThreadsAuthError:
        await access.tokens.refused(user_id)
        raise Refused(SIGN_IN_AGAIN) from None
    except ThreadsError:
        raise Refused("Threads could not be reached just now. Nothing was stored; please try again.") from None
    if post is None:
        raise Refused(
            f"That post is not among your Threads posts of the last {hours} hours "
            "(it may be older, deleted, or a reply). Only your own recent posts count."
        )
    return post


def threads_draft(post: ThreadsPost, connection: Connection, category: str) -> SubmissionDraft:
    return SubmissionDraft(
        tweet_id=post_ref(THREADS, post.id),
        url=post.permalink,
        author_x_id=post.owner_id,
        author_handle=post.username.lower(),
        submitter_discord_id=connection.discord_id,
        category=category,
        platform=THREADS,
        shortcode=post.shortcode,
    )


def as_post(post: ThreadsPost) -> Tweet:
    """The post in the shape the announcement and analytics share with X posts."""
    ref = post_ref(THREADS, post.id)
    return Tweet(ref, post.owner_id, post.username, post.text, ref, post.created_at)
