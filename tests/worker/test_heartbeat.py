"""The worker's heartbeat job: every minute, in every community it scans (not one whose server it left)."""

from __future__ import annotations

from engagement.communities import Communities
from engagement.heartbeat import worker_state
from engagement.settings import load_settings
from engagement.store import Store
from worker.heartbeat import heartbeat_job

OTHER_GUILD = 1200000000000000007


async def test_every_scanned_community_gets_the_heartbeat(store: Store) -> None:
    settings = load_settings(allowed_guilds=(OTHER_GUILD,))
    communities = Communities(settings, store)
    other = communities.store_for(OTHER_GUILD)
    assert await heartbeat_job(communities.scanned)() == 2
    assert (await worker_state(communities.home)).alive
    assert (await worker_state(other)).alive


async def test_a_community_whose_server_was_left_gets_none(store: Store) -> None:
    settings = load_settings(allowed_guilds=(OTHER_GUILD,))
    communities = Communities(settings, store)
    await communities.left(OTHER_GUILD)
    assert await heartbeat_job(communities.scanned)() == 1
    assert (await worker_state(communities.home)).alive
    assert (await worker_state(communities.store_for(OTHER_GUILD))).last_seen is None
