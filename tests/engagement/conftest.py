"""The batch tests' world: members, tweets and awards on the fake X and the test's store."""

from __future__ import annotations

import pytest

from engagement.store import Store
from engagement.x import XClient
from sandbox.fake_x import FakeX
from tests.conftest import FakeClock
from tests.engagement.batch_world import BatchWorld


@pytest.fixture
def world(store: Store, fake_x: FakeX, x_client: XClient, clock: FakeClock) -> BatchWorld:
    return BatchWorld(store, fake_x, x_client, clock)
