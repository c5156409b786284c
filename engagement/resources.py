"""What the bot and the worker open at start: the store and the X client, closed in reverse order."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from engagement.redis_conn import open_store
from engagement.settings import Settings
from engagement.store import Store
from engagement.x import XClient


@asynccontextmanager
async def open_resources(settings: Settings) -> AsyncIterator[tuple[Store, XClient]]:
    """The connected store and an X client from settings; a missing bearer token fails before any X call."""
    async with open_store(settings) as store:
        x = XClient.from_settings(settings)
        try:
            yield store, x
        finally:
            await x.aclose()
