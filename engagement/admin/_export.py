"""Leaderboard export as CSV: rank, member, X handle, tier, points and counts by engagement type."""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import NamedTuple

from engagement import validation
from engagement.store import Store
from engagement.validation import ENGAGEMENT_TYPES

CSV_COLUMNS = ("rank", "discord_id", "display_name", "x_handle", "tier", "points", *ENGAGEMENT_TYPES)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class BoardExport(NamedTuple):
    filename: str
    csv_text: str
    rows: int
    board: str
    """Which board, for people: `the all-time board`, `the weekly board 2026-W49`."""


def _cell(value: str) -> str:
    """Member-chosen text cannot start a spreadsheet formula."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def week_bounds(now: float) -> tuple[float, float]:
    """Start and end (epoch seconds) of the ISO week containing `now`, UTC."""
    moment = datetime.fromtimestamp(now, UTC)
    monday = (moment - timedelta(days=moment.weekday())).replace(hour=0, minute=0, second=0, microsecond=0)
    return monday.timestamp(), (monday + timedelta(days=7)).timestamp()


def _record_counts(record: Mapping[str, str]) -> Counter[str]:
    return Counter({kind: _number(record.get(f"count_{kind}", "")) for kind in ENGAGEMENT_TYPES})


def _number(value: str) -> int:
    return int(value) if value.lstrip("-").isdigit() else 0


async def _week_counts(store: Store, members: list[str]) -> dict[str, Counter[str]]:
    """Engagements paid to each member this week, by type (adjustments are not engagements)."""
    start, end = week_bounds(store.now())
    ids_by_member = await store.member_log_ids_between(members, start, end)
    counts: dict[str, Counter[str]] = {}
    for member, ids in ids_by_member.items():
        counts[member] = Counter(log.type for log in await store.logs_by_id(ids))
    return counts


async def leaderboard_csv(store: Store, actor_id: str, weekly: bool, display_names: Mapping[str, str]) -> BoardExport:
    """The whole board as CSV, audited (member data read out); `display_names` maps discord id -> the name the
    bot sees now, else the name the member last connected or submitted with is used.

    All-time counts come from the member's record; weekly counts from this week's award logs.
    """
    week = store.week() if weekly else None
    rows = await store.board_rows(week)
    members = [member for member, _ in rows]
    names = {**await store.display_names(members), **display_names}
    records = await store.connection_hashes(members)
    weekly_counts = await _week_counts(store, members) if weekly else {}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for rank, (member, points) in enumerate(rows, start=1):
        record = records.get(member, {})
        counts = weekly_counts[member] if weekly else _record_counts(record)
        name = _cell(names.get(member, ""))
        cells = [rank, member, name, record.get("handle", ""), record.get("tier") or "1", points]
        writer.writerow([*cells, *(counts[kind] for kind in ENGAGEMENT_TYPES)])
    day = datetime.fromtimestamp(store.now(), UTC).strftime("%Y-%m-%d")
    filename = f"leaderboard-weekly-{week}.csv" if week else f"leaderboard-alltime-{day}.csv"
    export = BoardExport(
        filename, out.getvalue(), len(rows), f"the weekly board {week}" if week else "the all-time board"
    )
    await store.audit(validation.discord_id(actor_id), "leaderboard-export", export.board, "", f"{export.rows} rows")
    return export
