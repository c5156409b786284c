"""Member connections: link, unlink, tier, pending verification codes."""

from __future__ import annotations

from engagement.errors import DamagedData, Refused
from engagement.keys import split_award_log_id
from engagement.models import Connection
from engagement.store._awards import MAX_PAST_ACCOUNTS, past_accounts
from engagement.store._base import AUDIT_MAXLEN, ArgT, StoreBase, as_int, text, text_map, texts
from engagement.store._lua import checked
from engagement.validation import ENGAGEMENT_TYPES

VERIFICATION_TTL = 15 * 60
LINK_FIELDS = ("x_user_id", "handle", "connected_at", "verified_by")

# Moves the link atomically: new reverse keys set, old ones removed, tier and
# points kept. Refuses an X account linked to another member, and a stale read.
# `past_x_ids` gains the account being replaced: a member is paid once per (tweet, type) whichever account engaged.
LINK_LUA = checked("""
local bad = want(KEYS[1], 'hash') or want(KEYS[2], 'string') or want(KEYS[3], 'string') or want(KEYS[4], 'string')
  or want(KEYS[5], 'string')
if bad then return {'damaged', bad} end
local owner = redis.call('GET', KEYS[2])
if owner and owner ~= ARGV[1] then return {'taken', owner} end
local current = redis.call('HGET', KEYS[1], 'x_user_id') or ''
if current ~= ARGV[6] then return {'stale', current} end
if (redis.call('HGET', KEYS[1], 'past_x_ids') or '') ~= ARGV[8] then return {'stale', current} end
if KEYS[4] ~= KEYS[2] and redis.call('GET', KEYS[4]) == ARGV[1] then redis.call('DEL', KEYS[4]) end
if KEYS[5] ~= KEYS[3] and redis.call('GET', KEYS[5]) == ARGV[1] then redis.call('DEL', KEYS[5]) end
redis.call('SET', KEYS[2], ARGV[1])
redis.call('SET', KEYS[3], ARGV[1])
redis.call('HSET', KEYS[1], 'discord_id', ARGV[1], 'x_user_id', ARGV[2], 'handle', ARGV[3],
  'connected_at', ARGV[4], 'verified_by', ARGV[5])
redis.call('HSET', KEYS[1], 'past_x_ids', ARGV[9])
redis.call('HSETNX', KEYS[1], 'tier', ARGV[7])
redis.call('HSETNX', KEYS[1], 'points', 0)
return {'ok', current}
""")

# Refuses a stale read (the link moved since): it would leave the new reverse keys behind.
UNLINK_LUA = checked("""
local bad = want(KEYS[1], 'hash') or want(KEYS[2], 'string') or want(KEYS[3], 'string')
if bad then return {'damaged', bad} end
if redis.call('HGET', KEYS[1], 'x_user_id') ~= ARGV[2] then return -1 end
if (redis.call('HGET', KEYS[1], 'past_x_ids') or '') ~= ARGV[3] then return -1 end
if redis.call('GET', KEYS[2]) == ARGV[1] then redis.call('DEL', KEYS[2]) end
if redis.call('GET', KEYS[3]) == ARGV[1] then redis.call('DEL', KEYS[3]) end
redis.call('HSET', KEYS[1], 'past_x_ids', ARGV[4])
return redis.call('HDEL', KEYS[1], 'x_user_id', 'handle', 'connected_at', 'verified_by')
""")

SET_TIER_LUA = checked("""
local bad = want(KEYS[1], 'hash') or want(KEYS[2], 'stream')
if bad then return {'damaged', bad} end
local old = redis.call('HGET', KEYS[1], 'tier')
if not (redis.call('HGET', KEYS[1], 'x_user_id') or redis.call('HGET', KEYS[1], 'threads_user_id')) then
  return false
end
redis.call('HSET', KEYS[1], 'tier', ARGV[1])
redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[2], '*', 'actor', ARGV[3], 'action', 'tier',
  'target', ARGV[4], 'old', old or '', 'new', ARGV[1], 'at', ARGV[5])
return old or ''
""")


def _connection_from_hash(raw: dict[str, str]) -> Connection:
    return Connection(
        discord_id=raw["discord_id"],
        x_user_id=raw.get("x_user_id"),
        handle=raw.get("handle"),
        tier=as_int(raw.get("tier"), 1),
        points=as_int(raw.get("points")),
        connected_at=raw.get("connected_at"),
        verified_by=raw.get("verified_by"),
        counts={kind: as_int(raw.get(f"count_{kind}")) for kind in ENGAGEMENT_TYPES},
        threads_user_id=raw.get("threads_user_id"),
        threads_username=raw.get("threads_username"),
    )


class ConnectionsMixin(StoreBase):
    async def get_connection(self, discord_id: str) -> Connection | None:
        return self._connection(discord_id, await self.read_hash(self.keys.connection(discord_id)))

    def _connection(self, discord_id: str, raw: dict[str, str]) -> Connection | None:
        """The member's record from its hash; DamagedData when a count in it is not a number."""
        try:
            return _connection_from_hash(raw) if raw.get("discord_id") else None
        except ValueError as error:
            raise DamagedData(f"{self.keys.connection(discord_id)} has a count that is not a number") from error

    async def member_for_x_user(self, x_user_id: str) -> str | None:
        return text(await self.redis.get(self.keys.x_user(x_user_id)))

    async def members_for_x_users(self, x_user_ids: list[str]) -> dict[str, str]:
        """Linked members of many engaging accounts at once (X user ids, Threads refs): {ref: discord_id}."""
        if not x_user_ids:
            return {}
        owners = await self.redis.mget([self.keys.account(x) for x in x_user_ids])
        return {x: str(text(owner)) for x, owner in zip(x_user_ids, owners, strict=True) if owner}

    async def remember_display_name(self, discord_id: str, name: str) -> None:
        await self.redis.hset(self.keys.display_names(), discord_id, name)

    async def display_names(self, discord_ids: list[str]) -> dict[str, str]:
        """The remembered names of those members that have one."""
        if not discord_ids:
            return {}
        names = await self.redis.hmget(self.keys.display_names(), discord_ids)
        return {member: str(text(name)) for member, name in zip(discord_ids, names, strict=True) if name}

    async def link_account(
        self, discord_id: str, x_user_id: str, handle: str, verified_by: str, connected_at: str
    ) -> str | None:
        """Link (or move) the member's X account; returns the X user id it replaced."""
        for _ in range(3):
            raw = await self.read_hash(self.keys.connection(discord_id))
            old_x, old_handle = raw.get("x_user_id"), raw.get("handle")
            past = [x for x in await self._accounts_so_far(discord_id, raw) if x != x_user_id]
            if len(past) > MAX_PAST_ACCOUNTS:
                raise Refused(f"You have linked {len(past)} X accounts already; ask an admin to link another one.")
            k = self.keys
            keys = [k.connection(discord_id), k.x_user(x_user_id), k.twitter_handle(handle)]
            keys += [k.x_user(old_x) if old_x else keys[1], k.twitter_handle(old_handle) if old_handle else keys[2]]
            args: list[ArgT] = [discord_id, x_user_id, handle.lower(), connected_at, verified_by, old_x or "", 1]
            args += [raw.get("past_x_ids", ""), ",".join(past)]
            status, detail = texts(await self.run(LINK_LUA, keys, args))
            if status == "taken":
                raise Refused("That X account is already linked to another member.")
            if status == "ok":
                return detail or None
        raise Refused("Your connection changed while linking; please try again.")

    async def _accounts_so_far(self, discord_id: str, raw: dict[str, str]) -> list[str]:
        """Every X account the member has linked, the current one included, from their connection hash `raw`."""
        past = list(past_accounts(raw.get("past_x_ids")))
        if "past_x_ids" not in raw:  # linked before accounts were remembered: recover them from the award logs
            log_ids = await self.zset_members(self.keys.user_logs(discord_id))
            past += [parts[1] for parts in map(split_award_log_id, log_ids) if parts]
        if raw.get("x_user_id"):
            past.append(raw["x_user_id"])
        return list(dict.fromkeys(past))

    async def unlink_account(self, discord_id: str) -> Connection | None:
        """Remove the member's link (reverse keys too); tier and points stay."""
        for _ in range(3):
            raw = await self.read_hash(self.keys.connection(discord_id))
            current = self._connection(discord_id, raw)
            if current is None or current.x_user_id is None or current.handle is None:
                return None
            k = self.keys
            keys = [k.connection(discord_id), k.x_user(current.x_user_id), k.twitter_handle(current.handle)]
            past = ",".join(await self._accounts_so_far(discord_id, raw))
            args: list[ArgT] = [discord_id, current.x_user_id, raw.get("past_x_ids", ""), past]
            if as_int(await self.run(UNLINK_LUA, keys, args)) >= 0:
                return current
        raise Refused("Your connection changed while disconnecting; please try again.")

    async def set_tier(self, actor_id: str, discord_id: str, tier: int) -> int | None:
        """Set a connected member's tier and audit it in one step; returns the old tier, None if not connected."""
        keys = [self.keys.connection(discord_id), self.keys.audit()]
        args: list[ArgT] = [tier, AUDIT_MAXLEN, actor_id, discord_id, int(self.now())]
        old = await self.run(SET_TIER_LUA, keys, args)
        return None if old is None else as_int(text(old), 1)

    async def save_verification(self, discord_id: str, code: str, handle: str) -> None:
        key = self.keys.verification(discord_id)
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.delete(key)
            pipe.hset(key, mapping={"code": code, "handle": handle})
            pipe.expire(key, VERIFICATION_TTL)
            await pipe.execute()

    async def get_verification(self, discord_id: str) -> dict[str, str]:
        return text_map(await self.redis.hgetall(self.keys.verification(discord_id)))

    async def clear_verification(self, discord_id: str) -> None:
        await self.redis.delete(self.keys.verification(discord_id))
