"""`python -m worker`: exit codes of `--once`, one-line errors, and a graceful SIGTERM."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time

import pytest

from engagement.store import Store, SubmissionDraft
from sandbox.fake_x import FakeX
from tests.conftest import FakeClock
from worker.__main__ import main

pytestmark = pytest.mark.redis


@pytest.fixture
def worker_env(monkeypatch: pytest.MonkeyPatch, redis_url: str, key_prefix: str, fake_x: FakeX) -> dict[str, str]:
    """Environment of a worker on the test's real Redis (own key prefix) and fake X."""
    env = {
        "REDIS_URL": redis_url,
        "KEY_PREFIX": key_prefix,
        "X_API_BASE_URL": fake_x.base_url,
        "TWITTER_BEARER_TOKEN": fake_x.bearer_token,
        "LOG_LEVEL": "INFO",
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return env


async def one_engaged_submission(store: Store, fake: FakeX) -> None:
    alice, bob = fake.add_user("alice"), fake.add_user("bob")
    await store.link_account("111", alice, "alice", "bio", "2026-11-18T00:00:00+00:00")
    await store.link_account("222", bob, "bob", "bio", "2026-11-18T00:00:00+00:00")
    tweet_id = fake.add_tweet(alice)
    fake.retweet(bob, tweet_id)
    draft = SubmissionDraft(tweet_id, f"https://x.com/alice/status/{tweet_id}", alice, "alice", "111", "general")
    await store.create_submission(draft, daily_limit=10)


async def run_main_in_thread(*args: str) -> int:
    """main() owns its event loop; a thread leaves the test's loop free to serve the fake X."""
    return await asyncio.to_thread(main, list(args))


async def test_once_exits_0_after_a_batch(
    worker_env: dict[str, str],
    real_store: Store,
    fake_x: FakeX,
    clock: FakeClock,
    capsys: pytest.CaptureFixture[str],
) -> None:
    clock.now = time.time()  # the worker process reads the real clock: submit "now"
    await one_engaged_submission(real_store, fake_x)
    assert await run_main_in_thread("--once") == 0
    assert "batch 1 completed" in capsys.readouterr().out
    assert await real_store.rank_and_points("222", weekly=False) == (1, 2)


async def test_once_exits_1_with_the_reason_on_one_line(
    worker_env: dict[str, str], real_store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    await real_store.redis.set(real_store.keys.batch_carryover(), "not a hash")  # Redis refuses HGETALL on it
    assert await run_main_in_thread("--once") == 1
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert line.startswith("batch 1 failed: ResponseError: WRONGTYPE")


async def test_once_skipped_is_success(
    worker_env: dict[str, str], real_store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    assert await real_store.acquire_batch_lock("another worker", 10_000)
    assert await run_main_in_thread("--once") == 0
    assert "batch skipped: another batch is running" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("BATCH_INTERVAL_MIN", "soon", "error: invalid setting BATCH_INTERVAL_MIN='soon'"),
        ("REDIS_URL", "redis://127.0.0.1:1/0", "error: REDIS_URL is set but Redis at redis://127.0.0.1:1/0 is unreach"),
        ("TWITTER_BEARER_TOKEN", "", "error: TWITTER_BEARER_TOKEN is not set"),
    ],
)
async def test_bad_setting_or_store_exits_2_on_one_line(
    worker_env: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    name: str,
    value: str,
    message: str,
) -> None:
    monkeypatch.setenv(name, value)
    assert await run_main_in_thread("--once") == 2
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert line.startswith(message)


async def test_sigterm_lets_the_worker_finish_and_exit_0(worker_env: dict[str, str], real_store: Store) -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "worker", env={**os.environ, **worker_env}, stderr=asyncio.subprocess.PIPE
    )
    assert process.stderr is not None
    lines = []
    try:
        async with asyncio.timeout(20):
            while not any("next batch at" in line for line in lines):
                lines.append((await process.stderr.readline()).decode())
                assert lines[-1], "".join(lines)
        process.send_signal(signal.SIGTERM)
        rest = (await asyncio.wait_for(process.stderr.read(), 10)).decode()
        assert await process.wait() == 0, "".join(lines) + rest
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    assert "batch 1 completed" in "".join(lines)
    assert "shutting down" in rest
    assert await real_store.heartbeat_at() is not None  # the heartbeat job ran while the worker served
