"""Search queries for `search/recent`: packed conversation terms and the /connect proof search."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from engagement.errors import InvalidInput
from engagement.validation import handle

MAX_QUERY_CHARS = 512
TWEPOCH_MS = 1_288_834_974_657  # X ids are snowflakes: milliseconds since this epoch, shifted left 22 bits


def posted_at(tweet_id: str) -> datetime:
    """When a post was created, read from its snowflake id."""
    return datetime.fromtimestamp(((int(tweet_id) >> 22) + TWEPOCH_MS) / 1000, UTC)


def pack_conversation_queries(conversation_ids: Sequence[str], limit: int = MAX_QUERY_CHARS) -> list[str]:
    """OR together as many `conversation_id:` terms per query as fit in `limit` characters."""
    return pack_queries("conversation_id", conversation_ids, limit)


def pack_queries(operator: str, values: Sequence[str], limit: int = MAX_QUERY_CHARS) -> list[str]:
    """OR together as many `operator:value` terms per query as fit in `limit` characters."""
    queries: list[str] = []
    current = ""
    for value in dict.fromkeys(values):
        term = f"{operator}:{value}"
        candidate = f"{current} OR {term}" if current else term
        if current and len(candidate) > limit:
            queries.append(current)
            candidate = term
        current = candidate
    if current:
        queries.append(current)
    return queries


def text_from_user_query(username: str, text: str) -> str:
    """`from:username "text" -is:retweet` (a repost of someone else's post proves nothing); plain phrase only."""
    name = handle(username)
    phrase = text.strip() if isinstance(text, str) else ""
    if not phrase or '"' in phrase or "\n" in phrase:
        raise InvalidInput("the text to look for must be a non-empty phrase without quotes or line breaks")
    query = f'from:{name} "{phrase}" -is:retweet'
    if len(query) > MAX_QUERY_CHARS:
        raise InvalidInput(f"the text to look for is too long for an X search ({len(query)} > {MAX_QUERY_CHARS})")
    return query
