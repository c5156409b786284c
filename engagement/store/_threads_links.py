"""A member's Threads account: linked beside their X account in the same connection hash.

The reverse keys are `threadsid:<Threads user id>` (one member per account) and `threadsuser:<username>`
(replies name usernames: that is how a reply finds its member).
"""

from __future__ import annotations

from engagement.errors import Refused
from engagement.store._base import ArgT, StoreBase, texts
from engagement.store._lua import checked

THREADS_FIELDS = ("threads_user_id", "threads_username", "threads_connected_at")

# KEYS: connection, new id key, new username key, old id key, old username key (the new ones when none).
# ARGV: member, Threads user id, username, connected at, the user id read before (stale check), default tier.
LINK_THREADS_LUA = checked("""
local bad = want(KEYS[1], 'hash') or want(KEYS[2], 'string') or want(KEYS[3], 'string') or want(KEYS[4], 'string')
  or want(KEYS[5], 'string')
if bad then return {'damaged', bad} end
for i = 2, 3 do
  local owner = redis.call('GET', KEYS[i])
  if owner and owner ~= ARGV[1] then return {'taken', owner} end
end
local current = redis.call('HGET', KEYS[1], 'threads_user_id') or ''
if current ~= ARGV[5] then return {'stale', current} end
for i = 4, 5 do
  if KEYS[i] ~= KEYS[i - 2] and redis.call('GET', KEYS[i]) == ARGV[1] then redis.call('DEL', KEYS[i]) end
end
redis.call('SET', KEYS[2], ARGV[1])
redis.call('SET', KEYS[3], ARGV[1])
redis.call('HSET', KEYS[1], 'discord_id', ARGV[1], 'threads_user_id', ARGV[2], 'threads_username', ARGV[3],
  'threads_connected_at', ARGV[4])
redis.call('HSETNX', KEYS[1], 'tier', ARGV[6])
redis.call('HSETNX', KEYS[1], 'points', 0)
return {'ok', current}
""")

# KEYS: connection, id key, username key. ARGV: member, the user id read before.
UNLINK_THREADS_LUA = checked("""
local bad = want(KEYS[1], 'hash') or want(KEYS[2], 'string') or want(KEYS[3], 'string')
if bad then return {'damaged', bad} end
if redis.call('HGET', KEYS[1], 'threads_user_id') ~= ARGV[2] then return {'stale', ''} end
for i = 2, 3 do
  if redis.call('GET', KEYS[i]) == ARGV[1] then redis.call('DEL', KEYS[i]) end
end
redis.call('HDEL', KEYS[1], 'threads_user_id', 'threads_username', 'threads_connected_at')
return {'ok', ARGV[2]}
""")


class ThreadsLinksMixin(StoreBase):
    async def link_threads_account(self, discord_id: str, user_id: str, username: str, connected_at: str) -> str | None:
        """Link (or move) the member's Threads account; returns the Threads user id it replaced."""
        for _ in range(3):
            raw = await self.read_hash(self.keys.connection(discord_id))
            old_id, old_name = raw.get("threads_user_id"), raw.get("threads_username")
            k = self.keys
            keys = [k.connection(discord_id), k.threads_id(user_id), k.threads_user(username)]
            keys += [k.threads_id(old_id) if old_id else keys[1], k.threads_user(old_name) if old_name else keys[2]]
            args: list[ArgT] = [discord_id, user_id, username.lower(), connected_at, old_id or "", 1]
            status, detail = texts(await self.run(LINK_THREADS_LUA, keys, args))
            if status == "taken":
                raise Refused("That Threads account is already linked to another member.")
            if status == "ok":
                return detail or None
        raise Refused("Your connection changed while linking; please try again.")

    async def unlink_threads_account(self, discord_id: str) -> tuple[str, str] | None:
        """Remove the member's Threads link (reverse keys too): (user id, username), None when there was none."""
        for _ in range(3):
            raw = await self.read_hash(self.keys.connection(discord_id))
            user_id, username = raw.get("threads_user_id"), raw.get("threads_username")
            if not user_id or not username:
                return None
            keys = [self.keys.connection(discord_id), self.keys.threads_id(user_id), self.keys.threads_user(username)]
            status, _ = texts(await self.run(UNLINK_THREADS_LUA, keys, [discord_id, user_id]))
            if status == "ok":
                return user_id, username
        raise Refused("Your connection changed while disconnecting; please try again.")
