from __future__ import annotations

import re
from pathlib import Path

import pytest

from engagement.settings import load_settings
from sandbox.demo import run_demo_async


@pytest.mark.redis
async def test_demo_runs_the_whole_product_and_matches_the_truth(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    settings = load_settings().model_copy(update={"web_port": 0})  # any free port (model_copy skips the 1.. check)
    assert await run_demo_async(settings, tmp_path / "data") is True
    out = capsys.readouterr().out
    assert "connected 12 members" in out
    assert "status                      completed" in out
    assert "leaderboard (all time)" in out
    assert "\n1     @member_" in out
    assert "a second batch right after: 0 new awards" in out
    # likes read with a signed-in author's token (the other counts depend on where the demo's world falls in the day)
    assert re.search(r"X requests +\d+ \(liking_users [1-9]\d*, ", out)
    assert "signed in with X: @member_000, @member_001 (likes on their posts paid: 4)" in out
    assert "awards matching the scenario's truth (reposts, replies, quotes, likes on signed-in posts): 34/34" in out
    assert re.search(r"\.threads replied: 1 award\(s\) \(reply \d+ pts\)", out)  # a reply on Threads, paid once
    assert "\nThreads: 1 post, " in out  # the weekly report's Threads section
    assert re.search(r"Weekly report 20\d\d-W\d\d ", out)
    assert "Top posts (by performance score, 0-100):\n1. https://x.com/member_" in out
    assert "Recommendations:" in out
    charts = Path("data") / "demo-report"  # under DATA_DIR, kept after the demo (its server's folder is not)
    assert "charts written to data/demo-report/: best-times.png, mix.png, best-post.png" in out
    assert all((charts / name).read_bytes().startswith(b"\x89PNG") for name in ("best-times.png", "mix.png"))
    panel = out.split("logged in as the demo admin through a fake Discord login:", 1)[1]
    assert re.search(r"Connected members\s+12 *\n", panel)
    assert re.search(r"Last batch\s+#2 completed", panel)
