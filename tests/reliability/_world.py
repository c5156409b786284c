"""A small engaged world for the reliability suite: a scenario on the fake X, its members and submissions
in a store, worker subprocesses against both, and a snapshot of everything an award writes.
"""

from __future__ import annotations

import asyncio
import os
import random
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from redis.asyncio import Redis

from bench._seed import enrol_scenario_members, submit_scenario_tweet
from engagement.keys import Keys
from engagement.store import Store
from engagement.x import ENDPOINTS
from sandbox.scenario import Scenario, generate_scenario
from tests.fakes.x_tokens import TEST_TOKEN_KEY

UNLIMITED_REQUESTS = 1_000_000


def engaged_scenario(seed: int, clock: Callable[[], float], members: int = 12, tweets: int = 16) -> Scenario:
    """Tweets of the last few hours with skewed engagement, on an unstarted fake X reading `clock`."""
    start = datetime.fromtimestamp(clock(), UTC) - timedelta(hours=4)
    scenario = generate_scenario(seed, members, tweets, start=start, span=timedelta(hours=2), clock=clock)
    assert scenario.expected_awards, "the world must have something to award"
    return scenario


def lift_rate_limits(scenario: Scenario) -> None:
    """For tests about crashes, not budgets: no endpoint runs out."""
    for endpoint in ENDPOINTS:
        scenario.fake.set_limit(endpoint, UNLIMITED_REQUESTS)


def add_engagement(scenario: Scenario, rng: random.Random, count: int) -> None:
    """`count` new engagements by members on random tweets: the world moves on between batches."""
    fake = scenario.fake
    for _ in range(count):
        tweet_id = rng.choice(list(scenario.tweets))
        engager = rng.choice([m.x_user_id for m in scenario.members if m.x_user_id != scenario.tweets[tweet_id]])
        kind = rng.choice(("like", "retweet", "reply", "quote"))
        if kind == "like":
            fake.like(engager, tweet_id)
        elif kind == "retweet":
            fake.retweet(engager, tweet_id)
        elif kind == "reply":
            fake.reply(engager, tweet_id)
        else:
            fake.quote(engager, tweet_id)


async def load_world(store: Store, scenario: Scenario) -> None:
    """Members linked (tiers, OAuth tokens) and every scenario tweet submitted by its author."""
    await enrol_scenario_members(store, scenario, "2026-11-01T00:00:00+00:00")
    for tweet_id in scenario.tweets:
        await submit_scenario_tweet(store, scenario, tweet_id)


async def lapse_lock(store: Store) -> None:
    """A dead worker's lock lapses after its TTL (two minutes); skip the wait by letting it lapse now."""
    await store.redis.pexpire(store.keys.batch_lock(), 1)
    await asyncio.sleep(0.005)


async def award_state(store: Store, scenario: Scenario) -> dict[str, Any]:
    """Everything awards write, without times and batch ids: logs, members' points and counts, boards."""
    logs = {}
    for tweet_id in scenario.tweets:
        for log in await store.logs_by_id(await store.tweet_log_ids(tweet_id)):
            logs[log.id] = (log.discord_id, log.type, log.points, log.tier)
    members = {}
    for member in scenario.members:
        connection = await store.get_connection(member.discord_id)
        assert connection is not None
        member_logs = await store.redis.zrange(store.keys.user_logs(member.discord_id), 0, -1)
        members[member.discord_id] = (connection.points, connection.counts, sorted(member_logs))
    boards = {}
    async for key in store.redis.scan_iter(match=f"{store.keys.prefix}:leaderboard:*"):
        boards[key.removeprefix(store.keys.prefix)] = await store.redis.zrange(key, 0, -1, withscores=True)
    return {"logs": logs, "members": members, "boards": boards}


async def batch_statuses(store: Store) -> list[str]:
    """Statuses of the recorded batches, oldest first."""
    ids = list(reversed(await store.recent_batch_ids(1000)))
    return [(await store.get_batch(batch_id)).get("status", "") for batch_id in ids]


@dataclass
class WorkerProcess:
    """`python -m worker --once` against the test's Redis and fake X, through the environment only."""

    redis_url: str
    prefix: str
    base_url: str
    bearer_token: str
    x_timeout_seconds: str = "5"

    def env(self) -> dict[str, str]:
        prefixes = ("REDIS_", "X_", "TWITTER_", "BATCH_")
        env = {name: value for name, value in os.environ.items() if not name.startswith(prefixes)}
        env.update(
            REDIS_URL=self.redis_url,
            KEY_PREFIX=self.prefix,
            X_API_BASE_URL=self.base_url,
            TWITTER_BEARER_TOKEN=self.bearer_token,
            X_TIMEOUT_SECONDS=self.x_timeout_seconds,
            LOG_LEVEL="WARNING",
            TOKEN_ENCRYPTION_KEYS=TEST_TOKEN_KEY.decode(),  # the members' X sign-ins are stored with it
            # These batches run seconds apart on the wall clock: every post is read by each of them, so that
            # none rests (BATCH_MAX_READ_GAP_MINUTES) by how the seconds fall.
            BATCH_MAX_READ_GAP_MINUTES="0",
        )
        return env

    async def start(self, cwd: str) -> asyncio.subprocess.Process:
        return await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "worker",
            "--once",
            env=self.env(),
            cwd=cwd,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )

    async def run(self, cwd: str) -> tuple[int, str]:
        """Run one batch to its end; returns the exit code and everything printed."""
        process = await self.start(cwd)
        out, err = await process.communicate()
        assert process.returncode is not None
        return process.returncode, (out + err).decode()


async def run_to_completion(worker: WorkerProcess, store: Store, cwd: str, most: int = 10) -> None:
    """Batches until one completes with nothing carried over."""
    for _ in range(most):
        code, output = await worker.run(cwd)
        assert code == 0, output
        ids = await store.recent_batch_ids(1)
        record = await store.get_batch(ids[0]) if ids else {}
        if "skipped" not in output and record.get("status") == "completed" and record.get("carried_over") == "0":
            return
        await lapse_lock(store)
    raise AssertionError(f"no completed batch after {most} runs")


def prefixed_store(client: Redis, prefix: str, clock: Callable[[], float] | None = None) -> Store:
    return Store(client, Keys(prefix)) if clock is None else Store(client, Keys(prefix), clock=clock)
