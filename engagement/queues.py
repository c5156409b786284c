"""Queues the worker fills in Redis for the bot to post (alerts, weekly reports): drained oldest first, never lost."""

from __future__ import annotations

from collections.abc import Awaitable, Callable


async def drain(
    pop: Callable[[], Awaitable[str | None]],
    put_back: Callable[[str], Awaitable[None]],
    post: Callable[[str], Awaitable[None]],
    limit: int,
) -> int:
    """Post up to `limit` queued payloads; one that cannot be posted goes back to the head for the next round."""
    posted = 0
    while posted < limit:
        payload = await pop()
        if payload is None:
            break
        try:
            await post(payload)
        except Exception:
            await put_back(payload)
            raise
        posted += 1
    return posted
