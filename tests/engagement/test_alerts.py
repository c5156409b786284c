"""Each alert triggered by a scenario, the once-per-hour rule on the store's clock, and the queue the bot drains."""

from __future__ import annotations

import logging

import pytest

from engagement.admin import delete_tweet, set_config
from engagement.alerts import (
    BATCH_FAILED,
    BATCH_INTERRUPTED,
    BATCHES_PARTIAL,
    RATE_LIMIT_LOW,
    UNUSUAL_POINTS,
    Alert,
    check_alerts,
    drain_alerts,
)
from engagement.store import Store
from tests.conftest import FakeClock
from tests.engagement.admin.world import ADMIN, ALICE, BOB, CAROL, DAVE, ERIN, award, connect, submit

HOUR = 3600
TWEET = "1850000000000000001"


async def queued(store: Store) -> list[Alert]:
    return [Alert.from_json(payload) for payload in await store.redis.lrange(store.keys.alerts(), 0, -1)]


async def finished_batch(store: Store, clock: FakeClock, status: str, reason: str = "") -> str:
    batch_id = await store.start_batch({"started_at": int(clock.now)})
    clock.advance(60)
    await store.update_batch(batch_id, {"status": status, "finished_at": int(clock.now), "reason": reason})
    return batch_id


async def test_a_failed_batch_alerts_once_per_hour(
    store: Store, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, "engagement.alerts")
    await finished_batch(store, clock, "failed", "ResponseError: WRONGTYPE")
    (alert,) = await check_alerts(store)
    assert (alert.type, alert.message) == (BATCH_FAILED, "Batch 1 failed: ResponseError: WRONGTYPE")
    assert await queued(store) == [alert]
    assert "alert batch-failed: Batch 1 failed" in caplog.text

    clock.advance(HOUR - 120)
    await finished_batch(store, clock, "failed", "boom")
    assert await check_alerts(store) == []  # same type within the hour: logged only
    assert "alert batch-failed (already sent this hour): Batch 2 failed: boom" in caplog.text
    clock.advance(120)
    await finished_batch(store, clock, "failed", "boom again")
    assert [a.message for a in await check_alerts(store)] == ["Batch 3 failed: boom again"]
    clock.advance(2 * HOUR)
    assert await check_alerts(store) == []  # each batch is judged once
    assert len(await queued(store)) == 2


async def test_an_interrupted_batch_alerts(store: Store, clock: FakeClock) -> None:
    await finished_batch(store, clock, "completed")
    assert await check_alerts(store) == []
    await finished_batch(store, clock, "interrupted")
    assert [alert.type for alert in await check_alerts(store)] == [BATCH_INTERRUPTED]


async def test_two_partial_batches_in_a_row_alert(store: Store, clock: FakeClock) -> None:
    await finished_batch(store, clock, "partial")
    assert await check_alerts(store) == []  # one partial batch is normal under rate limits
    await finished_batch(store, clock, "completed")
    await finished_batch(store, clock, "partial")
    assert await check_alerts(store) == []
    await finished_batch(store, clock, "partial")
    (alert,) = await check_alerts(store)
    assert (alert.type, alert.message) == (
        BATCHES_PARTIAL,
        "Batches 3 and 4 were both partial: work is being carried over.",
    )


async def test_two_partials_seen_in_one_check_alert(store: Store, clock: FakeClock) -> None:
    await finished_batch(store, clock, "partial")
    await finished_batch(store, clock, "partial")
    assert [alert.type for alert in await check_alerts(store)] == [BATCHES_PARTIAL]


async def test_an_endpoint_under_10_percent_alerts(store: Store) -> None:
    limits = {
        "liking_users": {"limit": 75, "remaining": 7, "reset_at": 1.0},
        "tweets_lookup": {"limit": 3500, "remaining": 350, "reset_at": 1.0},  # exactly 10 %: fine
        "retweeted_by": {"limit": None, "remaining": None, "reset_at": None},
    }
    (alert,) = await check_alerts(store, limits)
    assert (alert.type, alert.message) == (
        RATE_LIMIT_LOW,
        "X endpoints under 10 % of their rate limit: liking_users 7/75",
    )
    limits["tweets_lookup"]["remaining"] = 349
    assert await check_alerts(store, limits) == []  # once per hour


async def _earnings(store: Store, points: dict[str, int]) -> None:
    await connect(store, ALICE)
    await submit(store, ALICE, TWEET)
    for member, earned in points.items():
        await connect(store, member)
        await award(store, TWEET, member, "reply", earned)


async def test_unusual_point_accumulation_alerts(store: Store) -> None:
    await _earnings(store, {BOB: 3, CAROL: 2, DAVE: 3, ERIN: 16})
    await store.adjust_points(ADMIN, BOB, 500, "prize")  # an admin's adjustment is not accumulation
    (alert,) = await check_alerts(store)
    assert alert.type == UNUSUAL_POINTS
    assert alert.message == f"Unusual points today (over 5 x the median of 3): <@{ERIN}> 16"


async def test_revoked_points_are_not_unusual_accumulation(store: Store) -> None:
    await _earnings(store, {BOB: 3, CAROL: 2, DAVE: 3})
    farm = "1850000000000000009"
    await submit(store, ALICE, farm)
    await connect(store, ERIN)
    await award(store, farm, ERIN, "reply", 16)
    await delete_tweet(store, ADMIN, farm, revoke=True)  # the admin took the farmed points back
    assert await check_alerts(store) == []


async def test_the_multiple_is_configurable(store: Store) -> None:
    await _earnings(store, {BOB: 3, CAROL: 2, DAVE: 3, ERIN: 16})
    await set_config(store, ADMIN, "alert_points_multiple", "6")
    assert await check_alerts(store) == []


async def test_too_few_earners_never_alert(store: Store) -> None:
    await _earnings(store, {BOB: 1, CAROL: 30})
    assert await check_alerts(store) == []


async def test_yesterdays_points_do_not_count_today(store: Store, clock: FakeClock) -> None:
    await _earnings(store, {BOB: 3, CAROL: 2, DAVE: 3, ERIN: 16})
    clock.advance(24 * HOUR)
    assert await check_alerts(store) == []


async def test_drain_posts_in_order_and_keeps_what_could_not_be_posted(store: Store, clock: FakeClock) -> None:
    for n in range(3):
        await store.queue_alert(f"type-{n}", Alert(f"type-{n}", f"message {n}", int(clock.now)).to_json(), HOUR)
    posted: list[str] = []

    async def post(alert: Alert) -> None:
        if alert.message == "message 1" and not posted[1:]:
            posted.append("failed once")
            raise OSError("Discord is down")
        posted.append(alert.message)

    with pytest.raises(OSError, match="Discord is down"):
        await drain_alerts(store, post)
    assert [alert.message for alert in await queued(store)] == ["message 1", "message 2"]
    assert await drain_alerts(store, post) == 2
    assert posted == ["message 0", "failed once", "message 1", "message 2"]
    assert await queued(store) == []
