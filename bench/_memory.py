"""Redis memory per member and per award log: `INFO memory` deltas and `MEMORY USAGE` samples."""

from __future__ import annotations

import argparse
from typing import Any

from redis.asyncio import Redis

from bench._seed import FIRST_AWARDED_TWEET, discord_id, x_user_id
from engagement.store import Store

SAMPLE = 200


async def used_memory(client: Redis) -> int:
    return int((await client.info("memory"))["used_memory"])


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


async def log_bytes(store: Store, members: list[int], tweets: int) -> dict[str, float]:
    """A log's hash, and its entries in the member's and in the tweet's log sets."""
    client, k = store.redis, store.keys
    log_ids: list[str] = []
    for index in members:
        log_ids += [str(log_id) for log_id in await client.zrange(k.user_logs(discord_id(index)), 0, 0)]
    if not log_ids:
        return {"hash": 0.0, "user_logs_entry": 0.0, "tweet_logs_entry": 0.0}
    hashes = sum([await key_bytes(client, k.log(log_id)) for log_id in log_ids]) / len(log_ids)
    user_sets = await per_entry_bytes(client, [k.user_logs(discord_id(index)) for index in members])
    step = max(tweets // SAMPLE, 1)
    tweet_ids = [str(FIRST_AWARDED_TWEET + t) for t in range(0, tweets, step)]
    tweet_sets = await per_entry_bytes(client, [k.tweet_logs(tweet_id) for tweet_id in tweet_ids])
    return {"hash": hashes, "user_logs_entry": user_sets, "tweet_logs_entry": tweet_sets}


async def memory_report(
    store: Store, options: argparse.Namespace, used: tuple[int, int, int], engagers_per_tweet: int
) -> dict[str, Any]:
    empty, with_members, with_logs = used
    sampled = list(range(0, options.members, max(options.members // SAMPLE, 1)))
    log_parts = await log_bytes(store, sampled, options.logs // engagers_per_tweet)
    return {
        "used_memory_empty": empty,
        "used_memory_with_members": with_members,
        "used_memory_with_logs": with_logs,
        "per_member_info": round((with_members - empty) / options.members),
        "per_log_info": round((with_logs - with_members) / max(options.logs, 1)),
        "per_member_sampled": round(await member_bytes(store, sampled)),
        "per_log_sampled": round(sum(log_parts.values())),
        "per_log_sampled_parts": {part: round(value) for part, value in log_parts.items()},
    }
