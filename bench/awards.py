"""Award throughput: `award_engagement` into a real Redis at 1, 8 and 64 concurrent tasks, next to redis-benchmark.

Run: `scripts/bench awards` (or `.venv/bin/python -m bench.awards [--awards N] [--rb-requests N]`).

The server is `REDIS_URL` when set (only keys under a private `bench-awards-*` prefix are written, then deleted),
else an embedded Valkey with AOF. The ceiling is `redis-benchmark` on the same server: SET, and EVALSHA of the
very award script with the same seven keys, each plain and pipelined (-P 16), at the same client counts.
"""

from __future__ import annotations

import argparse
import time
from typing import Any

from redis.asyncio import Redis

from bench._common import (
    bench_client,
    machine,
    print_table,
    private_prefix,
    run_bench,
    server_info,
)
from bench._redis_benchmark import award_script_command, find_redis_benchmark, run_redis_benchmark, set_command
from bench._seed import award_for, discord_id, run_bounded, seed_members, x_user_id
from engagement.keys import Keys
from engagement.store import AWARDED, Store
from engagement.store._awards import AWARD_LUA

CONCURRENCY = (1, 8, 64)
MEMBERS = 1_000
ENGAGERS_PER_TWEET = 25
TARGET_RATIO = 0.30


async def measure_awards(store: Store, first: int, count: int, concurrency: int) -> dict[str, Any]:
    """Pay `count` new awards with `concurrency` tasks; returns awards/s."""
    awards = [award_for(first + i, MEMBERS, ENGAGERS_PER_TWEET) for i in range(count)]
    outcomes: list[int] = []

    async def pay(index: int) -> None:
        outcomes.append(await store.award_engagement(awards[index]))

    started = time.perf_counter()
    await run_bounded(range(count), pay, concurrency)
    elapsed = time.perf_counter() - started
    paid = sum(1 for outcome in outcomes if outcome == AWARDED)
    if paid != count:
        raise RuntimeError(f"expected {count} new awards, {paid} were paid")
    return {"concurrency": concurrency, "awards": count, "seconds": round(elapsed, 3), "per_second": count / elapsed}


def ceiling_runs(binary: str | None, url: str, store: Store, sha: str, requests: int) -> list[dict[str, Any]]:
    """redis-benchmark at each client count: SET and the award script, plain and pipelined."""
    if binary is None:
        return []
    award_command = award_script_command(store, sha, discord_id(0), x_user_id(0))
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


def show(rows: list[dict[str, Any]], runs: list[dict[str, Any]], binary: str | None) -> None:
    def rate(value: float | None) -> str:
        return "n/a" if value is None else f"{value:,.0f}"

    def ratio(value: float | None) -> str:
        return "n/a" if value is None else f"{value:.0%}"

    print_table(
        "award_engagement vs redis-benchmark EVALSHA of the same script (target ratio >= 30 %)",
        ["tasks", "awards/s", "rb EVALSHA/s", "ratio", "rb EVALSHA -P16/s", "ratio vs -P16"],
        [
            [
                r["concurrency"],
                rate(r["per_second"]),
                rate(r["redis_benchmark_evalsha"]),
                ratio(r["ratio"]),
                rate(r["redis_benchmark_evalsha_p16"]),
                ratio(r["ratio_vs_p16"]),
            ]
            for r in rows
        ],
    )
    if binary is None:
        print("\nredis-benchmark: not found on PATH (nor valkey-benchmark); ceiling and ratio not measured")
        return
    print_table(
        f"redis-benchmark ({binary})",
        ["command", "clients", "pipeline", "requests/s"],
        [[r["command"], r["clients"], r["pipeline"], rate(r["per_second"])] for r in runs],
    )


async def seed(client: Redis, prefix: str) -> Store:
    store = Store(client, Keys(prefix))
    await seed_members(store, MEMBERS)
    return store


async def run(url: str, options: argparse.Namespace) -> dict[str, Any]:
    async with bench_client(url) as client, private_prefix(client) as prefix:
        store = await seed(client, prefix)
        ours = []
        for level, concurrency in enumerate(CONCURRENCY):
            ours.append(await measure_awards(store, level * options.awards, options.awards, concurrency))
        sha = await client.script_load(AWARD_LUA)
        binary = find_redis_benchmark()
        runs = ceiling_runs(binary, url, store, sha, options.rb_requests)
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
    parser.add_argument("--awards", type=int, default=20_000, help="awards paid at each concurrency level")
    parser.add_argument("--rb-requests", type=int, default=100_000, help="requests per redis-benchmark run")
    run_bench("awards", parser, run)


if __name__ == "__main__":
    main()
