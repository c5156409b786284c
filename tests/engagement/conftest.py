"""The batch tests' world: members, tweets and awards on the fake X and the test's store."""

from __future__ import annotations

import pytest

from engagement.keys import Keys
from engagement.store import Store
from engagement.x import XClient
from sandbox.fake_x import FakeX
from tests.conftest import FakeClock
from tests.engagement.batch_world import BatchWorld


@pytest.fixture(params=["one community", "three communities"])
def world(
    request: pytest.FixtureRequest, store: Store, fake_x: FakeX, x_client: XClient, clock: FakeClock
) -> BatchWorld:
    """The batch tests run twice: the world's community alone, and last in a cycle after two others."""
    if request.param == "one community":
        return BatchWorld(store, fake_x, x_client, clock)
    neighbours = [Store(store.redis, Keys(f"{store.keys.prefix}-{n}"), clock=clock) for n in (2, 3)]
    return BatchWorld(store, fake_x, x_client, clock, neighbours=neighbours)
