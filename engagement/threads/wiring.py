"""Threads access for a process (the worker's batches, the bot's /submit): built from the settings, closed after."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

from engagement.settings import Settings
from engagement.store import Store
from engagement.threads._access import ThreadsAccess
from engagement.threads.client import ThreadsClient
from engagement.threads.tokens import ThreadsTokens


@contextlib.asynccontextmanager
async def threads_access(
    shared: Store, settings: Settings, given: ThreadsAccess | None = None
) -> AsyncIterator[ThreadsAccess | None]:
    """`given`, else a client and the members' tokens when THREADS_APP_ID is set, else None (not set up)."""
    if given is not None or not settings.threads_app_id:
        yield given
        return
    client, tokens = ThreadsClient(settings), ThreadsTokens.from_settings(shared, settings)
    try:
        yield ThreadsAccess(client, tokens)
    finally:
        await client.aclose()
        await tokens.aclose()
