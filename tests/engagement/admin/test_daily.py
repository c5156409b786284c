"""Awards and points per UTC day for the Overview chart, summed from the batch records."""

from __future__ import annotations

from datetime import UTC, datetime

from engagement.admin import CHART_DAYS, daily_totals
from engagement.store import Store
from tests.conftest import FakeClock

DAY = 86400


async def _batch(store: Store, started_at: float, awards: object, points: object) -> None:
    batch_id = await store.start_batch({"started_at": int(started_at)})
    await store.update_batch(batch_id, {"status": "completed", "awards": str(awards), "points_awarded": str(points)})


def _day(moment: float) -> str:
    return datetime.fromtimestamp(moment, UTC).date().isoformat()


async def test_each_day_sums_its_batches_and_a_quiet_day_is_zero(store: Store, clock: FakeClock) -> None:
    now = clock.now
    await _batch(store, now - 60, 2, 5)
    await _batch(store, now - 30, 3, 7)
    await _batch(store, now - 2 * DAY, 1, 2)
    await _batch(store, now - (CHART_DAYS + 1) * DAY, 50, 500)  # before the chart's first day
    totals = await daily_totals(store)
    assert len(totals) == CHART_DAYS
    assert totals[-1].day == _day(now)
    assert (totals[-1].awards, totals[-1].points) == (5, 12)
    by_day = {total.day: (total.awards, total.points) for total in totals}
    assert by_day[_day(now - 2 * DAY)] == (1, 2)
    assert by_day[_day(now - DAY)] == (0, 0)
    assert sum(total.points for total in totals) == 14


async def test_a_damaged_record_is_left_out_not_fatal(store: Store, clock: FakeClock) -> None:
    await _batch(store, clock.now - 60, 4, 9)
    await _batch(store, clock.now - 30, "lots", "many")
    assert (await daily_totals(store))[-1].points == 9
