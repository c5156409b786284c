"""Shared plumbing of the store: the client, the key builder, time, decoding."""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any, Protocol, cast

from redis.asyncio import Redis
from redis.asyncio.client import Pipeline
from redis.asyncio.cluster import ClusterPipeline, RedisCluster
from redis.commands.core import AsyncScript
from redis.exceptions import ResponseError

from engagement.errors import DamagedData
from engagement.keys import Keys
from engagement.store._lua import DAMAGED, checked

AUDIT_MAXLEN = 10_000

NEXT_ID_LUA = checked("""
local bad = want_int_string(KEYS[1])
if bad then return {'damaged', bad} end
return redis.call('INCR', KEYS[1])
""")


EncodedT = bytes | str
ArgT = str | int | float
FieldT = bytes | bytearray | memoryview | str | int | float
# One server, or a cluster (`engagement.redis_conn.StoreCluster`) where every key of a call shares one slot.
StoreClient = Redis | RedisCluster
AnyPipeline = Pipeline | ClusterPipeline


def as_int(value: EncodedT | None, default: int = 0) -> int:
    return int(value) if value not in (None, "", b"") else default


# redis-py's annotations cannot say that decode_responses=True always gives str;
# these narrow what the client returns, in one place.
def text(value: EncodedT | None) -> str | None:
    return value.decode() if isinstance(value, bytes) else value


def texts(values: Iterable[Any]) -> list[str]:
    return [str(text(value)) for value in values]


def text_map(raw: Mapping[Any, Any]) -> dict[str, str]:
    return {str(text(key)): str(text(value)) for key, value in raw.items()}


def damage_from(key: str, kind: str, error: ResponseError) -> DamagedData:
    """What Redis's error on `key` (expected to be a `kind`) says about the stored data."""
    return DamagedData(f"{key} is not a {kind}" if str(error).startswith("WRONGTYPE") else f"{key}: {error}")


def hash_or_damage(key: str, raw: Any) -> dict[str, str] | DamagedData:
    """One HGETALL reply of a pipeline run with raise_on_error=False: the hash, or why it could not be read."""
    return damage_from(key, "hash", raw) if isinstance(raw, ResponseError) else text_map(raw)


@contextmanager
def wrong_type_is_damage(key: str, kind: str) -> Iterator[None]:
    """Turn Redis's WRONGTYPE error on `key` into DamagedData naming the key."""
    try:
        yield
    except ResponseError as error:
        if str(error).startswith("WRONGTYPE"):
            raise damage_from(key, kind, error) from error
        raise


class ScriptCall(Protocol):
    """A registered script: run on the client, or queued on a pipeline of either kind."""

    async def __call__(
        self, keys: list[str], args: list[ArgT], client: StoreClient | AnyPipeline | None = None
    ) -> Any: ...


class StoreBase:
    """Holds the Redis client; the mixins of `Store` add the typed methods."""

    def __init__(self, redis: StoreClient, keys: Keys, clock: Any = time.time) -> None:
        self.redis = redis
        self.keys = keys
        self._clock = clock
        self._scripts: dict[str, AsyncScript] = {}

    def script(self, lua: str) -> ScriptCall:
        """The registered script for `lua` (EVALSHA, loading it once per server)."""
        if lua not in self._scripts:
            self._scripts[lua] = self.redis.register_script(lua)
        # redis-py types `client` as a client only; a pipeline of either kind is what its pipelining expects.
        return cast(ScriptCall, self._scripts[lua])

    async def run(self, lua: str, keys: list[str], args: list[ArgT]) -> Any:
        """Run a script; its `{'damaged', problem}` refusal becomes DamagedData (it wrote nothing then)."""
        result = await self.script(lua)(keys=keys, args=args)
        if isinstance(result, list) and len(result) == 2 and text(result[0]) == DAMAGED:
            raise DamagedData(str(text(result[1])))
        return result

    async def next_id(self, sequence_key: str) -> str:
        """The next id of a sequence; DamagedData when the sequence is not a number."""
        return str(await self.run(NEXT_ID_LUA, [sequence_key], []))

    async def hash_field_exists(self, key: str, field: str) -> bool:
        """HEXISTS that reports a wrong-typed key as DamagedData instead of failing the caller."""
        with wrong_type_is_damage(key, "hash"):
            return bool(await self.redis.hexists(key, field))

    async def read_hash(self, key: str) -> dict[str, str]:
        """HGETALL that reports a wrong-typed key as DamagedData."""
        with wrong_type_is_damage(key, "hash"):
            return text_map(await self.redis.hgetall(key))

    async def read_string(self, key: str) -> str | None:
        """GET that reports a wrong-typed key as DamagedData."""
        with wrong_type_is_damage(key, "string"):
            return text(await self.redis.get(key))

    async def zset_members(self, key: str) -> list[str]:
        """ZRANGE of the whole set that reports a wrong-typed key as DamagedData."""
        with wrong_type_is_damage(key, "sorted set"):
            return texts(await self.redis.zrange(key, 0, -1))

    def now(self) -> float:
        return float(self._clock())

    def add_audit(self, pipe: AnyPipeline, actor: str, action: str, target: str, old: object, new: object) -> None:
        """Queue one audit entry (who, what, old, new, when) on `pipe`, inside the caller's transaction."""
        fields: dict[FieldT, FieldT] = {
            "actor": actor,
            "action": action,
            "target": target,
            "old": "" if old is None else str(old),
            "new": "" if new is None else str(new),
            "at": int(self.now()),
        }
        pipe.xadd(self.keys.audit(), fields, maxlen=AUDIT_MAXLEN, approximate=True)

    async def ping(self) -> bool:
        return bool(await self.redis.ping())
