from __future__ import annotations

import json

import pytest

from engagement.admin import batch_details, batch_history, request_batch_run
from engagement.admin._batches import BATCHES_PAGE_SIZE
from engagement.errors import InvalidInput, Refused
from engagement.store import Store
from tests.conftest import FakeClock
from tests.engagement.admin.world import ADMIN, keyspace


async def record_batch(store: Store, clock: FakeClock, status: str, **fields: str | int) -> str:
    batch_id = await store.start_batch({"started_at": int(clock.now), "worker": "host:1"})
    clock.advance(42)
    if status != "running":
        final: dict[str, str | int | float] = {"status": status, "finished_at": int(clock.now), "awards": 3}
        final.update({"points_awarded": 9, "x_requests": 5, "cost_usd": "0.0350", "x_requests_tweets_lookup": 1})
        final.update({"x_requests_retweeted_by": 4, "errors": json.dumps(["quote_tweets: rate limit reached"])})
        final.update(fields)
        await store.update_batch(batch_id, final)
    clock.advance(1800)
    return batch_id


async def test_history_pages_and_details(store: Store, clock: FakeClock) -> None:
    ids = [await record_batch(store, clock, "completed") for _ in range(BATCHES_PAGE_SIZE + 2)]
    page = await batch_history(store)
    assert (page.page, page.pages, page.total) == (1, 2, BATCHES_PAGE_SIZE + 2)
    assert [batch.id for batch in page.batches] == ids[::-1][:BATCHES_PAGE_SIZE]
    assert [batch.id for batch in (await batch_history(store, 2)).batches] == ids[:2][::-1]
    details = await batch_details(store, ids[0])
    assert (details.status, details.duration, details.awards, details.points_awarded) == ("completed", 42, 3, 9)
    assert (details.x_requests, details.cost_usd, details.worker) == (5, 0.035, "host:1")
    assert details.requests_by_endpoint == {"tweets_lookup": 1, "retweeted_by": 4}
    assert details.errors == ["quote_tweets: rate limit reached"]


async def test_a_running_batch_has_no_duration(store: Store, clock: FakeClock) -> None:
    batch_id = await record_batch(store, clock, "running")
    details = await batch_details(store, batch_id)
    assert (details.status, details.duration) == ("running", None)


async def test_unknown_or_bad_batch_id_is_refused(store: Store) -> None:
    with pytest.raises(Refused):
        await batch_details(store, "77")
    with pytest.raises(InvalidInput):
        await batch_details(store, "abc")


async def test_batch_run_is_queued_once_and_refused_while_running(any_store: Store) -> None:
    await request_batch_run(any_store, ADMIN)
    assert await any_store.redis.lrange(any_store.keys.batch_requests(), 0, -1) == [ADMIN]
    with pytest.raises(Refused, match="already requested"):
        await request_batch_run(any_store, ADMIN)
    assert await any_store.take_batch_requests() == [ADMIN]  # what the worker does
    assert await any_store.acquire_batch_lock("worker-token", 10_000)
    before = await keyspace(any_store)
    with pytest.raises(Refused, match="running"):
        await request_batch_run(any_store, ADMIN)
    assert await keyspace(any_store) == before
    assert [entry["action"] for entry in await any_store.audit_entries()] == ["batch-run"]
