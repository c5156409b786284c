"""Damage one key in every way a hand, an older version or a bug could, and check a write is all or nothing.

A `Write` is a healthy world (`setup`), one store call (`act`) and how to tell that the call went
through (`went_through`). `damage_cases` lists, for every key the call touches (the keys it passes
to its scripts and the keys it changes when healthy), every damage: each other Redis type, a
non-integer in each counter (hash fields `points`, `count_*`; integer strings), and the key missing.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import Any

from redis.asyncio import Redis

from engagement.errors import EngagementError
from engagement.store import Store
from engagement.store._base import StoreBase
from tests.conftest import dump_keyspace

INTEGER = re.compile(r"-?[0-9]+")
COUNTER_FIELD = re.compile(r"points|count_[a-z]+")  # the hash fields scripts do arithmetic on
NOT_INTEGERS = ("oops", "1.5", "")
WRONG_VALUES: dict[str, Callable[[Redis, str], Awaitable[Any]]] = {
    "string": lambda r, key: r.set(key, "oops"),
    "hash": lambda r, key: r.hset(key, "oops", "oops"),
    "list": lambda r, key: r.rpush(key, "oops"),
    "set": lambda r, key: r.sadd(key, "oops"),
    "zset": lambda r, key: r.zadd(key, {"oops": 1}),
    "stream": lambda r, key: r.xadd(key, {"oops": "oops"}),
}


@dataclass(frozen=True)
class Write:
    name: str
    setup: Callable[[Store], Awaitable[None]]
    act: Callable[[Store], Awaitable[Any]]
    went_through: Callable[[Any], bool]


@dataclass(frozen=True)
class Damage:
    key: str
    how: str
    apply: Callable[[Redis], Awaitable[Any]]


class KeyRecorder:
    """Wraps `StoreBase.run` to note every key a script is given, so untouched-but-read keys are damaged too."""

    def __init__(self) -> None:
        self.keys: set[str] = set()
        self._original = StoreBase.run

    def __enter__(self) -> KeyRecorder:
        original, seen = self._original, self.keys

        async def recording(store: StoreBase, lua: str, keys: list[str], args: list[Any]) -> Any:
            seen.update(keys)
            return await original(store, lua, keys, args)

        StoreBase.run = recording  # type: ignore[method-assign]
        return self

    def __exit__(self, *_: object) -> None:
        StoreBase.run = self._original  # type: ignore[method-assign]


async def clear(store: Store) -> None:
    keys = [key async for key in store.redis.scan_iter(match=f"{store.keys.prefix}:*")]
    if keys:
        await store.redis.delete(*keys)


def changed_keys(before: dict[str, Any], after: dict[str, Any], ignore: re.Pattern[str]) -> set[str]:
    names = set(before) | set(after)
    return {key for key in names if before.get(key) != after.get(key) and not ignore.search(key)}


async def healthy_run(store: Store, write: Write) -> tuple[set[str], set[str]]:
    """(keys the scripts were given, keys the call changed) in the healthy world."""
    await clear(store)
    await write.setup(store)
    before = await dump_keyspace(store.redis, f"{store.keys.prefix}:*")
    with KeyRecorder() as recorder:
        result = await write.act(store)
    assert write.went_through(result), f"{write.name}: the healthy call did not go through ({result!r})"
    after = await dump_keyspace(store.redis, f"{store.keys.prefix}:*")
    return recorder.keys, changed_keys(before, after, SEQUENCES(store))


def SEQUENCES(store: Store) -> re.Pattern[str]:
    """Id sequences: an id is reserved before the write, so a refused write may leave a gap, nothing else."""
    return re.compile(rf"^{re.escape(store.keys.prefix)}:seq:")


def damage_cases(key: str, healthy: tuple[str, Any] | None) -> Iterator[Damage]:
    kind = healthy[0] if healthy else None
    for other, make in WRONG_VALUES.items():
        if other != kind:
            yield Damage(key, f"a {other}", lambda r, key=key, make=make: _replace(r, key, make))
    if healthy and kind == "hash":
        for field, value in healthy[1].items():
            if COUNTER_FIELD.fullmatch(field) and INTEGER.fullmatch(value):
                for bad in NOT_INTEGERS:
                    yield Damage(key, f"{field}={bad!r}", lambda r, key=key, f=field, v=bad: r.hset(key, f, v))
    if healthy and kind == "string" and INTEGER.fullmatch(healthy[1]):
        for bad in NOT_INTEGERS:
            yield Damage(key, f"value {bad!r}", lambda r, key=key, v=bad: r.set(key, v))
    if healthy:
        yield Damage(key, "missing", lambda r, key=key: r.delete(key))


async def _replace(redis: Redis, key: str, make: Callable[[Redis, str], Awaitable[Any]]) -> None:
    await redis.delete(key)
    await make(redis, key)


async def run_damaged(store: Store, write: Write, damage: Damage) -> tuple[bool, set[str]]:
    """Set up, damage, act: (went through, keys changed by the call). Only a typed refusal may be raised."""
    await clear(store)
    await write.setup(store)
    await damage.apply(store.redis)
    before = await dump_keyspace(store.redis, f"{store.keys.prefix}:*")
    try:
        result = await write.act(store)
        went_through = write.went_through(result)
    except EngagementError:
        went_through = False
    after = await dump_keyspace(store.redis, f"{store.keys.prefix}:*")
    return went_through, changed_keys(before, after, SEQUENCES(store))
