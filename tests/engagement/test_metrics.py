"""Metrics computed from Redis and scraped over HTTP from a running metrics server."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
import time
import urllib.request
from collections.abc import Iterator

import aiohttp
import pytest
from prometheus_client.parser import text_string_to_metric_families

from engagement.metrics import MetricsServer, collect_snapshot, start_metrics_server, update_metrics
from engagement.store import Store
from sandbox.fake_x import FakeX
from tests.conftest import FakeClock
from tests.engagement.admin.world import ALICE, BOB, CAROL, award, connect, submit
from tests.worker.test_main import one_engaged_submission

DAY = 24 * 3600
RATE_LIMITS = {
    "tweets_lookup": {"limit": 3500, "remaining": 3400, "reset_at": 1_795_090_000.0},
    "liking_users": {"limit": 75, "remaining": 5, "reset_at": 1_795_090_000.0},
    "retweeted_by": {"limit": None, "remaining": None, "reset_at": None},
}


@pytest.fixture
def metrics_server() -> Iterator[MetricsServer]:
    server = start_metrics_server(0, addr="127.0.0.1")
    yield server
    server.close()


async def scrape(server: MetricsServer) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample the server serves, by (name, sorted labels)."""

    def get() -> str:
        with urllib.request.urlopen(f"http://127.0.0.1:{server.port}/metrics", timeout=5) as response:
            return str(response.read().decode())

    text = await asyncio.to_thread(get)
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


async def batch(store: Store, clock: FakeClock, status: str, requests: dict[str, int], cost: str) -> None:
    batch_id = await store.start_batch({"started_at": int(clock.now)})
    fields: dict[str, str | int | float] = {"status": status, "finished_at": int(clock.now) + 30, "cost_usd": cost}
    fields.update({f"x_requests_{endpoint}": n for endpoint, n in requests.items()})
    await store.update_batch(batch_id, fields)


async def community(store: Store, clock: FakeClock) -> None:
    await batch(store, clock, "completed", {"tweets_lookup": 50}, "9.0")  # a day ago: not in the 24 h figures
    clock.advance(DAY + 3600)
    for member in (ALICE, BOB, CAROL):
        await connect(store, member)
    await submit(store, ALICE, "1850000000000000001")
    await submit(store, BOB, "1850000000000000002")
    await submit(store, ALICE, "1850000000000000003")
    await award(store, "1850000000000000001", BOB, "retweet", 2)
    await award(store, "1850000000000000001", CAROL, "reply", 3)
    await award(store, "1850000000000000002", ALICE, "like", 1)
    await batch(store, clock, "completed", {"tweets_lookup": 1, "retweeted_by": 2}, "0.0200")
    await batch(store, clock, "partial", {"tweets_lookup": 1, "liking_users": 3}, "0.0150")
    await batch(store, clock, "failed", {}, "0")
    await batch(store, clock, "interrupted", {}, "0")


async def test_snapshot_reflects_the_redis_state(store: Store, clock: FakeClock) -> None:
    await community(store, clock)
    await store.link_account("100000000000000009", "1009", "dave", "bio", "2026-11-18T00:00:00+00:00")
    await store.unlink_account("100000000000000009")
    snapshot = await collect_snapshot(store, 24, RATE_LIMITS)
    assert (snapshot.members, snapshot.connected_members, snapshot.daily_active_members) == (4, 3, 3)
    assert (snapshot.tweets_submitted_today, snapshot.tweets_in_window) == (3, 3)
    # each tweet's share of the 2 other connected members: 2/2, 1/2 and 0/2
    assert snapshot.engagement_rate_avg == pytest.approx(0.5)
    assert snapshot.batch_statuses == {"completed": 2, "partial": 1, "failed": 1, "interrupted": 1}
    assert snapshot.batch_success_rate == pytest.approx(3 / 5)
    assert snapshot.x_requests_24h == {"tweets_lookup": 2, "retweeted_by": 2, "liking_users": 3}
    assert snapshot.x_cost_usd_24h == pytest.approx(0.035)


@pytest.mark.redis
async def test_damaged_keys_leave_the_rest_of_the_snapshot_right(real_store: Store, clock: FakeClock) -> None:
    await community(real_store, clock)
    day = real_store.utc_day()
    await real_store.redis.set(real_store.keys.daily_submissions("100000000000000009", day), "oops")
    await real_store.redis.set(real_store.keys.user_logs("100000000000000009"), "oops")
    await real_store.redis.set(real_store.keys.connection("100000000000000009"), "oops")
    snapshot = await collect_snapshot(real_store, 24, RATE_LIMITS)
    assert (snapshot.connected_members, snapshot.daily_active_members) == (3, 3)
    assert snapshot.tweets_submitted_today == 3


async def test_scraped_metrics_match_the_redis_state(
    store: Store, clock: FakeClock, metrics_server: MetricsServer
) -> None:
    assert await scrape(metrics_server) == {}  # nothing is invented before the first read
    await community(store, clock)
    await update_metrics(store, metrics_server.collector, 24, RATE_LIMITS)
    samples = await scrape(metrics_server)

    def value(name: str, **labels: str) -> float:
        return samples[(name, tuple(sorted(labels.items())))]

    assert value("engagement_members") == 3
    assert value("engagement_connected_members") == 3
    assert value("engagement_daily_active_members") == 3
    assert value("engagement_tweets_submitted_today") == 3
    assert value("engagement_tweets_in_window") == 3
    assert value("engagement_engagement_rate_avg") == pytest.approx(0.5)
    assert value("engagement_member_points_bucket", le="0.0") == 0
    assert value("engagement_member_points_bucket", le="10.0") == 3
    assert value("engagement_member_points_bucket", le="+Inf") == 3
    assert value("engagement_member_points_count") == 3
    assert value("engagement_member_points_sum") == 6
    assert value("engagement_recent_batches", status="failed") == 1
    assert value("engagement_batch_success_ratio") == pytest.approx(3 / 5)
    assert value("engagement_x_requests_24h", endpoint="liking_users") == 3
    assert value("engagement_x_cost_usd_24h") == pytest.approx(0.035)
    assert value("engagement_x_rate_limit_remaining", endpoint="liking_users") == 5
    assert value("engagement_x_rate_limit_limit", endpoint="tweets_lookup") == 3500
    assert ("engagement_x_rate_limit_remaining", (("endpoint", "retweeted_by"),)) not in samples  # unknown yet
    assert value("engagement_metrics_updated_timestamp_seconds") == clock.now


async def test_the_bot_reads_the_rate_limits_the_worker_saved(store: Store, metrics_server: MetricsServer) -> None:
    await update_metrics(store, metrics_server.collector, 24, RATE_LIMITS)
    snapshot = await collect_snapshot(store, 24)  # no X client here, as in the bot
    assert snapshot.rate_limits == RATE_LIMITS


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.redis
async def test_a_running_worker_serves_metrics_of_the_redis_state(
    monkeypatch: pytest.MonkeyPatch, redis_url: str, key_prefix: str, real_store: Store, fake_x: FakeX, clock: FakeClock
) -> None:
    port = free_port()
    env = {"REDIS_URL": redis_url, "KEY_PREFIX": key_prefix, "X_API_BASE_URL": fake_x.base_url}
    env |= {"TWITTER_BEARER_TOKEN": fake_x.bearer_token, "METRICS_PORT": str(port), "LOG_LEVEL": "INFO"}
    clock.now = time.time()  # the worker process reads the real clock
    await one_engaged_submission(real_store, fake_x)
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "worker", env={**os.environ, **env}, stderr=asyncio.subprocess.PIPE
    )
    assert process.stderr is not None
    lines: list[str] = []
    try:
        async with asyncio.timeout(20):
            while not any("next batch at" in line for line in lines):
                lines.append((await process.stderr.readline()).decode())
                assert lines[-1], "".join(lines)
        async with aiohttp.ClientSession() as session, session.get(f"http://127.0.0.1:{port}/metrics") as response:
            text = await response.text()
    finally:
        process.send_signal(signal.SIGTERM)
        await asyncio.wait_for(process.wait(), 10)
    samples = {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }
    record = await real_store.get_batch("1")
    assert record["status"] == "completed"
    assert samples[("engagement_recent_batches", (("status", "completed"),))] == 1
    assert samples[("engagement_batch_success_ratio", ())] == 1
    assert samples[("engagement_x_requests_24h", (("endpoint", "tweets_lookup"),))] == int(
        record["x_requests_tweets_lookup"]
    )
    assert samples[("engagement_x_cost_usd_24h", ())] == pytest.approx(float(record["cost_usd"]))
    assert samples[("engagement_member_points_sum", ())] == (await real_store.rank_and_points("222", False))[1] == 2
    assert samples[("engagement_connected_members", ())] == 2
    assert samples[("engagement_tweets_submitted_today", ())] == 1
    assert samples[("engagement_daily_active_members", ())] == 2  # the submitter and the engager
    assert ("engagement_x_rate_limit_remaining", (("endpoint", "tweets_lookup"),)) in samples
    assert await real_store.next_batch_at() is not None  # for /admin overview
