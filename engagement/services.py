"""What the bot hands to the core: settings, the store, the platform adapters and the clock, in one place."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Protocol

from engagement.communities import Communities
from engagement.settings import Settings
from engagement.store import Store
from engagement.threads._access import ThreadsAccess
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
    store: Store  # the home community's (DISCORD_GUILD_ID); `store_for` gives each served guild its own
    x: XLookups
    clock: Callable[[], float] = field(default=time.time)
    communities: Communities = field(default=None)  # type: ignore[assignment]  # built from the rest when not given
    # Each other community's effective settings (the environment's, overridden by its admins' run-time values).
    community_settings: Mapping[int, Settings] = field(default_factory=dict)
    threads: ThreadsAccess | None = None  # None: Threads is not set up (its posts are refused at /submit)

    def __post_init__(self) -> None:
        if self.communities is None:
            object.__setattr__(self, "communities", Communities(self.settings, self.store))

    def store_for(self, guild_id: int | None) -> Store:
        """The store of the community `guild_id` is; `CommunityNotServed` for a guild not allowed or a DM."""
        return self.communities.store_for(guild_id)

    def for_guild(self, guild_id: int | None) -> Services:
        """These services as `guild_id`'s community sees them: its own store and settings."""
        store = self.store_for(guild_id)
        if store is self.store:
            return self
        assert guild_id is not None
        settings = self.community_settings.get(guild_id, self.communities.settings)
        return dataclasses.replace(self, store=store, settings=settings)

    def now(self) -> datetime:
        return datetime.fromtimestamp(self.clock(), UTC)
