"""Which Discord servers (communities) a deployment serves, and where each one's data lives.

Every community has its own key prefix, so nothing is shared by accident and one community's
admins can never read or change another's data. The home community (`DISCORD_GUILD_ID`) keeps
`KEY_PREFIX` itself, so a single-community deployment keeps today's key names exactly; any other
allowed server's prefix is `KEY_PREFIX-<guild id>`, and what they all share (the X accounts members
proved, the servers the bot left) is under `KEY_PREFIX-shared`: siblings, none under another, so a
scan of one community's keys shows nothing of another's. On a cluster each prefix is a hash tag.
`DISCORD_GUILD_ID` is always served; `ALLOWED_GUILDS` lists the other servers served (empty: none);
any other server is refused before anything is read or written.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

from engagement.errors import EngagementError
from engagement.keys import SHARED, Keys, beside
from engagement.settings import Settings
from engagement.store import Store

log = logging.getLogger(__name__)

NOT_SERVED = (
    "This bot is not enabled for this server. Its operator can add the server's id to ALLOWED_GUILDS; "
    "until then it keeps no data here."
)


class CommunityNotServed(EngagementError):
    """A guild that is not on the allow-list (or no guild at all)."""

    def __init__(self) -> None:
        super().__init__(NOT_SERVED)


class Communities:
    """The served guilds, each with its own Store on the one Redis client."""

    def __init__(self, settings: Settings, home: Store) -> None:
        self.settings = settings
        self.home = home
        home_id = settings.discord_guild_id
        self.guild_ids: tuple[int, ...] = tuple(
            dict.fromkeys([*([home_id] if home_id else []), *settings.allowed_guilds])
        )
        self._stores: dict[int, Store] = {}
        # What all communities share (proofs, servers left): single-key commands only, so any slot will do.
        self.shared = Store(home.redis, Keys(beside(home.keys.prefix, SHARED)), clock=home.now)

    def serves(self, guild_id: int | None) -> bool:
        return guild_id is not None and guild_id in self.guild_ids

    def store_for(self, guild_id: int | None) -> Store:
        """The store of `guild_id`'s community; `CommunityNotServed` for any other guild or a DM."""
        if guild_id is None or not self.serves(guild_id):
            raise CommunityNotServed()
        if guild_id == self.settings.discord_guild_id:
            return self.home
        if guild_id not in self._stores:
            keys = Keys(beside(self.home.keys.prefix, str(guild_id)))
            self._stores[guild_id] = Store(self.home.redis, keys, clock=self.home.now)
        return self._stores[guild_id]

    def __iter__(self) -> Iterator[tuple[int | None, Store]]:
        """(guild id, store) of every community, the home one first (its guild id None when DISCORD_GUILD_ID is
        unset, as for a worker that needs no Discord)."""
        others = [guild_id for guild_id in self.guild_ids if guild_id != self.settings.discord_guild_id]
        home: list[tuple[int | None, Store]] = [(self.settings.discord_guild_id, self.home)]
        return iter([*home, *[(guild_id, self.store_for(guild_id)) for guild_id in others]])

    async def joined(self, guild_id: int) -> bool:
        """The bot was added to `guild_id`: True (its scanning resumes) when it is served; else nothing is written."""
        if not self.serves(guild_id):
            log.warning("added to server %s, which is not on ALLOWED_GUILDS: nothing is kept there", guild_id)
            return False
        await self.shared.note_guild_joined(guild_id)
        log.info("joined served server %s: its community is scanned", guild_id)
        return True

    async def left(self, guild_id: int) -> None:
        """The bot left `guild_id`: a served community keeps its data and is no longer scanned."""
        if self.serves(guild_id):
            await self.shared.note_guild_left(guild_id)
            log.info("left served server %s: its data stays, its scanning stops", guild_id)

    async def scanned(self) -> list[Store]:
        """The stores of the served communities whose server the bot has not left, the home one first."""
        left = await self.shared.guilds_left()
        return [store for guild_id, store in self if guild_id not in left]
