"""Fixtures of the cluster tests: one local cluster per session, and stores on it under a hash-tagged prefix.

`store`, `real_store` and `world` are overridden here, so batch tests imported into this folder run
unchanged on the cluster.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator

import pytest

from engagement.keys import Keys, hash_tagged
from engagement.redis_conn import StoreCluster, connect_cluster
from engagement.store import Store
from engagement.x import XClient
from sandbox.fake_x import FakeX
from tests.cluster.local_cluster import LocalCluster
from tests.conftest import FakeClock, close_after_deleting
from tests.engagement.batch_world import BatchWorld

log = logging.getLogger(__name__)


@pytest.fixture(scope="session")
def local_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalCluster]:
    cluster = LocalCluster(tmp_path_factory.mktemp("cluster"))
    try:
        log.info("local cluster ready in %.2f s", cluster.start())
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture
async def cluster_client(local_cluster: LocalCluster, key_prefix: str) -> AsyncIterator[StoreCluster]:
    """A cluster client; afterwards every key under this test's tagged prefix is deleted (they share one slot)."""
    local_cluster.wait_ok()  # a test that killed a node left it restarted, but say so here rather than fail later
    client = await connect_cluster(local_cluster.url)
    yield client
    await close_after_deleting(client, hash_tagged(key_prefix))


@pytest.fixture
def cluster_store(cluster_client: StoreCluster, key_prefix: str, clock: FakeClock) -> Store:
    return Store(cluster_client, Keys(hash_tagged(key_prefix)), clock=clock)


@pytest.fixture
def store(cluster_store: Store) -> Store:
    return cluster_store


@pytest.fixture
def real_store(cluster_store: Store) -> Store:
    return cluster_store


@pytest.fixture
def world(cluster_store: Store, fake_x: FakeX, x_client: XClient, clock: FakeClock) -> BatchWorld:
    return BatchWorld(cluster_store, fake_x, x_client, clock)
