"""Awards and points paid per UTC day, from the batch records (the Overview's chart)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from engagement.store import Store

CHART_DAYS = 14
DAY = 86400


@dataclass(frozen=True)
class DayTotal:
    day: str
    """YYYY-MM-DD (UTC)."""
    awards: int
    points: int


async def daily_totals(store: Store, days: int = CHART_DAYS) -> list[DayTotal]:
    """The last `days` UTC days, today included, oldest first; a day without batches counts 0."""
    today = datetime.fromtimestamp(store.now(), UTC).date()
    names = [(today - timedelta(days=back)).isoformat() for back in range(days - 1, -1, -1)]
    since = datetime.fromisoformat(names[0]).replace(tzinfo=UTC).timestamp()
    totals = {name: [0, 0] for name in names}
    for row in await store.batch_fields_since(since, ["started_at", "awards", "points_awarded"]):
        started, awards, points = (int(value) if value and value.isdigit() else None for value in row)
        if started is None:
            continue  # a damaged record is left out of the chart, as the history page does
        day = datetime.fromtimestamp(started, UTC).date().isoformat()
        if day in totals:
            totals[day][0] += awards or 0
            totals[day][1] += points or 0
    return [DayTotal(name, *totals[name]) for name in names]
