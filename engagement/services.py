"""What the bot hands to the core: settings, the store, the X adapter and the clock, in one place."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Protocol

from engagement.settings import Settings
from engagement.store import Store
from engagement.x.models import Tweet, TweetLookup, XUser


class XLookups(Protocol):
    """The part of `engagement.x.XClient` the member commands use."""

    async def lookup_tweets(self, ids: Sequence[str]) -> TweetLookup: ...

    async def user_by_username(self, username: str) -> XUser | None: ...

    async def find_post_with_text(
        self, username: str, text: str, *, start_time: datetime | None = None
    ) -> Tweet | None: ...


@dataclass(frozen=True)
class Services:
    settings: Settings
    store: Store
    x: XLookups
    clock: Callable[[], float] = field(default=time.time)

    def now(self) -> datetime:
        return datetime.fromtimestamp(self.clock(), UTC)
