"""The worker saves its monitoring figures each refresh; the Overview (panel and /admin overview) shows them while
they are fresh, and computes its own when they are stale, missing or unreadable."""

from __future__ import annotations

import logging

import pytest

from engagement.admin import overview
from engagement.monitoring import BatchMonitor
from engagement.saved_snapshot import SAVED_TTL_SECONDS
from engagement.store import Store
from tests.conftest import FakeClock
from tests.engagement.admin.world import ALICE, BOB, CAROL, connect
from tests.engagement.test_monitoring import Limits


async def test_the_overview_shows_the_workers_saved_figures_while_fresh(store: Store, clock: FakeClock) -> None:
    for member in (ALICE, BOB):
        await connect(store, member)
    await BatchMonitor(store, Limits(), 24).refresh()
    await connect(store, CAROL)  # after the worker's refresh: not in its figures yet
    assert (await overview(store, 24)).monitoring.connected_members == 2
    clock.advance(SAVED_TTL_SECONDS + 1)  # the worker stopped refreshing: computed now instead
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
