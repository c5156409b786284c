"""Redis full (maxmemory reached, noeviction): writes refused whole, the worker says so in one line and in metrics.

Runs on a Valkey this module starts itself, since it changes the server's maxmemory.
"""

from __future__ import annotations

import asyncio
import logging

import pytest

from engagement.hourly import ALERT_INTERVAL
from engagement.metrics import SnapshotCollector, snapshot_metrics, update_metrics
from engagement.models import Award
from engagement.settings import load_settings
from engagement.storage import StorageWatch, is_storage_full, read_storage_use
from engagement.store import Store
from engagement.x import XClient
from tests.conftest import FakeClock, dump_keyspace, fill_up, track
from worker.scheduler import BatchRunner

pytestmark = pytest.mark.redis

MEMBER = "111111111111111111"
TWEET = "1850000000000000001"


@pytest.fixture
async def full_store(own_server_store: Store) -> Store:
    await track(own_server_store, TWEET)
    await own_server_store.link_account(MEMBER, "2244", "alice", "bio", "2026-11-18T00:00:00+00:00")
    await fill_up(own_server_store)
    return own_server_store


async def test_a_write_on_full_storage_is_refused_whole(full_store: Store) -> None:
    before = await dump_keyspace(full_store.redis)
    with pytest.raises(Exception, match="maxmemory") as refused:
        await full_store.award_engagement(Award(TWEET, "2244", MEMBER, "reply", 3, 1, "1"))
    assert is_storage_full(refused.value)
    assert await dump_keyspace(full_store.redis) == before


async def test_metrics_report_full_storage_and_still_update(full_store: Store) -> None:
    collector = SnapshotCollector()
    snapshot = await update_metrics(full_store, collector, 24, rate_limits={"tweets_lookup": {"remaining": 5}})
    assert snapshot.storage is not None
    assert snapshot.storage.full
    samples = {metric.name: metric.samples[0].value for metric in snapshot_metrics(snapshot) if metric.samples}
    assert samples["engagement_redis_storage_full"] == 1.0
    assert samples["engagement_redis_maxmemory_bytes"] == 1.0
    assert snapshot.connected_members == 1  # the reads behind the other figures still work


async def test_the_worker_logs_one_line_and_records_nothing(
    full_store: Store, x_client: XClient, caplog: pytest.LogCaptureFixture
) -> None:
    before = await dump_keyspace(full_store.redis)
    runner = BatchRunner(full_store, x_client, load_settings(), asyncio.Event())
    with caplog.at_level(logging.ERROR, logger="worker.scheduler"):
        assert await runner.run() is None
    lines = [record.getMessage() for record in caplog.records if record.name == "worker.scheduler"]
    assert lines == ["batch could not run: Redis storage is full (maxmemory), nothing can be recorded"]
    assert await dump_keyspace(full_store.redis) == before


async def test_the_storage_alert_goes_out_once_an_hour_without_a_redis_write(
    full_store: Store, clock: FakeClock
) -> None:
    watch = StorageWatch(clock)
    use = await read_storage_use(full_store)
    first = watch.alert_text(use)
    assert first is not None
    assert first.startswith("Redis storage is full")
    assert watch.alert_text(use) is None
    clock.advance(ALERT_INTERVAL)
    assert watch.alert_text(await read_storage_use(full_store)) is not None
