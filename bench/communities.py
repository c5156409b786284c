"""Many communities on one X app: cost per cycle next to the same posts in one community, award wait, memory.

Run: `scripts/bench communities [--communities N] [--posts N] [--members N] [--shared N]`
(or `.venv/bin/python -m bench.communities`).

100 communities x 200 tracked posts, each community its own store under its own prefix with 20
members (5 of them shared with the next community), on one fake X with the standard limits and one
X client, so the app's budget is shared as in production (engagement.communities.run_cycle). A first
cycle records the counters; then the capacity bench's movement (the simulated day's share of posts
with a new engagement of each kind between two batches); then cycles 45 simulated minutes apart
until every community's batch completes with nothing carried over. The same 20,000 posts, members
and movement in ONE community are the comparison (goal: requests and $ within 5 %). Also: how long
each community waits for its first award after the change on X, and Redis memory per community.
The server is `REDIS_URL` or an embedded Valkey.
"""

from __future__ import annotations

import argparse
import time
from typing import Any

from redis.asyncio import Redis

from bench._common import BenchFailure, bench_client, machine, positive_int, print_table, run_bench, server_info
from bench._communities_world import (
    Award,
    CommunitiesWorld,
    Cycles,
    Layout,
    community_prefixes,
    stores_for,
    summed,
)
from bench._day import DAY_START, SimClock
from bench._floor import nearest_rank
from bench._memory import INFO_MIN_ITEMS, key_bytes, used_memory
from bench._strategies import BilledXClient, x_client
from engagement.settings import load_settings
from engagement.store import Store
from sandbox.fake_x import FakeX

MAX_CATCH_UP = 30  # cycles after the measured one before a community that never completes fails the bench
# The capacity bench's movement: the x_cost day's share of tracked posts whose counter of each kind moved
# between two batches (bench/BASELINE.md: like 3.3 %, retweet 1.8 %, reply 1.3 %, quote 0.6 %).
MOVEMENT = {"like": 0.0326, "retweet": 0.0184, "reply": 0.0126, "quote": 0.0063}
GOAL_RATIO = 1.05


def waits(
    world: CommunitiesWorld, paid: dict[Award, float], change_at: float, cycle_at: dict[float, int]
) -> dict[str, Any]:
    """Per community (of the many-communities layout): cycles and minutes from the change to its first, last award."""
    first: list[tuple[int, float]] = []
    last: list[float] = []
    for awards in world.expected_in.values():
        times = sorted(paid[award] for award in awards if award in paid)
        if times:
            first.append((cycle_at.get(times[0], -1), (times[0] - change_at) / 60))
            last.append((times[-1] - change_at) / 60)
    minutes = [m for _, m in first]
    return {
        "communities_with_awards": len(first),
        "first_award_cycles_max": max((c for c, _ in first), default=None),
        "first_award_minutes_p50": nearest_rank(minutes, 0.5),
        "first_award_minutes_max": max(minutes, default=None),
        "last_award_minutes_p50": nearest_rank(last, 0.5),
        "last_award_minutes_max": max(last, default=None),
    }


async def sampled_bytes(client: Redis, store: Store) -> dict[str, int]:
    """MEMORY USAGE of every key under one community's prefix."""
    keys = [key async for key in client.scan_iter(match=f"{store.keys.prefix}:*", count=1000)]
    return {"keys": len(keys), "bytes": sum([await key_bytes(client, key) for key in keys])}


async def run_world(
    client: Redis, layout: Layout, movement: dict[str, float], seed: int, merged: bool
) -> dict[str, Any]:
    """Populate one world (many communities, or `merged` into one), run its cycles, and collect its figures."""
    async with community_prefixes(client, 1 if merged else layout.communities) as prefixes:
        clock = SimClock(DAY_START.timestamp())
        fake = FakeX(clock=clock)
        await fake.start()
        x = x_client(fake, clock)
        world = CommunitiesWorld(fake, stores_for(client, prefixes, clock), clock, layout, seed)
        try:
            return await _measure(client, world, x, movement)
        finally:
            await x.aclose()
            await fake.close()


async def _measure(
    client: Redis, world: CommunitiesWorld, x: BilledXClient, movement: dict[str, float]
) -> dict[str, Any]:
    what = "one community" if world.merged else f"{len(world.stores)} communities"
    print(f"communities: {what}, populating...", flush=True)
    before = await used_memory(client)
    await world.populate()
    memory = {"used_memory_delta": await used_memory(client) - before, **await sampled_bytes(client, world.stores[0])}
    cycles = Cycles(world.stores, x, load_settings(_env_file=None, key_prefix=world.stores[0].keys.prefix), world.clock)
    first = await cycles.run()  # records every post's counters
    change_at = world.clock.now
    world.engage(movement)
    started = time.perf_counter()
    after = [await cycles.run()]
    while not after[-1].done and len(after) <= MAX_CATCH_UP:
        after.append(await cycles.run())
    seconds = time.perf_counter() - started
    if not after[-1].done:
        raise BenchFailure(f"communities: {what}: batches still partial or carrying over after {len(after)} cycles")
    paid = await world.paid_at()
    missing = world.expected - paid.keys()
    if missing:
        raise BenchFailure(
            f"communities: {what}: {len(missing)} of {len(world.expected)} awards missing after catch-up"
        )
    return {
        "stores": len(world.stores),
        "memory": memory,
        "first_cycle": first.as_json(),
        "measured_cycle": after[0].as_json(),
        "through_catch_up": summed(after),
        "catch_up_wall_seconds": round(seconds, 1),
        "awards_expected": len(world.expected),
        "awards_missing": len(missing),
        "awards_unexpected": len(paid.keys() - world.expected),
        "award_wait": waits(world, paid, change_at, {row.at: row.number - first.number for row in cycles.rows}),
    }


def ratios(many: dict[str, Any], one: dict[str, Any]) -> dict[str, Any]:
    """many/one for requests and $, for the measured cycle and the whole catch-up."""
    out: dict[str, Any] = {}
    for part in ("first_cycle", "measured_cycle", "through_catch_up"):
        out[part] = {
            figure: round(many[part][figure] / one[part][figure], 3) if one[part][figure] else None
            for figure in ("requests", "read_usd", "billed_usd")
        }
    checked = [value for part in ("measured_cycle", "through_catch_up") for value in out[part].values() if value]
    out["within_goal"] = all(value <= GOAL_RATIO for value in checked)
    return out


async def run(url: str, options: argparse.Namespace) -> dict[str, Any]:
    layout = Layout(options.communities, options.posts, options.members, options.shared)
    if not 0 <= layout.shared < layout.members:
        raise BenchFailure(f"communities: --shared {layout.shared} must be below --members {layout.members}")
    async with bench_client(url) as client:
        started = time.perf_counter()
        many = await run_world(client, layout, MOVEMENT, options.seed, merged=False)
        one = await run_world(client, layout, MOVEMENT, options.seed, merged=True)
        results = {
            "bench": "communities",
            "machine": machine(),
            "redis": await server_info(client),
            "layout": {**vars(layout), "accounts": layout.pool, "tracked_posts": layout.communities * layout.posts},
            "movement_per_cycle": MOVEMENT,
            "communities": many,
            "one_community": one,
            "ratio": ratios(many, one),
            "memory_per_community": _memory_per_community(many, one, layout),
            "wall_seconds": round(time.perf_counter() - started, 1),
        }
    show(results)
    return results


def _memory_per_community(many: dict[str, Any], one: dict[str, Any], layout: Layout) -> dict[str, int | None]:
    """INFO deltas per community (None below INFO_MIN_ITEMS posts: allocator steps swamp them) and one's keys."""
    enough = layout.communities * layout.posts >= INFO_MIN_ITEMS
    return {
        "info_delta": round(many["memory"]["used_memory_delta"] / layout.communities) if enough else None,
        "memory_usage_one_community": many["memory"]["bytes"],
        "same_posts_in_one_community": round(one["memory"]["used_memory_delta"] / layout.communities)
        if enough
        else None,
    }


def show(results: dict[str, Any]) -> None:
    _show_cost(results)
    _show_waits(results)
    memory, many = results["memory_per_community"], results["communities"]
    sampled = f"{memory['memory_usage_one_community']:,} B ({many['memory']['keys']} keys)"
    info, merged = (_bytes(memory[name]) for name in ("info_delta", "same_posts_in_one_community"))
    headers = ["INFO used_memory delta", "MEMORY USAGE of one community's keys", "same posts in one community, / N"]
    print_table("Redis memory per community", headers, [[info, sampled, merged]])
    print(f"wall time: {results['wall_seconds']} s")


def _show_cost(results: dict[str, Any]) -> None:
    layout, ratio = results["layout"], results["ratio"]
    rows: list[list[object]] = []
    for part in ("first_cycle", "measured_cycle", "through_catch_up"):
        for name in ("communities", "one_community"):
            f = results[name][part]
            reads = [f["requests"], f["posts_read"], f["users_read"], f"{f['read_usd']:.2f}", f"{f['billed_usd']:.2f}"]
            rows.append([part.replace("_", " "), name.replace("_", " "), f.get("cycles", 1), *reads])
        rows.append(
            ["", "ratio", "", ratio[part]["requests"], "", "", ratio[part]["read_usd"], ratio[part]["billed_usd"]]
        )
    headers = ["cycle", "world", "cycles", "requests", "posts read", "users read", "$ read", "$ billed once a day"]
    title = (
        f"{layout['communities']} communities x {layout['posts']} posts vs the same {layout['tracked_posts']:,} in one"
    )
    print_table(f"{title} (goal: ratio <= {GOAL_RATIO})", headers, rows)
    print(f"within goal: {ratio['within_goal']}")
    endpoints = []
    for name in ("communities", "one_community"):
        f = results[name]["measured_cycle"]
        by_endpoint = " ".join(f"{endpoint}={count}" for endpoint, count in f["requests_by_endpoint"].items())
        endpoints.append([name.replace("_", " "), by_endpoint, results[name]["catch_up_wall_seconds"]])
    print_table("measured cycle by endpoint", ["world", "requests", "wall s to catch up"], endpoints)


def _show_waits(results: dict[str, Any]) -> None:
    rows = []
    for name in ("communities", "one_community"):
        world = results[name]
        wait = world["award_wait"]
        figures = (
            "first_award_cycles_max",
            "first_award_minutes_p50",
            "first_award_minutes_max",
            "last_award_minutes_max",
        )
        paid = f"{world['awards_expected'] - world['awards_missing']}/{world['awards_expected']}"
        rows.append([name.replace("_", " "), wait["communities_with_awards"], *(wait[f] for f in figures), paid])
    headers = ["world", "groups", "first award max cycles", "first p50 min", "first max min", "last max min", "paid"]
    print_table("wait from the change on X to each community's awards", headers, rows)


def _bytes(value: int | None) -> str:
    return f"{value:,} B" if value is not None else f"n/a (< {INFO_MIN_ITEMS:,} posts)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--communities", type=positive_int, default=100)
    parser.add_argument("--posts", type=positive_int, default=200, help="tracked posts per community")
    parser.add_argument("--members", type=positive_int, default=20, help="members per community")
    parser.add_argument("--shared", type=int, default=5, help="of those, accounts also in the next community")
    parser.add_argument("--seed", type=int, default=13)
    run_bench("communities", parser, run)


if __name__ == "__main__":
    main()
