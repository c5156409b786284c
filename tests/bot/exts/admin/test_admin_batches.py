"""/admin batches, batch and batch-run through the fake Discord."""

from __future__ import annotations

import json

from engagement.store import Store
from tests.bot.conftest import ADMIN_BY_ROLE
from tests.bot.exts.admin.admin_commands import admin, fields, refused
from tests.conftest import FakeClock
from tests.fakes.discord_fixtures import Keyspace
from tests.fakes.discord_harness import DiscordHarness


async def finished(store: Store, clock: FakeClock, status: str, errors: list[str] | None = None) -> str:
    batch_id = await store.start_batch({"started_at": int(clock.now), "worker": "host:7"})
    clock.advance(65)
    final: dict[str, str | int | float] = {"status": status, "finished_at": int(clock.now), "awards": 4}
    final.update({"points_awarded": 11, "x_requests": 6, "cost_usd": "0.0450", "x_requests_tweets_lookup": 2})
    final.update({"x_requests_search_recent": 4, "errors": json.dumps(errors or []), "tweets_scanned": 9})
    await store.update_batch(batch_id, final)
    clock.advance(1800)
    return batch_id


async def test_history_and_details(discord: DiscordHarness, store: Store, clock: FakeClock) -> None:
    await finished(store, clock, "completed")
    await finished(store, clock, "partial", ["quote_tweets: rate limit reached (resets at 1795003600)"])
    history = await admin(discord, "batches", member=ADMIN_BY_ROLE)
    [embed] = history.last.embeds
    lines = embed["description"].splitlines()
    assert lines[0].startswith("**#2** partial in 65 s, <t:")
    assert lines[0].endswith(" · 4 awards (+11) · 6 requests · $0.045")
    assert lines[1].startswith("**#1** completed in 65 s")
    assert embed["footer"]["text"] == "Page 1/1 · 2 batches"

    details = await admin(discord, "batch", {"batch_id": 2}, member=ADMIN_BY_ROLE)
    assert details.last.embeds[0]["title"] == "Batch #2 · partial"
    shown = fields(details)
    assert shown["X requests"] == "search_recent 4, tweets_lookup 2 · 0 posts, 0 users read"
    assert shown["Errors (1)"] == "• quote_tweets: rate limit reached (resets at 1795003600)"
    assert shown["Worker"] == "host:7"


async def test_unknown_batch_is_refused(discord: DiscordHarness) -> None:
    reply = await admin(discord, "batch", {"batch_id": 9}, member=ADMIN_BY_ROLE)
    assert reply.last.content == "There is no record of batch 9."
    reply = await admin(discord, "batch", {"batch_id": 0}, member=ADMIN_BY_ROLE)
    assert reply.last.content.startswith("batch id must be a positive number")


async def test_batch_run_queues_once_and_is_refused_while_running(
    discord: DiscordHarness, store: Store, keyspace: Keyspace
) -> None:
    reply = await admin(discord, "batch-run", member=ADMIN_BY_ROLE)
    assert reply.last.content.startswith("Batch requested: the worker starts it within seconds.")
    assert await store.redis.lrange(store.keys.batch_requests(), 0, -1) == [str(ADMIN_BY_ROLE.id)]
    again = await admin(discord, "batch-run", member=ADMIN_BY_ROLE)
    assert again.last.content == "A batch was already requested; the worker will start it within seconds."
    assert await store.take_batch_requests() == [str(ADMIN_BY_ROLE.id)]  # the worker took it
    assert await store.acquire_batch_lock("worker", 60_000)
    await refused(discord, keyspace, "batch-run", None, "A batch is running right now; try again when it has finished.")
