"""Fixtures: a started fake X on the test's loop, and an XClient pointed at it, both on the test's clock."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import pytest

from engagement.x import XClient
from sandbox.fake_x import FakeX

# Generous enough for a loaded 2-core machine; the timeout test makes its own, shorter client.
CLIENT_TIMEOUT = 2.0
RETRY_DELAYS = (0.01, 0.02)


@pytest.fixture
async def fake_x(clock: Callable[[], float]) -> AsyncIterator[FakeX]:
    fake = FakeX(clock=clock)
    await fake.start()
    yield fake
    await fake.close()


@pytest.fixture
async def x_client(fake_x: FakeX, clock: Callable[[], float]) -> AsyncIterator[XClient]:
    client = XClient(
        fake_x.base_url, fake_x.bearer_token, timeout=CLIENT_TIMEOUT, clock=clock, retry_delays=RETRY_DELAYS
    )
    yield client
    await client.aclose()
