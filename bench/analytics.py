"""The weekly report at scale: a community of 10,000 posts with 100 snapshots each (time and memory).

Run: `scripts/bench analytics [--posts N] [--snapshots N] [--samples N]`.

Loads the posts through the real Store calls (submissions created in pipelines, `published_at` spread over the
90 days up to the report's week end, 100 snapshots each, 14 minutes apart so none is thinned away), then times
`build_report` (read every post of the 90 days with its snapshots, compute every measure, score and
recommendation) and its two parts: loading from Redis (each post's hash and its newest 3 snapshots, all any
measure of a period reads) and computing. Memory: the snapshot lists' `MEMORY
USAGE` (per post and per snapshot), `INFO used_memory` before and after, and the Python peak while one report
is built (tracemalloc, a separate run: it slows the code it watches).
The server is `REDIS_URL` (a private key prefix, deleted after) or an embedded Valkey.
"""

from __future__ import annotations

import argparse
import random
import time
import tracemalloc
from typing import Any
from zoneinfo import ZoneInfo

from redis.asyncio import Redis

from bench._common import (
    bench_client,
    machine,
    positive_int,
    print_table,
    private_prefix,
    require,
    run_bench,
    server_info,
)
from bench._memory import key_bytes, used_memory
from bench._seed import UNLIMITED, discord_id, x_user_id
from engagement.analytics import (
    Counters,
    build_report,
    due_week,
    encode,
    load_post,
    load_posts,
    week_bounds,
    weekly_report,
)
from engagement.keys import Keys
from engagement.store import SnapshotWrite, Store, SubmissionDraft

UTC_ZONE = ZoneInfo("UTC")
DAY = 86_400.0
SPACING = 14 * 60  # seconds between a post's snapshots: each in its own 5-minute bucket of the first day
CHUNK = 1_000
MEMBERS = 200
MEMORY_SAMPLE = 200
CATEGORIES = ("general", "announcement", "thread", "meme", "art")


async def _create(store: Store, count: int, week_end: float, rng: random.Random) -> list[tuple[str, float]]:
    """`count` submissions; returns (submission id, published at) with times over the 90 days to `week_end`."""
    created: list[tuple[str, float]] = []
    for start in range(0, count, CHUNK):
        drafts = []
        for index in range(start, min(start + CHUNK, count)):
            author = index % MEMBERS
            tweet_id = str(1_880_000_000_000_000_000 + index)
            url = f"https://x.com/m{author}/status/{tweet_id}"
            category = CATEGORIES[index % len(CATEGORIES)]
            drafts.append(SubmissionDraft(tweet_id, url, x_user_id(author), f"m{author}", discord_id(author), category))
        outcomes = await store.create_submissions(drafts, UNLIMITED)
        published = {}
        for outcome in outcomes:
            require(isinstance(outcome, tuple), f"analytics: a submission was refused: {outcome}")
            assert isinstance(outcome, tuple)
            published[outcome[0].id] = week_end - rng.uniform(0, 90 * DAY)
        await store.update_submissions_fields({sid: {"published_at": at} for sid, at in published.items()})
        created += published.items()
    return created


def _series(submission_id: str, published: float, snapshots: int, rng: random.Random) -> list[SnapshotWrite]:
    likes = reposts = replies = quotes = 0
    impressions = rng.randint(200, 2_000)
    writes = []
    for n in range(1, snapshots + 1):
        likes += rng.randint(0, 6)
        reposts += rng.randint(0, 2)
        replies += rng.randint(0, 2)
        quotes += rng.randint(0, 1)
        impressions += rng.randint(20, 400)
        at = published + n * SPACING
        where, entry = encode(at, Counters(likes, reposts, replies, quotes, 0, impressions), published)
        writes.append(SnapshotWrite(submission_id, published, where, entry))
    return writes


async def _load(store: Store, options: argparse.Namespace, week_end: float) -> list[tuple[str, float]]:
    rng = random.Random(options.seed)
    posts = await _create(store, options.posts, week_end, rng)
    pending: list[SnapshotWrite] = []
    for submission_id, published in posts:
        pending += _series(submission_id, published, options.snapshots, rng)
        if len(pending) >= 10 * CHUNK:
            require(not await store.append_snapshots(pending), "analytics: a snapshot write was refused")
            pending = []
    require(not await store.append_snapshots(pending), "analytics: a snapshot write was refused")
    return posts


async def _timed(samples: int, call: Any) -> tuple[list[float], Any]:
    durations, result = [], None
    for _ in range(samples):
        started = time.perf_counter()
        result = await call()
        durations.append(time.perf_counter() - started)
    return durations, result


async def measure(client: Redis, prefix: str, options: argparse.Namespace) -> dict[str, Any]:
    store = Store(client, Keys(prefix))
    week = due_week(time.time(), UTC_ZONE)
    start, end = week_bounds(week, UTC_ZONE)
    before = await used_memory(client)
    loading_started = time.perf_counter()
    posts = await _load(store, options, end)
    load_seconds = time.perf_counter() - loading_started
    after = await used_memory(client)
    sample_ids = [submission_id for submission_id, _ in posts[:MEMORY_SAMPLE]]
    list_bytes = [await key_bytes(client, store.keys.snapshots(sid)) for sid in sample_ids]
    report_times, report = await _timed(options.samples, lambda: build_report(store, week, UTC_ZONE, time.time()))
    read_times, records = await _timed(options.samples, lambda: load_posts(store, end - 90 * DAY, end))
    require(len(records) == options.posts, f"analytics: {len(records)} of {options.posts} posts read back")
    require(all(len(r.snapshots) == min(3, options.snapshots) for r in records), "analytics: the newest 3 not read")
    whole = [await load_post(store, record.tweet_id) for record in records[:MEMORY_SAMPLE]]
    require(all(p is not None and len(p.snapshots) == options.snapshots for p in whole), "analytics: thinned away")
    compute_times, _ = await _timed(options.samples, _compute(week, records))
    tracemalloc.start()
    await build_report(store, week, UTC_ZONE, time.time())
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    in_week = sum(1 for _, published in posts if start <= published < end)
    require(report["summary"]["posts"] == in_week, "analytics: the report's week does not hold the week's posts")
    per_post = sum(list_bytes) / len(list_bytes)
    return {
        "week": week,
        "posts_in_week": in_week,
        "load_seconds": round(load_seconds, 2),
        "report_seconds": _stats(report_times),
        "read_seconds": _stats(read_times),
        "compute_seconds": _stats(compute_times),
        "python_peak_mib": round(peak / 2**20, 1),
        "snapshot_list_bytes_per_post": round(per_post),
        "bytes_per_snapshot": round(per_post / options.snapshots, 1),
        "info_used_memory_delta_mib": round((after - before) / 2**20, 1),
        "recommendations": report["recommendations"],
    }


def _compute(week: str, records: list[Any]) -> Any:
    async def compute() -> Any:
        return weekly_report(week, UTC_ZONE, records, [], time.time())

    return compute


def _stats(seconds: list[float]) -> dict[str, float]:
    ordered = sorted(seconds)
    return {"min": round(ordered[0], 3), "median": round(ordered[len(ordered) // 2], 3), "max": round(ordered[-1], 3)}


def show(options: argparse.Namespace, results: dict[str, Any]) -> None:
    rows = [
        [part, results[f"{part}_seconds"]["median"], results[f"{part}_seconds"]["max"]]
        for part in ("report", "read", "compute")
    ]
    title = f"weekly report {results['week']}: {options.posts:,} posts x {options.snapshots} snapshots"
    print_table(title, ["part", "median s", "max s"], rows)
    print_table(
        "memory",
        ["measure", "value"],
        [
            ["snapshot list per post (MEMORY USAGE)", f"{results['snapshot_list_bytes_per_post']:,} B"],
            ["per snapshot", f"{results['bytes_per_snapshot']} B"],
            ["INFO used_memory delta (posts + snapshots)", f"{results['info_used_memory_delta_mib']} MiB"],
            ["Python peak while building one report", f"{results['python_peak_mib']} MiB"],
        ],
    )


async def run(url: str, options: argparse.Namespace) -> dict[str, Any]:
    async with bench_client(url) as client, private_prefix(client) as prefix:
        results = await measure(client, prefix, options)
        show(options, results)
        return {
            "bench": "analytics",
            "machine": machine(),
            "redis": await server_info(client),
            "posts": options.posts,
            "snapshots": options.snapshots,
            "samples": options.samples,
            **results,
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=positive_int, default=10_000)
    parser.add_argument("--snapshots", type=positive_int, default=100, help="per post (at most 288 stay unthinned)")
    parser.add_argument("--samples", type=positive_int, default=3, help="timed reports")
    parser.add_argument("--seed", type=int, default=7)
    run_bench("analytics", parser, run)


if __name__ == "__main__":
    main()
