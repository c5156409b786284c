"""/admin overview: tracking, batches and the monitoring figures, from the Redis state."""

from __future__ import annotations

from engagement.heartbeat import STALE_AFTER_SECONDS, beat
from engagement.models import Award
from engagement.services import Services
from engagement.store import Store, SubmissionDraft
from sandbox.fake_x import FakeX
from tests.bot.conftest import ADMIN_BY_ROLE, ALICE, BOB, link
from tests.bot.exts.admin.admin_commands import admin, fields
from tests.conftest import FakeClock
from tests.fakes.discord_harness import DiscordHarness

TWEET = "1850000000000000001"


async def test_overview_of_an_empty_server(discord: DiscordHarness) -> None:
    shown = fields(await admin(discord, "overview", member=ADMIN_BY_ROLE))
    assert shown["Tracked tweets (24 h)"] == "0"
    assert shown["Top score"] == "nobody yet"
    assert shown["Last batch"] == "none yet"
    assert shown["Batches"] == "worker not running (never seen)"
    assert shown["Batch success (recent)"] == "n/a"
    assert shown["X rate limits left"] == "not known yet"


async def test_overview_reflects_the_redis_state(
    discord: DiscordHarness, services: Services, store: Store, fake_x: FakeX, alice_x: str, clock: FakeClock
) -> None:
    bob_x = await link(services, store, fake_x, BOB)
    draft = SubmissionDraft(TWEET, f"https://x.com/alice/status/{TWEET}", alice_x, "alice", str(ALICE.id), "general")
    await store.create_submission(draft, daily_limit=10)
    batch_id = await store.start_batch({"started_at": int(clock.now)})
    await store.award_engagement(Award(TWEET, bob_x, str(BOB.id), "reply", 3, 1, batch_id))
    await store.update_batch(batch_id, {"status": "completed", "finished_at": int(clock.now) + 5, "awards": 1})
    await store.update_batch(batch_id, {"points_awarded": 3, "x_requests": 2, "cost_usd": "0.0100"})
    await store.update_batch(batch_id, {"x_requests_tweets_lookup": 2})
    await store.set_next_batch_at(clock.now + 1800)
    await beat([store])
    await store.save_rate_limits('{"tweets_lookup": {"limit": 3500, "remaining": 3498, "reset_at": 1}}')

    shown = fields(await admin(discord, "overview", member=ADMIN_BY_ROLE))
    assert shown["Tracked tweets (24 h)"] == "1"
    assert shown["Connected members"] == "2"
    assert shown["Top score"] == f"<@{BOB.id}> · 3 points"
    assert shown["Last batch"].startswith("**#1** completed in 5 s")
    assert shown["Batches"] == f"next <t:{int(clock.now) + 1800}:R>"
    assert shown["Batch success (recent)"] == "100%"
    assert shown["Today"] == "2 active · 1 submitted"
    assert shown["Avg engagement rate"] == "100%"
    assert shown["X last 24 h"] == "2 requests · $0.010"
    assert shown["X rate limits left"] == "tweets_lookup 3498/3500"


async def test_a_running_batch_is_shown(discord: DiscordHarness, store: Store) -> None:
    await beat([store])
    assert await store.acquire_batch_lock("worker", 60_000)
    assert fields(await admin(discord, "overview", member=ADMIN_BY_ROLE))["Batches"] == "running now"


async def test_overview_defers_before_scanning_redis(discord: DiscordHarness) -> None:
    """The overview scans the whole keyspace (members, connections, daily counters): it must defer first."""
    reply = await admin(discord, "overview", member=ADMIN_BY_ROLE)
    assert reply.deferred
    assert reply.callback_flags == 64  # privately
    assert reply.last.ephemeral
    assert reply.last.embeds[0]["title"] == "Engagement overview"


async def test_a_worker_silent_for_over_3_minutes_is_not_running(
    discord: DiscordHarness, store: Store, clock: FakeClock
) -> None:
    await beat([store])
    seen = int(clock.now)
    await store.set_next_batch_at(clock.now + 1800)
    assert await store.acquire_batch_lock("worker", 600_000)  # a lock the stopped worker left behind
    clock.advance(STALE_AFTER_SECONDS)
    assert fields(await admin(discord, "overview", member=ADMIN_BY_ROLE))["Batches"] == "running now"
    clock.advance(1)
    shown = fields(await admin(discord, "overview", member=ADMIN_BY_ROLE))
    assert shown["Batches"] == f"worker not running (last seen <t:{seen}:R>)"
    await beat([store])
    assert fields(await admin(discord, "overview", member=ADMIN_BY_ROLE))["Batches"] == "running now"
