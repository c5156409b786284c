"""Fixture: the fake Threads API, started on a loopback port with the test's clock."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import pytest

from sandbox.fake_threads import FakeThreads


@pytest.fixture
async def fake_threads(clock: Callable[[], float]) -> AsyncIterator[FakeThreads]:
    fake = FakeThreads(clock=clock)
    await fake.start()
    yield fake
    await fake.close()
