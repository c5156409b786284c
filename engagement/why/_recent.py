"""The "not counted" part of /stats: what, among the posts tracked now, cannot earn the member points, and why."""

from __future__ import annotations

from dataclasses import dataclass

from engagement.connections import require_connection
from engagement.platforms import X
from engagement.services import Services
from engagement.stats import LIKES_COUNTED, likes_status

POSTS_LOOKED_AT = 100  # the newest tracked posts; enough for what a member engages with in a day
AUTHORS_NAMED = 5


@dataclass(frozen=True)
class NotCounted:
    tracked: int
    """Posts tracked now (the newest POSTS_LOOKED_AT at most)."""
    own: int
    """Of those, the member's own: engaging with them earns nothing."""
    likes_uncounted: int
    """Of the others, those whose likes cannot be counted (their authors have not signed in with X, or must again)."""
    authors: tuple[str, ...]
    """Handles of those authors, the first AUTHORS_NAMED."""
    member_handle: str
    next_batch_at: float | None


async def not_counted(services: Services, discord_id: str) -> NotCounted:
    connection = await require_connection(services, discord_id, own=True)
    store = services.store
    since = services.clock() - services.settings.batch_window_hours * 3600
    ids = (await store.recent_submission_ids(since))[-POSTS_LOOKED_AT:]
    # X posts only: likes on Threads posts are never attributed (analytics only), whoever signed in
    posts = [fields for fields in await store.submission_hashes(ids) if fields and fields.get("platform", X) == X]
    own = [post for post in posts if post.get("author_x_id") == connection.x_user_id]
    others = [post for post in posts if post.get("author_x_id") != connection.x_user_id]
    status = {x: await likes_status(services, x) for x in {post.get("author_x_id", "") for post in others}}
    blocked = [post for post in others if status[post.get("author_x_id", "")] != LIKES_COUNTED]
    handles = dict.fromkeys(post.get("author_handle", "") for post in reversed(blocked))
    return NotCounted(
        tracked=len(posts),
        own=len(own),
        likes_uncounted=len(blocked),
        authors=tuple(handle for handle in handles if handle)[:AUTHORS_NAMED],
        member_handle=connection.handle or "",
        next_batch_at=await store.next_batch_at(),
    )
