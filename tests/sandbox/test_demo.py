from __future__ import annotations

from pathlib import Path

import pytest

from engagement.settings import load_settings
from sandbox.demo import run_demo_async


@pytest.mark.redis
async def test_demo_runs_the_whole_product_and_matches_the_truth(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert await run_demo_async(load_settings(), tmp_path / "data") is True
    out = capsys.readouterr().out
    assert "connected 12 members" in out
    assert "status                      completed" in out
    assert "leaderboard (all time)" in out
    assert "\n1     @member_" in out
    assert "a second batch right after: 0 new awards" in out
    assert "awards matching the scenario's truth (reposts, replies, quotes): 30/30" in out
