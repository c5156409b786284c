"""Command latency at scale: /stats, /leaderboard and /submit over 100,000 members and 1,000,000 award logs.

Run: `scripts/bench commands [--members N] [--logs N] [--samples N]` (or `.venv/bin/python -m bench.commands`).

Loads members through `Store.link_account`/`set_tier` and logs through `Store.award_engagement` (the real keys),
then times the core functions the slash commands call, one call at a time: `member_stats`, `leaderboard_page`
(first and 500th page) and `submit_tweet` (URL and category checks, connection, duplicate and daily-limit checks,
`create_submission`) with X answered in-process, so X's own latency is left out. Memory is `INFO memory` deltas
and `MEMORY USAGE` samples. The server is `REDIS_URL` (a private key prefix, deleted after) or an embedded Valkey.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from redis.asyncio import Redis

from bench._common import (
    bench_client,
    machine,
    percentiles,
    print_table,
    private_prefix,
    run_bench,
    server_info,
)
from bench._memory import memory_report, used_memory
from bench._seed import award_for, discord_id, run_bounded, seed_members, x_user_id
from engagement.keys import Keys
from engagement.services import Services
from engagement.settings import load_settings
from engagement.stats import leaderboard_page, member_stats
from engagement.store import Store
from engagement.submissions import submit_tweet
from engagement.x.models import Tweet, TweetLookup, XUser

ENGAGERS_PER_TWEET = 25
LOAD_CONCURRENCY = 64
WARMUP = 50
TARGET_P99_MS = 5.0
FIRST_SUBMITTED_TWEET = 2 * 10**15


class InProcessX:
    """Answers the one X call /submit makes from memory: tweet N is by member N mod `members`, posted just now."""

    def __init__(self, members: int) -> None:
        self.members = members

    async def lookup_tweets(self, ids: Sequence[str]) -> TweetLookup:
        found = {}
        for tweet_id in ids:
            author = (int(tweet_id) - FIRST_SUBMITTED_TWEET) % self.members
            found[tweet_id] = Tweet(
                id=tweet_id,
                author_id=x_user_id(author),
                author_username=f"m{author}",
                text="gm",
                conversation_id=tweet_id,
                created_at=datetime.now(UTC),
            )
        return TweetLookup(found=found, gone=frozenset())

    async def user_by_username(self, username: str) -> XUser | None:
        raise NotImplementedError("/connect is not benchmarked")

    async def find_post_with_text(self, username: str, text: str, *, start_time: datetime | None = None) -> Tweet:
        raise NotImplementedError("/connect is not benchmarked")


async def load_logs(store: Store, members: int, logs: int) -> None:
    started = time.perf_counter()

    async def pay(sequence: int) -> None:
        await store.award_engagement(award_for(sequence, members, ENGAGERS_PER_TWEET))
        if sequence and sequence % 100_000 == 0:
            print(f"  {sequence:,} logs, {sequence / (time.perf_counter() - started):,.0f}/s", flush=True)

    await run_bounded(range(logs), pay, LOAD_CONCURRENCY)


async def time_calls(call: Callable[[int], Awaitable[object]], samples: int) -> dict[str, float]:
    """Latency of `call(i)` for i in 0..samples-1, one at a time, after a short warm-up."""
    for i in range(WARMUP):
        await call(samples + i)
    durations = []
    for i in range(samples):
        started = time.perf_counter()
        await call(i)
        durations.append((time.perf_counter() - started) * 1000)
    return percentiles(durations)


def command_calls(services: Services, members: int) -> dict[str, Callable[[int], Awaitable[object]]]:
    stride = 7919  # spread the sampled members over the whole membership

    def member(i: int) -> str:
        return discord_id(i * stride % members)

    async def submit(i: int) -> object:
        tweet = FIRST_SUBMITTED_TWEET + i
        author = i % members
        return await submit_tweet(services, discord_id(author), f"https://x.com/m{author}/status/{tweet}", "meme")

    return {
        "/stats": lambda i: member_stats(services, member(i)),
        "/leaderboard page 1 (all-time)": lambda i: leaderboard_page(services, False, 0, member(i)),
        "/leaderboard page 500 (all-time)": lambda i: leaderboard_page(services, False, 499, member(i)),
        "/leaderboard page 1 (weekly)": lambda i: leaderboard_page(services, True, 0, member(i)),
        "/submit": submit,
    }


async def measure(client: Redis, prefix: str, options: argparse.Namespace) -> dict[str, Any]:
    store = Store(client, Keys(prefix))
    settings = load_settings(_env_file=None, key_prefix=prefix)
    services = Services(settings=settings, store=store, x=InProcessX(options.members))
    empty = await used_memory(client)
    started = time.perf_counter()
    await seed_members(store, options.members, LOAD_CONCURRENCY)
    with_members = await used_memory(client)
    print(f"loaded {options.members:,} members in {time.perf_counter() - started:.1f} s", flush=True)
    started = time.perf_counter()
    await load_logs(store, options.members, options.logs)
    load_seconds = time.perf_counter() - started
    print(f"loaded {options.logs:,} award logs in {load_seconds:.1f} s", flush=True)
    with_logs = await used_memory(client)
    memory = await memory_report(store, options, (empty, with_members, with_logs), ENGAGERS_PER_TWEET)
    latency = {}
    for name, call in command_calls(services, options.members).items():
        latency[name] = await time_calls(call, options.samples)
    return {"memory": memory, "latency": latency, "log_load_per_second": round(options.logs / load_seconds)}


def show(results: dict[str, Any]) -> None:
    print_table(
        f"core function latency, one call at a time (target p99 < {TARGET_P99_MS} ms)",
        ["command", "p50 ms", "p99 ms", "max ms", "target"],
        [
            [name, row["p50_ms"], row["p99_ms"], row["max_ms"], "ok" if row["p99_ms"] < TARGET_P99_MS else "MISSED"]
            for name, row in results["latency"].items()
        ],
    )
    memory = results["memory"]
    print_table(
        "Redis memory",
        ["what", "INFO used_memory delta", "MEMORY USAGE samples", "target"],
        [
            ["per member", memory["per_member_info"], memory["per_member_sampled"], "<= 1024 B"],
            ["per award log", memory["per_log_info"], memory["per_log_sampled"], "<= 250 B"],
        ],
    )
    parts = memory["per_log_sampled_parts"]
    print(
        f"per award log (samples): log hash {parts['hash']} B + entry in the member's log set "
        f"{parts['user_logs_entry']} B + entry in the tweet's log set {parts['tweet_logs_entry']} B"
    )


async def run(url: str, options: argparse.Namespace) -> dict[str, Any]:
    async with bench_client(url) as client, private_prefix(client) as prefix:
        results = await measure(client, prefix, options)
        show(results)
        return {
            "bench": "commands",
            "machine": machine(),
            "redis": await server_info(client),
            "members": options.members,
            "logs": options.logs,
            "samples": options.samples,
            "target_p99_ms": TARGET_P99_MS,
            **results,
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--logs", type=int, default=1_000_000)
    parser.add_argument("--samples", type=int, default=2_000, help="timed calls per command")
    run_bench("commands", parser, run)


if __name__ == "__main__":
    main()
