"""The weekly report's schedule: due Monday 09:00 in the community's zone, made once, kept, queued and archived."""

from __future__ import annotations

import json
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from engagement.analytics import due_week, make_due_report, read_archive
from engagement.store import Store
from tests.engagement.analytics.posts import at, tracked_post

UTC_ZONE, BERLIN = ZoneInfo("UTC"), ZoneInfo("Europe/Berlin")


@pytest.mark.parametrize(
    ("now", "zone", "week"),
    [
        ("2026-11-30 08:59", UTC_ZONE, "2026-W47"),  # Monday before 09:00: last week's is not due yet
        ("2026-11-30 09:00", UTC_ZONE, "2026-W48"),
        ("2026-12-06 23:59", UTC_ZONE, "2026-W48"),  # all week long, until the next Monday 09:00
        ("2026-11-30 07:59", BERLIN, "2026-W47"),  # 08:59 in Berlin
        ("2026-11-30 08:00", BERLIN, "2026-W48"),  # 09:00 in Berlin
    ],
)
def test_the_due_week(now: str, zone: ZoneInfo, week: str) -> None:
    assert due_week(at(now), zone) == week


async def test_the_report_is_made_once_kept_queued_and_archived(store: Store, tmp_path: Path) -> None:
    await tracked_post(store, "2026-11-24 15:00", 30)
    archive = tmp_path / "data" / "reports.jsonl"
    made = await make_due_report(store, UTC_ZONE, archive, "home", at("2026-11-30 09:05"))
    assert made is not None
    assert made["week"] == "2026-W48"
    assert made["summary"]["posts"] == 1
    assert await make_due_report(store, UTC_ZONE, archive, "home", at("2026-11-30 09:20")) is None  # once
    assert json.loads(await store.report("2026-W48") or "") == made
    assert json.loads(await store.pop_report() or "") == made
    assert await store.pop_report() is None  # queued once for the bot
    assert read_archive(archive) == [{"community": "home", **made}]
    assert archive.stat().st_mode & 0o777 == 0o600


async def test_a_community_with_no_posts_yet_gets_no_report(store: Store, tmp_path: Path) -> None:
    archive = tmp_path / "reports.jsonl"
    assert await make_due_report(store, UTC_ZONE, archive, "home", at("2026-11-30 09:05")) is None
    assert await store.report_weeks() == []
    assert not archive.exists()


async def test_a_quiet_week_of_an_active_community_is_reported(store: Store, tmp_path: Path) -> None:
    await tracked_post(store, "2026-11-10 15:00", 30)  # W46
    made = await make_due_report(store, UTC_ZONE, tmp_path / "r.jsonl", "home", at("2026-11-30 09:05"))
    assert made is not None
    assert made["summary"]["posts"] == 0
    assert made["recommendations"] == ["No posts were submitted this week: remind members to /submit their posts."]


def test_an_unreadable_archive_line_is_skipped(tmp_path: Path) -> None:
    archive = tmp_path / "reports.jsonl"
    archive.write_text('{"community": "home", "week": "2026-W47"}\nnot json\n{"community": "b", "week": "2026-W47"}\n')
    assert [report["community"] for report in read_archive(archive)] == ["home", "b"]
    assert read_archive(archive, "b") == [{"community": "b", "week": "2026-W47"}]
