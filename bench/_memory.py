"""Redis memory per member, per submission and per award log: `INFO memory` deltas and `MEMORY USAGE` samples."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import Any

from redis.asyncio import Redis

from bench._common import require
from bench._seed import FIRST_AWARDED_TWEET, discord_id, x_user_id
from engagement.store import Store

SAMPLE = 200
SETTLE_SECONDS = 30.0
INFO_MIN_ITEMS = 5_000  # below this, allocator and hash-table steps (up to ~1 MB) swamp an INFO delta


@dataclass
class UsedMemory:
    """INFO used_memory after each loading stage."""

    empty: int = 0
    with_members: int = 0
    with_submissions: int = 0
    with_logs: int = 0


@dataclass
class Loaded:
    """How many of each thing the bench loaded."""

    members: int
    submissions: int
    logs: int


async def used_memory(client: Redis) -> int:
    """INFO used_memory less client buffers, read once no lazy free is pending (an earlier run's UNLINKs).

    Both would otherwise move the figure by hundreds of KB while our keys are loading.
    """
    deadline = time.monotonic() + SETTLE_SECONDS
    while True:
        info = await client.info("memory")
        if int(info.get("lazyfree_pending_objects", 0)) == 0 or time.monotonic() > deadline:
            return int(info["used_memory"]) - int(info.get("mem_clients_normal", 0))
        await asyncio.sleep(0.05)


async def key_bytes(client: Redis, key: str) -> int:
    return int(await client.memory_usage(key, samples=0) or 0)


async def per_entry_bytes(client: Redis, keys: list[str]) -> float:
    """Average bytes per entry of the zsets `keys` (key overhead spread over its entries)."""
    total_bytes = total_entries = 0
    for key in keys:
        entries = int(await client.zcard(key))
        if entries:
            total_bytes += await key_bytes(client, key)
            total_entries += entries
    return total_bytes / total_entries if total_entries else 0.0


def spread(count: int) -> list[int]:
    """About SAMPLE indexes spread evenly over 0..count-1."""
    return list(range(0, count, max(count // SAMPLE, 1)))


async def member_bytes(store: Store, members: list[int]) -> float:
    """A member's own keys (connection hash, X id and handle lookups) plus their entries on both boards."""
    client, k = store.redis, store.keys
    own = 0
    for index in members:
        for key in (k.connection(discord_id(index)), k.x_user(x_user_id(index)), k.twitter_handle(f"m{index}")):
            own += await key_bytes(client, key)
    boards = await per_entry_bytes(client, [k.leaderboard_alltime()]) + await per_entry_bytes(
        client, [k.leaderboard_weekly(store.week())]
    )
    return own / len(members) + boards


async def submission_bytes(store: Store, tweets: list[int]) -> float:
    """A submission's hash and `tweetid` lookup, plus its entry in the recent-tweets index."""
    client, k = store.redis, store.keys
    own = 0
    for tweet in tweets:
        lookup = k.tweet_id(str(FIRST_AWARDED_TWEET + tweet))
        submission_id = await client.get(lookup)
        require(submission_id is not None, f"tweet {FIRST_AWARDED_TWEET + tweet} has no submission")
        own += await key_bytes(client, lookup) + await key_bytes(client, k.tweet(str(submission_id)))
    return own / len(tweets) + await per_entry_bytes(client, [k.tweets_recent()])


async def log_bytes(store: Store, members: list[int], tweets: int) -> dict[str, float]:
    """A log's hash, and its entries in the member's and in the tweet's log sets."""
    client, k = store.redis, store.keys
    log_ids: list[str] = []
    for index in members:
        log_ids += [str(log_id) for log_id in await client.zrange(k.user_logs(discord_id(index)), 0, 0)]
    require(bool(log_ids), f"none of {len(members)} sampled members has an award log")
    hashes = sum([await key_bytes(client, k.log(log_id)) for log_id in log_ids]) / len(log_ids)
    user_sets = await per_entry_bytes(client, [k.user_logs(discord_id(index)) for index in members])
    tweet_ids = [str(FIRST_AWARDED_TWEET + t) for t in spread(tweets)]
    tweet_sets = await per_entry_bytes(client, [k.tweet_logs(tweet_id) for tweet_id in tweet_ids])
    return {"hash": hashes, "user_logs_entry": user_sets, "tweet_logs_entry": tweet_sets}


async def memory_report(store: Store, loaded: Loaded, used: UsedMemory) -> dict[str, Any]:
    sampled = spread(loaded.members)
    log_parts = await log_bytes(store, sampled, loaded.submissions)
    report = {
        "used_memory_empty": used.empty,
        "used_memory_with_members": used.with_members,
        "used_memory_with_submissions": used.with_submissions,
        "used_memory_with_logs": used.with_logs,
        "per_member_info": info_per_item(used.empty, used.with_members, loaded.members),
        "per_submission_info": info_per_item(used.with_members, used.with_submissions, loaded.submissions),
        "per_log_info": info_per_item(used.with_submissions, used.with_logs, loaded.logs),
        "per_member_sampled": round(await member_bytes(store, sampled)),
        "per_submission_sampled": round(await submission_bytes(store, spread(loaded.submissions))),
        "per_log_sampled": round(sum(log_parts.values())),
        "per_log_sampled_parts": {part: round(value) for part, value in log_parts.items()},
    }
    require_plausible(report)
    return report


def info_per_item(before: int, after: int, items: int) -> int | None:
    """Bytes per item of an INFO delta; None (not measured) for fewer than INFO_MIN_ITEMS items."""
    return round((after - before) / items) if items >= INFO_MIN_ITEMS else None


def require_plausible(report: dict[str, Any]) -> None:
    """BenchFailure when a measured figure is impossible: nothing costs zero or negative bytes."""
    figures = {
        name: value for name, value in report.items() if name.startswith("per_") and name.endswith(("info", "sampled"))
    }
    figures |= {f"per_log_sampled_parts.{part}": value for part, value in report["per_log_sampled_parts"].items()}
    impossible = [f"{name} = {value} B" for name, value in figures.items() if value is not None and value <= 0]
    require(not impossible, "impossible memory figures (nothing was written?): " + ", ".join(impossible))
