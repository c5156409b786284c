"""Run `redis-benchmark` (or `valkey-benchmark`) against the bench server, as the ceiling to compare with."""

from __future__ import annotations

import csv
import shutil
import subprocess
from urllib.parse import urlsplit

from engagement.keys import award_log_id
from engagement.store import Store
from engagement.store._awards import WEEKLY_BOARD_TTL

# A valid 12-digit id stands in while the real key builders run, then becomes redis-benchmark's placeholder.
PLACEHOLDER_ID = "999999999999"
RANDOM_KEYSPACE = 100_000_000


def find_redis_benchmark() -> str | None:
    return shutil.which("redis-benchmark") or shutil.which("valkey-benchmark")


def set_command(store: Store) -> list[str]:
    return ["SET", f"{store.keys.prefix}:rb:__rand_int__", "x"]


def award_script_command(store: Store, sha: str, discord_id: str, x_user_id: str) -> list[str]:
    """EVALSHA of the award script with the seven keys `award_engagement` passes, a random tweet per call."""
    k = store.keys
    log_id = award_log_id(PLACEHOLDER_ID, x_user_id, "retweet")
    keys = [
        k.log(log_id),
        k.user_logs(discord_id),
        k.tweet_logs(PLACEHOLDER_ID),
        k.connection(discord_id),
        k.leaderboard_alltime(),
        k.leaderboard_weekly(store.week()),
        k.x_user(x_user_id),
    ]
    args = [discord_id, PLACEHOLDER_ID, "retweet", "2", "1", "1", str(int(store.now())), log_id, str(WEEKLY_BOARD_TTL)]
    command = ["EVALSHA", sha, str(len(keys)), *keys, *args]
    return [part.replace(PLACEHOLDER_ID, "__rand_int__") for part in command]


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
