"""Shared plumbing of the store: the client, the key builder, time, decoding."""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from typing import Any

from redis.asyncio import Redis
from redis.asyncio.client import Pipeline
from redis.commands.core import AsyncScript

from engagement.keys import Keys

AUDIT_MAXLEN = 10_000


EncodedT = bytes | str
ArgT = str | int | float
FieldT = bytes | bytearray | memoryview | str | int | float


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


class StoreBase:
    """Holds the Redis client; the mixins of `Store` add the typed methods."""

    def __init__(self, redis: Redis, keys: Keys, clock: Any = time.time) -> None:
        self.redis = redis
        self.keys = keys
        self._clock = clock
        self._scripts: dict[str, AsyncScript] = {}

    def script(self, lua: str) -> AsyncScript:
        """The registered script for `lua` (EVALSHA, loading it once per server)."""
        if lua not in self._scripts:
            self._scripts[lua] = self.redis.register_script(lua)
        return self._scripts[lua]

    def now(self) -> float:
        return float(self._clock())

    def add_audit(self, pipe: Pipeline, actor: str, action: str, target: str, old: object, new: object) -> None:
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
