"""Every bench, at a smoke size, as `scripts/bench` runs it: exit 0, its tables, and plausible figures in its JSON."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bench._redis_benchmark import find_redis_benchmark
from tests.bench._run import run_bench

pytestmark = pytest.mark.redis

AWARDS = 200  # per concurrency level
CONCURRENCY = [1, 8, 64]
COMMANDS = ["/stats", "/leaderboard page 1 (all-time)", "/leaderboard page 500 (all-time)"]
COMMANDS += ["/leaderboard page 1 (weekly)", "/submit", "/shop", "/shop redeem"]
COMMANDS += ["/leaderboard season page 1", "/leaderboard season page 500"]
ENGAGEMENT_TYPES = ["like", "retweet", "reply", "quote"]


@pytest.mark.skipif(find_redis_benchmark() is None, reason="redis-benchmark is not installed")
def test_awards_pays_every_award_and_measures_the_redis_benchmark_ceiling(redis_url: str, tmp_path: Path) -> None:
    run = run_bench("awards", ["--awards", str(AWARDS), "--rb-requests", "2000"], redis_url, tmp_path)
    results = run.only_results()
    assert "award_engagement vs redis-benchmark EVALSHA" in run.stdout
    assert [row["concurrency"] for row in results["ours"]] == CONCURRENCY
    for row in results["ours"]:
        assert row["awards_paid"] == row["awards"] == AWARDS
        assert row["per_second"] > 0
        assert row["redis_benchmark_evalsha"] > 0
        assert row["ratio"] > 0
    commands = {(run["command"], run["clients"], run["pipeline"]) for run in results["redis_benchmark_runs"]}
    assert commands == {(name, c, p) for name in ("SET", "EVALSHA award") for c in CONCURRENCY for p in (1, 16)}
    assert all(run["per_second"] > 0 for run in results["redis_benchmark_runs"])


def test_awards_runs_without_redis_benchmark_and_says_so(redis_url: str, tmp_path: Path) -> None:
    no_tools = tmp_path / "empty-path"
    no_tools.mkdir()
    results_dir = tmp_path / "results"
    run = run_bench("awards", ["--awards", "50", "--rb-requests", "10"], redis_url, results_dir, PATH=str(no_tools))
    results = run.only_results()
    assert "redis-benchmark: not found on PATH (nor valkey-benchmark); ceiling and ratio not measured" in run.stdout
    assert "rb EVALSHA" not in run.stdout  # the comparison columns are left out, not filled with guesses
    assert results["redis_benchmark_runs"] == []
    assert [row["awards_paid"] for row in results["ours"]] == [50, 50, 50]
    assert all(row["ratio"] is None for row in results["ours"])


def test_commands_times_every_command_and_measures_memory(redis_url: str, tmp_path: Path) -> None:
    elsewhere = tmp_path / "not-used"
    results_dir = tmp_path / "chosen"
    args = ["--members", "200", "--logs", "2000", "--samples", "20", "--results-dir", str(results_dir)]
    run = run_bench("commands", args, redis_url, elsewhere)
    assert not elsewhere.exists()  # --results-dir wins over BENCH_RESULTS_DIR
    run.results = sorted(results_dir.glob("commands-*.json"))
    results = run.only_results()
    assert "core function latency" in run.stdout
    assert "Redis memory" in run.stdout
    assert (results["members"], results["submissions"], results["logs"]) == (200, 80, 2000)
    assert sorted(results["latency"]) == sorted(COMMANDS)
    assert all(row["p99_ms"] > 0 for row in results["latency"].values())
    memory = results["memory"]
    for figure in ("per_member", "per_submission", "per_log"):
        assert memory[f"{figure}_info"] is None, figure  # too few loaded for an INFO delta to mean anything
        assert memory[f"{figure}_sampled"] > 0, figure
    assert "n/a (< 5,000 loaded)" in run.stdout
    assert all(part > 0 for part in memory["per_log_sampled_parts"].values())
    parts = memory["per_log_sampled_parts"]
    assert abs(memory["per_log_sampled"] - sum(parts.values())) <= len(parts)  # each part is rounded on its own


def test_x_cost_finds_every_engagement_of_a_tiny_world(redis_url: str, tmp_path: Path) -> None:
    args = ["--submissions", "20", "--members", "20", "--unlinked", "3", "--capacity", "30", "--authors-post", "2"]
    run = run_bench("x_cost", args, redis_url, tmp_path)
    results = run.only_results()
    assert "X API cost per day" in run.stdout
    assert "one batch under the standard 15-minute limits" in run.stdout
    assert "X cost floor, measured day (targets: $ ours/floor <= 1.25 a day, <= 1.5 a batch)" in run.stdout
    assert "delay from engagement to award, minutes" in run.stdout
    assert results["scenario"]["untracked_posts"] == 40  # one per submission, never submitted
    ours = results["ours"]
    assert ours["requests_per_day"] > 0
    for kind in ENGAGEMENT_TYPES:
        assert ours["recall"][kind]["truth"] > 0, kind  # the tiny world still has every kind of engagement
        assert ours["recall"][kind]["recall"] == 1.0, ours["recall"][kind]
    assert ours["false_awards"] == 0
    _check_floor(results["floor"], ours)
    for kind in ENGAGEMENT_TYPES:
        delay = results["award_delay_minutes"]["run"][kind]
        assert delay["awards"] == ours["recall"][kind]["found"], kind  # every award has its time
        assert 0 <= delay["p50"] <= delay["p95"] <= delay["max"] <= 24 * 60, delay
    [capacity] = results["capacity"]["sizes"]
    assert capacity["tracked"] == 30
    assert capacity["status"] == "completed"
    assert capacity["awards_missing_after_catch_up"] == 0


def _check_floor(floor: dict[str, Any], ours: dict[str, Any]) -> None:
    """The floor's figures add up, and ours are the measured day's bills."""
    day, batches = floor["day"], floor["batches"]
    assert day["floor"]["usd"] > 0
    assert day["ours"]["usd"] == pytest.approx(ours["billed_usd_per_day"], abs=0.0051)  # that one is rounded to cents
    assert day["ours"]["requests"] == ours["requests_per_day"]
    assert day["ratio"]["usd"] == round(day["ours"]["usd"] / day["floor"]["usd"], 3)
    assert day["floor"]["usd"] == round(sum(row["floor_usd"] for row in batches["rows"]), 4)
    assert batches["count"] == len(batches["rows"]) == ours["batches_per_day"]
    assert batches["with_floor"] + batches["zero_floor"]["batches"] == batches["count"]


@pytest.mark.parametrize("name", ["awards", "commands"])
def test_a_bench_of_zero_items_is_refused_before_it_starts(name: str, redis_url: str, tmp_path: Path) -> None:
    option = "--awards" if name == "awards" else "--logs"
    run = run_bench(name, [option, "0"], redis_url, tmp_path)
    assert run.returncode == 2
    assert f"argument {option}: must be at least 1, not 0" in run.stderr
    assert run.results == []


def test_communities_pays_every_award_in_both_worlds_and_compares_them(redis_url: str, tmp_path: Path) -> None:
    run = run_bench("communities", ["--communities", "3", "--posts", "20"], redis_url, tmp_path)
    results = run.only_results()
    assert "3 communities x 20 posts vs the same 60 in one" in run.stdout
    assert "wait from the change on X to each community's awards" in run.stdout
    assert results["layout"]["tracked_posts"] == 60
    many, one = results["communities"], results["one_community"]
    assert (many["stores"], one["stores"]) == (3, 1)
    for world in (many, one):
        assert world["awards_expected"] > 0
        assert world["awards_missing"] == world["awards_unexpected"] == 0
        assert world["first_cycle"]["posts_read"] == 60  # the first cycle reads every post's counters
        assert world["first_cycle"]["awards"] == 0  # nothing had moved yet
        assert world["through_catch_up"]["awards"] == world["awards_expected"]
        assert world["award_wait"]["first_award_cycles_max"] >= 1
        assert world["memory"]["bytes"] > 0
    for part in ("measured_cycle", "through_catch_up"):
        expected = round(many[part]["requests"] / one[part]["requests"], 3)
        assert results["ratio"][part]["requests"] == expected
    assert results["memory_per_community"]["info_delta"] is None  # too few posts for an INFO delta to mean anything


def test_web_times_every_page_through_a_real_login(redis_url: str, tmp_path: Path) -> None:
    run = run_bench("web", ["--members", "200", "--logs", "500", "--samples", "5"], redis_url, tmp_path)
    results = run.only_results()
    assert "web panel, one request at a time" in run.stdout
    pages = ["API leaderboard", "Leaderboard page 1", "Leaderboard page 10", "Overview", "Overview, no worker"]
    assert sorted(results["latency"]) == pages
    assert results["worker_refresh_ms"] > 0
    assert all(0 < row["p50_ms"] <= row["p99_ms"] <= row["max_ms"] for row in results["latency"].values())


@pytest.mark.parametrize(("signed_in", "members_signed_in"), [(0, 0), (100, 20)])
def test_x_cost_reads_likes_only_of_the_members_who_signed_in(
    redis_url: str, tmp_path: Path, signed_in: int, members_signed_in: int
) -> None:
    args = ["--submissions", "20", "--members", "20", "--unlinked", "3", "--capacity", "30"]
    run = run_bench("x_cost", [*args, "--signed-in", str(signed_in)], redis_url, tmp_path)
    results = run.only_results()
    assert results["scenario"]["members_signed_in"] == members_signed_in
    likes = results["ours"]["recall"]["like"]
    if signed_in == 0:
        assert likes["truth"] == 0  # nobody signed in: no like is awardable
    liking_requests = results["ours"]["requests_per_day_by_endpoint"].get("liking_users", 0)
    if signed_in == 0:
        assert liking_requests == 0  # no token to read likes with: not one request
    else:
        assert likes["truth"] > 0
        assert likes["recall"] == 1.0
        assert liking_requests > 0
    assert results["ours"]["false_awards"] == 0


def test_analytics_builds_the_weekly_report_of_every_post_and_measures_its_memory(
    redis_url: str, tmp_path: Path
) -> None:
    run = run_bench("analytics", ["--posts", "150", "--snapshots", "12", "--samples", "2"], redis_url, tmp_path)
    results = run.only_results()
    assert "150 posts x 12 snapshots" in run.stdout
    assert "Python peak while building one report" in run.stdout
    assert 0 < results["posts_in_week"] < 150  # published over 90 days: some of them in the report's week
    for part in ("report", "read", "compute"):
        assert 0 < results[f"{part}_seconds"]["min"] <= results[f"{part}_seconds"]["max"]
    assert 20 < results["bytes_per_snapshot"] < 200  # a compact entry, not a hash per snapshot
    assert results["python_peak_mib"] > 0
