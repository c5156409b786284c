"""The weekly report job (each scanned community's report once) and `python -m worker report`."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from engagement.admin import set_config
from engagement.communities import Communities
from engagement.settings import load_settings
from engagement.store import Store
from tests.conftest import FakeClock
from tests.engagement.analytics.posts import at, tracked_post
from worker.__main__ import main
from worker.reports import report_job

OTHER_GUILD = 1200000000000000007
ADMIN = "111111111111111111"


async def test_each_community_gets_its_report_in_its_own_time_zone(
    store: Store, clock: FakeClock, tmp_path: Path
) -> None:
    settings = load_settings(allowed_guilds=(OTHER_GUILD,), data_dir=tmp_path)
    communities = Communities(settings, store)
    other = communities.store_for(OTHER_GUILD)
    await set_config(other, ADMIN, "time_zone", "America/New_York")  # Monday 09:00 there is 14:00 UTC
    await tracked_post(store, "2026-11-24 15:00", 30)
    await tracked_post(other, "2026-11-24 15:00", 20)
    clock.now = at("2026-11-30 09:05")
    job = report_job(communities, settings)
    assert await job() == 1  # the home community's; New York's is not due yet
    assert await store.report_weeks() == ["2026-W48"]
    assert await other.report_weeks() == []
    clock.now = at("2026-11-30 14:05")
    assert await job() == 1
    assert json.loads(await other.report("2026-W48") or "")["zone"] == "America/New_York"
    assert await job() == 0  # made once
    archived = [json.loads(line) for line in (tmp_path / "reports.jsonl").read_text().splitlines()]
    assert [(report["community"], report["week"]) for report in archived] == [
        ("home", "2026-W48"),
        (str(OTHER_GUILD), "2026-W48"),
    ]


async def test_a_community_whose_server_was_left_gets_no_report(store: Store, clock: FakeClock, tmp_path: Path) -> None:
    settings = load_settings(allowed_guilds=(OTHER_GUILD,), data_dir=tmp_path)
    communities = Communities(settings, store)
    other = communities.store_for(OTHER_GUILD)
    await tracked_post(other, "2026-11-24 15:00", 20)
    await communities.left(OTHER_GUILD)
    clock.now = at("2026-11-30 09:05")
    assert await report_job(communities, settings)() == 0
    assert await other.report_weeks() == []


@pytest.fixture
def report_env(monkeypatch: pytest.MonkeyPatch, redis_url: str, key_prefix: str) -> None:
    monkeypatch.setenv("REDIS_URL", redis_url)
    monkeypatch.setenv("KEY_PREFIX", key_prefix)


async def run_main(*args: str) -> int:
    return await asyncio.to_thread(main, list(args))


@pytest.mark.redis
@pytest.mark.usefixtures("report_env")
async def test_the_cli_prints_the_week_as_text_or_json(real_store: Store, capsys: pytest.CaptureFixture[str]) -> None:
    await tracked_post(real_store, "2026-11-24 15:00", 30)
    assert await run_main("report", "--week", "2026-W48") == 0
    text = capsys.readouterr().out
    assert text.startswith("Weekly report 2026-W48 (Mon 23 Nov 2026 to Sun 29 Nov 2026, UTC)")
    assert "▲ Posts: 1 (last week 0, +1, new)" in text
    assert await run_main("report", "--week", "2026-W48", "--format", "json") == 0
    report = json.loads(capsys.readouterr().out)
    assert (report["week"], report["summary"]["posts"], report["summary"]["average_rate"]) == ("2026-W48", 1, 3.0)
    assert await real_store.report_weeks() == []  # printing a week saves, queues and posts nothing


@pytest.mark.redis
@pytest.mark.usefixtures("report_env")
async def test_the_cli_prints_the_saved_report_of_a_week_that_was_posted(
    real_store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    saved = {"week": "2026-W47", "marker": "as posted"}
    await real_store.save_report("2026-W47", json.dumps(saved))
    assert await run_main("report", "--week", "2026-W47", "--format", "json") == 0
    assert json.loads(capsys.readouterr().out) == saved


@pytest.mark.redis
@pytest.mark.usefixtures("report_env")
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--week", "2026-48"), "error: The week must be an ISO week such as 2026-W48, got '2026-48'."),
        (("--week", "2026-W48", "--guild", "42"), "error: This bot is not enabled for this server."),
    ],
)
async def test_a_bad_week_or_server_is_one_clear_line_and_exit_2(
    real_store: Store, capsys: pytest.CaptureFixture[str], args: tuple[str, ...], message: str
) -> None:
    assert await run_main("report", *args) == 2
    captured = capsys.readouterr()
    assert captured.err.startswith(message)
    assert captured.err.count("\n") == 1
    assert captured.out == ""
