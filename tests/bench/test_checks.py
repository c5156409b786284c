"""A bench fails loudly (exit 1, one line, no JSON) on a refused award or an impossible figure; honest ceiling."""

from __future__ import annotations

import asyncio
import sys
import uuid
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest
from redis.asyncio import Redis

from bench import _common, awards, commands
from bench import _seed as seed
from bench._common import BenchFailure
from bench._memory import require_plausible
from bench._redis_benchmark import PLACEHOLDER_ID, award_script_command, find_redis_benchmark, run_redis_benchmark
from engagement.models import Award
from engagement.store import ALREADY_AWARDED, AWARDED, NOT_TRACKED, Store

pytestmark = pytest.mark.redis

MEMBERS = 30
ENGAGERS = 25


async def no_submissions(*_: object, **__: object) -> None:
    """Stands in for the submission seed: the state every bench was in after a6da036."""


async def keys_under(redis_url: str, prefix: str) -> list[str]:
    client = Redis.from_url(redis_url, decode_responses=True)
    try:
        return sorted([key async for key in client.scan_iter(match=f"{prefix}:*", count=1000)])
    finally:
        await client.aclose()


def run_main(
    main: Callable[[], None], argv: list[str], redis_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> int:
    """Run a bench's main() as `python -m bench.<name> argv` would; its exit status."""
    monkeypatch.setenv("REDIS_URL", redis_url)
    monkeypatch.setattr(sys, "argv", ["bench", *argv, "--results-dir", str(tmp_path)])
    with pytest.raises(SystemExit) as exited:
        main()
    return int(exited.value.code or 0)


@pytest.mark.parametrize(
    ("bench", "argv", "failure"),
    [
        (awards, ["--awards", "20"], "bench awards FAILED: awards at 1 tasks: 0 of 20 new awards were paid"),
        (commands, ["--members", "30", "--logs", "60"], "bench commands FAILED: award logs: 0 of 60 new awards"),
    ],
    ids=["awards", "commands"],
)
def test_a_bench_whose_awards_are_refused_exits_1_with_one_line(
    bench: ModuleType,
    argv: list[str],
    failure: str,
    redis_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    prefix = f"benchtest{uuid.uuid4().hex[:8]}"
    monkeypatch.setattr(_common, "bench_prefix", lambda: prefix)
    monkeypatch.setattr(seed, "submit_awarded_tweets", no_submissions)  # both benches seed through it
    assert run_main(bench.main, argv, redis_url, tmp_path, monkeypatch) == 1
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith(failure), lines
    assert "NOT_TRACKED (-2)" in lines[0]
    assert list(tmp_path.iterdir()) == []  # no JSON for figures it cannot stand behind
    assert asyncio.run(keys_under(redis_url, prefix)) == []  # its private keys are deleted all the same


async def test_every_refusal_is_counted_and_named(real_store: Store) -> None:
    await seed.seed_members(real_store, MEMBERS)
    await seed.submit_awarded_tweets(real_store, 1, MEMBERS)  # tweet 0 is tracked, tweet 1 (awards 25-49) is not

    def award_of(sequence: int) -> Award:
        return seed.award_for(sequence, MEMBERS, ENGAGERS)

    first = await seed.pay_awards(real_store, award_of, range(2 * ENGAGERS), 8)
    assert first == {AWARDED: ENGAGERS, NOT_TRACKED: ENGAGERS}
    with pytest.raises(BenchFailure, match=r"^smoke: 25 of 50 new awards were paid; refused: 25 NOT_TRACKED \(-2\)$"):
        seed.require_all_paid(first, 2 * ENGAGERS, "smoke")
    again = await seed.pay_awards(real_store, award_of, range(ENGAGERS), 8)
    assert again == {ALREADY_AWARDED: ENGAGERS}
    with pytest.raises(BenchFailure, match=r"0 of 25 new awards were paid; refused: 25 ALREADY_AWARDED \(0\)$"):
        seed.require_all_paid(again, ENGAGERS, "smoke")
    await seed.submit_as_member(real_store, str(seed.FIRST_AWARDED_TWEET + 2), 2)
    fresh = await seed.pay_awards(real_store, award_of, range(2 * ENGAGERS, 3 * ENGAGERS), 8)
    seed.require_all_paid(fresh, ENGAGERS, "smoke")  # all paid: no failure
    assert fresh == {AWARDED: ENGAGERS}


def test_impossible_memory_figures_fail_the_bench() -> None:
    report = {
        "used_memory_empty": 1_000_000,
        "per_member_info": 420,
        "per_submission_info": 300,
        "per_log_info": -44,
        "per_member_sampled": 530,
        "per_submission_sampled": 308,
        "per_log_sampled": 0,
        "per_log_sampled_parts": {"hash": 0, "user_logs_entry": 0, "tweet_logs_entry": 0},
    }
    with pytest.raises(BenchFailure) as failure:
        require_plausible(report)
    message = str(failure.value)
    assert message.startswith("impossible memory figures (nothing was written?): per_log_info = -44 B")
    assert "per_log_sampled = 0 B" in message
    assert "per_log_sampled_parts.hash = 0 B" in message
    assert "per_member_info" not in message
    require_plausible({**report, "per_log_info": 189, "per_log_sampled": 240, "per_log_sampled_parts": {"hash": 1}})
    require_plausible({**report, "per_log_info": None, "per_log_sampled": 240, "per_log_sampled_parts": {"hash": 1}})


@pytest.mark.skipif(find_redis_benchmark() is None, reason="redis-benchmark is not installed")
async def test_the_redis_benchmark_ceiling_pays_a_new_award_per_call(real_store: Store, redis_url: str) -> None:
    await seed.seed_members(real_store, 2)
    await seed.submit_as_member(real_store, PLACEHOLDER_ID, 0)
    command = await award_script_command(real_store, awards.recorded_award())
    logs = real_store.keys.user_logs(seed.discord_id(0))
    assert await real_store.redis.zcard(logs) == 1  # the recorded award itself
    binary = find_redis_benchmark()
    assert binary is not None
    await asyncio.to_thread(run_redis_benchmark, binary, redis_url, command, clients=4, pipeline=1, requests=300)
    assert await real_store.redis.zcard(logs) > 1 + 290  # a few random tweet ids may repeat; refusals write nothing
    points = int(await real_store.redis.hget(real_store.keys.connection(seed.discord_id(0)), "points") or 0)
    assert points == await real_store.redis.zcard(logs) * awards.recorded_award().points


def test_every_bench_runs_at_a_smoke_size_in_the_test_suite() -> None:
    """CI runs the benches only through tests/bench/test_smoke.py: a bench without a smoke run there could rot."""
    root = Path(__file__).resolve().parents[2]
    benches = {path.stem for path in (root / "bench").glob("*.py") if not path.stem.startswith("_")}
    smoke = (root / "tests" / "bench" / "test_smoke.py").read_text()
    assert {"awards", "commands", "communities", "web", "x_cost"} <= benches  # the glob found them at all
    assert [name for name in sorted(benches) if f'run_bench("{name}"' not in smoke] == []
