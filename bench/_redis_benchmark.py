"""Run `redis-benchmark` (or `valkey-benchmark`) against the bench server, as the ceiling to compare with."""

from __future__ import annotations

import csv
import shutil
import subprocess
from typing import Any
from urllib.parse import urlsplit

from engagement.models import Award
from engagement.store import AWARDED, Store
from engagement.store._base import ArgT

# The tweet of the recorded award (12 digits, like redis-benchmark's __rand_int__, which replaces it afterwards).
PLACEHOLDER_ID = "999999999999"
RANDOM_KEYSPACE = 100_000_000


class _RecordingStore(Store):
    """A Store that notes the keys and arguments of each script it runs (and runs it)."""

    calls: list[tuple[str, list[str], list[ArgT]]]

    async def run(self, lua: str, keys: list[str], args: list[ArgT]) -> Any:
        self.calls.append((lua, keys, args))
        return await super().run(lua, keys, args)


def find_redis_benchmark() -> str | None:
    return shutil.which("redis-benchmark") or shutil.which("valkey-benchmark")


def set_command(store: Store) -> list[str]:
    return ["SET", f"{store.keys.prefix}:rb:__rand_int__", "x"]


async def award_script_command(store: Store, award: Award) -> list[str]:
    """The EVALSHA `award_engagement` sends for `award`, a random tweet per call.

    Recorded from one real award of `award` (on tweet PLACEHOLDER_ID, whose submission must exist), so
    the keys and arguments are always the store's own. Every mention of the tweet becomes __rand_int__
    except its `tweetid` key, which the script only reads: each call is then a new award of a tracked tweet.
    """
    if award.tweet_id != PLACEHOLDER_ID:
        raise ValueError(f"record the award on tweet {PLACEHOLDER_ID}, not {award.tweet_id}")
    recorder = _RecordingStore(store.redis, store.keys, clock=store.now)
    recorder.calls = []
    if await recorder.award_engagement(award) != AWARDED:
        raise RuntimeError(f"the award recorded for redis-benchmark was refused: {award}")
    lua, keys, args = recorder.calls[-1]
    tracked = store.keys.tweet_id(PLACEHOLDER_ID)
    random_keys = [key if key == tracked else key.replace(PLACEHOLDER_ID, "__rand_int__") for key in keys]
    random_args = [str(arg).replace(PLACEHOLDER_ID, "__rand_int__") for arg in args]
    sha = str(await store.redis.script_load(lua))
    return ["EVALSHA", sha, str(len(keys)), *random_keys, *random_args]


def connection_args(url: str) -> list[str]:
    parts = urlsplit(url)
    args = ["-h", parts.hostname or "127.0.0.1", "-p", str(parts.port or 6379)]
    if parts.username and parts.password:
        args += ["--user", parts.username]
    if parts.password:
        args += ["-a", parts.password, "--no-auth-warning"]
    database = parts.path.strip("/")
    if database and database != "0":
        args += ["--dbnum", database]
    return args


def run_redis_benchmark(
    binary: str, url: str, command: list[str], *, clients: int, pipeline: int, requests: int
) -> float:
    """Requests per second of `command` at `clients` connections, `pipeline` commands per round trip."""
    args = [binary, *connection_args(url), "-c", str(clients), "-n", str(requests), "-P", str(pipeline)]
    args += ["-r", str(RANDOM_KEYSPACE), "--csv", *command]
    output = subprocess.run(args, check=True, capture_output=True, text=True, timeout=600).stdout
    rows = [row for row in csv.reader(output.splitlines()) if len(row) > 1 and row[0] != "test"]
    if not rows:
        raise RuntimeError(f"redis-benchmark printed no result: {output[-300:]!r}")
    return float(rows[-1][1])
