"""What the core needs to read Threads: the API client and the members' tokens (one of each per process)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from engagement.threads.models import ThreadsCounters, ThreadsPost, ThreadsReply


class ThreadsReads(Protocol):
    """The part of `ThreadsClient` the core uses."""

    async def app_check(self) -> None: ...

    async def own_post(self, token: str, shortcode: str, since: datetime) -> ThreadsPost | None: ...

    async def insights(self, token: str, media_id: str) -> ThreadsCounters: ...

    async def replies(
        self, token: str, media_id: str, newest_seen: str | None
    ) -> tuple[list[ThreadsReply], str | None]: ...


class ThreadsTokenVault(Protocol):
    """The part of `ThreadsTokens` the core uses."""

    async def access_token(self, threads_user_id: str) -> str | None: ...

    async def refused(self, threads_user_id: str) -> None: ...


@dataclass(frozen=True)
class ThreadsAccess:
    client: ThreadsReads
    tokens: ThreadsTokenVault
