"""Award throughput: `award_engagement` into a real Redis at 1, 8 and 64 concurrent tasks, next to redis-benchmark.

Run: `scripts/bench awards` (or `.venv/bin/python -m bench.awards [--awards N] [--rb-requests N]`).

The server is `REDIS_URL` when set (only keys under a private `bench-awards-*` prefix are written, then deleted),
else an embedded Valkey with AOF. Every awarded tweet is submitted first (only a tracked tweet's engagement is
paid), and every award must come back AWARDED, else the bench fails. The ceiling is `redis-benchmark` on the same
server: SET, and EVALSHA of the very award script with the keys and arguments `award_engagement` sends, each plain
and pipelined (-P 16), at the same client counts; without redis-benchmark that comparison is left out.
"""

from __future__ import annotations

import argparse
import time
from typing import Any

from redis.asyncio import Redis

from bench import _seed as seed
from bench._common import (
    bench_client,
    machine,
    positive_int,
    print_table,
    private_prefix,
    run_bench,
    server_info,
)
from bench._redis_benchmark import (
    PLACEHOLDER_ID,
    award_script_command,
    find_redis_benchmark,
    run_redis_benchmark,
    set_command,
)
from engagement.keys import Keys
from engagement.models import Award
from engagement.store import AWARDED, Store

CONCURRENCY = (1, 8, 64)
MEMBERS = 1_000
ENGAGERS_PER_TWEET = 25
TARGET_RATIO = 0.30


async def measure_awards(store: Store, first: int, count: int, concurrency: int) -> dict[str, Any]:
    """Pay `count` new awards with `concurrency` tasks; returns awards/s (BenchFailure if one is refused)."""
    awards = [seed.award_for(first + i, MEMBERS, ENGAGERS_PER_TWEET) for i in range(count)]
    started = time.perf_counter()
    outcomes = await seed.pay_awards(
        store, lambda sequence: awards[sequence - first], range(first, first + count), concurrency
    )
    elapsed = time.perf_counter() - started
    seed.require_all_paid(outcomes, count, f"awards at {concurrency} tasks")
    paid = outcomes[AWARDED]
    return {
        "concurrency": concurrency,
        "awards": count,
        "awards_paid": paid,
        "seconds": round(elapsed, 3),
        "per_second": count / elapsed,
    }


def recorded_award() -> Award:
    """The award whose script call redis-benchmark repeats: member 0 reposts the placeholder tweet."""
    tier = seed.tier_of(0)
    points = seed.POINTS_BY_TYPE["retweet"] * tier
    return Award(PLACEHOLDER_ID, seed.x_user_id(0), seed.discord_id(0), "retweet", points, tier, "1")


async def ceiling_runs(binary: str | None, url: str, store: Store, requests: int) -> list[dict[str, Any]]:
    """redis-benchmark at each client count: SET and the award script, plain and pipelined."""
    if binary is None:
        return []
    await seed.submit_as_member(store, PLACEHOLDER_ID, 0)
    award_command = await award_script_command(store, recorded_award())
    commands = {"SET": set_command(store), "EVALSHA award": award_command}
    runs = []
    for clients in CONCURRENCY:
        for pipeline in (1, 16):
            for name, command in commands.items():
                rps = run_redis_benchmark(binary, url, command, clients=clients, pipeline=pipeline, requests=requests)
                runs.append({"command": name, "clients": clients, "pipeline": pipeline, "per_second": rps})
    return runs


def ceiling_for(runs: list[dict[str, Any]], command: str, clients: int, pipeline: int) -> float | None:
    for run in runs:
        if (run["command"], run["clients"], run["pipeline"]) == (command, clients, pipeline):
            return float(run["per_second"])
    return None


def summarise(ours: list[dict[str, Any]], runs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    rows = []
    for result in ours:
        clients = result["concurrency"]
        plain = ceiling_for(runs, "EVALSHA award", clients, 1)
        piped = ceiling_for(runs, "EVALSHA award", clients, 16)
        rows.append(
            {
                **result,
                "redis_benchmark_evalsha": plain,
                "redis_benchmark_evalsha_p16": piped,
                "ratio": None if plain is None else result["per_second"] / plain,
                "ratio_vs_p16": None if piped is None else result["per_second"] / piped,
            }
        )
    return rows


def rate(value: float | None) -> str:
    return "n/a" if value is None else f"{value:,.0f}"


def ratio(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0%}"


def show(rows: list[dict[str, Any]], runs: list[dict[str, Any]], binary: str | None) -> None:
    if binary is None:
        print_table(
            "award_engagement (redis-benchmark not found: no ceiling to compare with)",
            ["tasks", "awards/s", "awards paid"],
            [[r["concurrency"], rate(r["per_second"]), f"{r['awards_paid']:,}/{r['awards']:,}"] for r in rows],
        )
        print("\nredis-benchmark: not found on PATH (nor valkey-benchmark); ceiling and ratio not measured")
        return
    print_table(
        "award_engagement vs redis-benchmark EVALSHA of the same script (target ratio >= 30 %)",
        ["tasks", "awards/s", "awards paid", "rb EVALSHA/s", "ratio", "rb EVALSHA -P16/s", "ratio vs -P16"],
        [
            [
                r["concurrency"],
                rate(r["per_second"]),
                f"{r['awards_paid']:,}/{r['awards']:,}",
                rate(r["redis_benchmark_evalsha"]),
                ratio(r["ratio"]),
                rate(r["redis_benchmark_evalsha_p16"]),
                ratio(r["ratio_vs_p16"]),
            ]
            for r in rows
        ],
    )
    print_table(
        f"redis-benchmark ({binary})",
        ["command", "clients", "pipeline", "requests/s"],
        [[r["command"], r["clients"], r["pipeline"], rate(r["per_second"])] for r in runs],
    )


async def seed_world(client: Redis, prefix: str, awards: int) -> Store:
    """The members, and a submission for every tweet the `awards` awards are paid on."""
    store = Store(client, Keys(prefix))
    await seed.seed_members(store, MEMBERS)
    await seed.submit_awarded_tweets(store, seed.awarded_tweets(awards, ENGAGERS_PER_TWEET), MEMBERS)
    return store


async def run(url: str, options: argparse.Namespace) -> dict[str, Any]:
    async with bench_client(url) as client, private_prefix(client) as prefix:
        store = await seed_world(client, prefix, len(CONCURRENCY) * options.awards)
        ours = []
        for level, concurrency in enumerate(CONCURRENCY):
            ours.append(await measure_awards(store, level * options.awards, options.awards, concurrency))
        binary = find_redis_benchmark()
        runs = await ceiling_runs(binary, url, store, options.rb_requests)
        rows = summarise(ours, runs)
        show(rows, runs, binary)
        return {
            "bench": "awards",
            "machine": machine(),
            "redis": await server_info(client),
            "members": MEMBERS,
            "target_ratio": TARGET_RATIO,
            "redis_benchmark": binary or "not found on PATH (nor valkey-benchmark)",
            "ours": rows,
            "redis_benchmark_runs": runs,
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--awards", type=positive_int, default=20_000, help="awards paid at each concurrency level")
    parser.add_argument("--rb-requests", type=positive_int, default=100_000, help="requests per redis-benchmark run")
    run_bench("awards", parser, run)


if __name__ == "__main__":
    main()
