"""Command latency at scale: /stats, /leaderboard, /submit and /shop over 100,000 members and 1,000,000 award logs.

Run: `scripts/bench commands [--members N] [--logs N] [--samples N]` (or `.venv/bin/python -m bench.commands`).

Loads members through `Store.link_account`/`set_tier`, a submission for every awarded tweet through
`Store.create_submission` (only a tracked tweet's engagement is paid), and logs through `Store.award_engagement`
(the real keys; every award must come back AWARDED, else the bench fails), then times the core functions the
slash commands call, one call at a time: `member_stats`, `leaderboard_page` (first and 500th page) and
`submit_tweet` (URL and category checks, connection, duplicate and daily-limit checks, `create_submission`) with
X answered in-process, so X's own latency is left out; then, with a shop of 20 rewards listed through
`shop.add_reward`, `shop_page` (/shop list) and `shop.redeem` (/shop redeem: each call a new member from the top of
the all-time board, a new request id, the 1-point reward; a refusal fails the bench). Memory is `INFO memory`
deltas and `MEMORY USAGE` samples; a figure of zero or fewer bytes fails the bench. The server is `REDIS_URL` (a
private key prefix, deleted after) or an embedded Valkey.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from redis.asyncio import Redis

from bench import _seed as seed
from bench._common import (
    BenchFailure,
    bench_client,
    machine,
    percentiles,
    print_table,
    private_prefix,
    run_bench,
    scale_options,
    server_info,
)
from bench._memory import INFO_MIN_ITEMS, Loaded, UsedMemory, memory_report, used_memory
from engagement import shop
from engagement.errors import Refused
from engagement.keys import Keys
from engagement.seasons import open_season, season_board
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
SHOP_REWARDS = 20
FIRST_REQUEST_ID = 1_400_000_000_000_000_000
SEASON_DAYS = 300  # open through the bench: every award it pays counts in the season


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
                author_id=seed.x_user_id(author),
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


async def load_logs(store: Store, members: int, logs: int, season_id: str = "") -> None:
    """Pay `logs` new awards (counted in `season_id`'s board when given); BenchFailure unless every one is paid."""
    started = time.perf_counter()

    def progress(sequence: int) -> None:
        if sequence and sequence % 100_000 == 0:
            print(f"  {sequence:,} logs, {sequence / (time.perf_counter() - started):,.0f}/s", flush=True)

    outcomes = await seed.pay_awards(
        store,
        lambda sequence: replace(seed.award_for(sequence, members, ENGAGERS_PER_TWEET), season_id=season_id),
        range(logs),
        LOAD_CONCURRENCY,
        progress,
    )
    seed.require_all_paid(outcomes, logs, "award logs")


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


async def seed_shop(store: Store) -> list[str]:
    """A shop of SHOP_REWARDS rewards (the first costs 1 point, unlimited); the members with points, best first."""
    for n in range(SHOP_REWARDS):
        stock, limit = (None, None) if n == 0 else (1_000 + n, 5 if n % 3 == 0 else None)
        checked = shop.check_reward(f"Bench reward {n:02d}", max(50 * n, 1), "seeded by the bench", stock, limit, None)
        await shop.add_reward(store, seed.discord_id(0), checked)
    return [member for member, points in await store.board_rows(None) if points >= 1]


def shop_calls(services: Services, members: int, redeemers: list[str]) -> dict[str, Callable[[int], Awaitable[object]]]:
    """/shop list for members spread over the membership; /shop redeem by a new member (and request) each call."""

    async def redeem(i: int) -> object:
        if i >= len(redeemers):
            raise BenchFailure(f"/shop redeem needs {i + 1} members with points; the board has {len(redeemers)}")
        try:
            return await shop.redeem(services.store, redeemers[i], "Bench reward 00", str(FIRST_REQUEST_ID + i))
        except Refused as refusal:
            raise BenchFailure(f"/shop redeem by member {redeemers[i]} was refused: {refusal}") from refusal

    return {
        "/shop": lambda i: shop.shop_page(services.store, seed.discord_id(i * 7919 % members)),
        "/shop redeem": redeem,
    }


def command_calls(services: Services, members: int) -> dict[str, Callable[[int], Awaitable[object]]]:
    stride = 7919  # spread the sampled members over the whole membership

    def member(i: int) -> str:
        return seed.discord_id(i * stride % members)

    async def submit(i: int) -> object:
        tweet = FIRST_SUBMITTED_TWEET + i
        author = i % members
        try:
            url = f"https://x.com/m{author}/status/{tweet}"
            return await submit_tweet(services, seed.discord_id(author), url, "meme")
        except Refused as refusal:
            raise BenchFailure(f"/submit of tweet {tweet} by member {author} was refused: {refusal}") from refusal

    return {
        "/stats": lambda i: member_stats(services, member(i)),
        "/leaderboard page 1 (all-time)": lambda i: leaderboard_page(services, False, 0, member(i)),
        "/leaderboard page 500 (all-time)": lambda i: leaderboard_page(services, False, 499, member(i)),
        "/leaderboard page 1 (weekly)": lambda i: leaderboard_page(services, True, 0, member(i)),
        "/leaderboard season page 1": lambda i: season_board(services, None, 0, member(i)),
        "/leaderboard season page 500": lambda i: season_board(services, None, 499, member(i)),
        "/submit": submit,
    }


async def measure(client: Redis, prefix: str, options: argparse.Namespace) -> dict[str, Any]:
    store = Store(client, Keys(prefix))
    settings = load_settings(_env_file=None, key_prefix=prefix)
    services = Services(settings=settings, store=store, x=InProcessX(options.members))
    loaded = Loaded(options.members, seed.awarded_tweets(options.logs, ENGAGERS_PER_TWEET), options.logs)
    used = UsedMemory(empty=await used_memory(client))
    started = time.perf_counter()
    await seed.seed_members(store, loaded.members, LOAD_CONCURRENCY)
    used.with_members = await used_memory(client)
    print(f"loaded {loaded.members:,} members in {time.perf_counter() - started:.1f} s", flush=True)
    started = time.perf_counter()
    await seed.submit_awarded_tweets(store, loaded.submissions, loaded.members, LOAD_CONCURRENCY)
    used.with_submissions = await used_memory(client)
    print(f"loaded {loaded.submissions:,} submissions in {time.perf_counter() - started:.1f} s", flush=True)
    season_end = datetime.fromtimestamp(time.time() + SEASON_DAYS * 86_400, UTC).strftime("%Y-%m-%d")
    season = await open_season(services, seed.discord_id(0), "Bench season", "now", season_end, 10)
    started = time.perf_counter()
    await load_logs(store, loaded.members, loaded.logs, season.id)  # every award in the season, as it runs
    load_seconds = time.perf_counter() - started
    print(f"loaded {loaded.logs:,} award logs in {load_seconds:.1f} s", flush=True)
    used.with_logs = await used_memory(client)
    memory = await memory_report(store, loaded, used)
    latency = {}
    for name, call in command_calls(services, options.members).items():
        latency[name] = await time_calls(call, options.samples)
    redeemers = await seed_shop(store)
    for name, call in shop_calls(services, options.members, redeemers).items():
        latency[name] = await time_calls(call, options.samples)
    return {"memory": memory, "latency": latency, "log_load_per_second": round(options.logs / load_seconds)}


def info(per_item: int | None) -> str:
    return f"n/a (< {INFO_MIN_ITEMS:,} loaded)" if per_item is None else str(per_item)


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
        ["what", "INFO used_memory delta (less client buffers)", "MEMORY USAGE samples", "target"],
        [
            ["per member", info(memory["per_member_info"]), memory["per_member_sampled"], "<= 1024 B"],
            ["per submission", info(memory["per_submission_info"]), memory["per_submission_sampled"], ""],
            ["per award log", info(memory["per_log_info"]), memory["per_log_sampled"], "<= 250 B"],
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
            "submissions": seed.awarded_tweets(options.logs, ENGAGERS_PER_TWEET),
            "samples": options.samples,
            "target_p99_ms": TARGET_P99_MS,
            **results,
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    scale_options(parser, logs=1_000_000, samples=2_000, what="calls per command")
    run_bench("commands", parser, run)


if __name__ == "__main__":
    main()
