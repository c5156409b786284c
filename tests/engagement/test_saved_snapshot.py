"""The worker saves its monitoring figures each refresh; the Overview (panel and /admin overview) shows them while
they are fresh, and computes its own when they are stale, missing or unreadable."""

from __future__ import annotations

import logging

import pytest

from engagement.admin import overview
from engagement.monitoring import BatchMonitor, FiguresPace
from engagement.saved_snapshot import SAVED_TTL_SECONDS
from engagement.store import Store
from tests.engagement.admin.world import ALICE, BOB, CAROL, connect
from tests.engagement.test_monitoring import Limits


async def test_the_overview_shows_the_workers_saved_figures_while_fresh(store: Store) -> None:
    for member in (ALICE, BOB):
        await connect(store, member)
    await BatchMonitor(store, Limits(), 24).refresh()
    await connect(store, CAROL)  # after the worker's refresh: not in its figures yet
    assert (await overview(store, 24)).monitoring.connected_members == 2
    key = store.keys.monitoring_snapshot()
    assert 0 < await store.redis.ttl(key) <= SAVED_TTL_SECONDS  # the worker vouches for them this long
    await store.redis.delete(key)  # expired: the worker stopped refreshing, so the figures are computed now
    assert (await overview(store, 24)).monitoring.connected_members == 3


async def test_without_a_worker_the_figures_are_computed(store: Store) -> None:
    await connect(store, ALICE)
    assert await store.saved_monitoring_snapshot() is None
    assert (await overview(store, 24)).monitoring.connected_members == 1


async def test_an_unreadable_saved_snapshot_is_ignored_and_said(store: Store, caplog: pytest.LogCaptureFixture) -> None:
    await connect(store, ALICE)
    await store.save_monitoring_snapshot('{"at": "soon"}', SAVED_TTL_SECONDS)
    with caplog.at_level(logging.WARNING):
        assert (await overview(store, 24)).monitoring.connected_members == 1
    assert "saved monitoring snapshot is unreadable" in caplog.text


def test_slow_figures_are_computed_less_often_and_believed_longer() -> None:
    pace = FiguresPace()
    assert pace.due(0.0)
    pace.done_at, pace.took = 100.0, 20.0  # the last computation took 20 s
    assert not pace.due(100.0 + 99)  # at most every 5 x 20 s
    assert pace.due(100.0 + 100)
    assert pace.ttl() == 240  # past the next computation
    pace.took = 1.0
    assert pace.ttl() == SAVED_TTL_SECONDS
