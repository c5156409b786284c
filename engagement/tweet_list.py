"""`/admin tweets` for a community: the list, and a category filter naming no category refused as such (rather
than an empty list that reads as "nothing was submitted")."""

from __future__ import annotations

from collections.abc import Sequence

from engagement.admin import TweetsPage, list_tweets
from engagement.errors import InvalidInput
from engagement.store import Store


async def community_tweets(store: Store, categories: Sequence[str], category: object, page: object) -> TweetsPage:
    """One page of `list_tweets`; a category that is not one of `categories` and has no tweets is refused (an
    old category that still has tweets is listed)."""
    shown = await list_tweets(store, category, page)
    if shown.category is not None and shown.total == 0 and shown.category not in categories:
        raise InvalidInput(f"There is no category `{shown.category}`; the categories are {', '.join(categories)}.")
    return shown
