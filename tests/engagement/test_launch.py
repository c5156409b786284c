from __future__ import annotations

import sys
from pathlib import Path

import pytest

from engagement import launch


def test_without_a_token_or_the_demo_it_says_so_and_starts_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)  # no .env here
    monkeypatch.delenv("DISCORD_BOT_TOKEN", raising=False)
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setitem(sys.modules, "sandbox.demo", None)  # as in the production image, which has no sandbox/
    assert launch.main() == 2
    assert capsys.readouterr().err == "error: DISCORD_BOT_TOKEN is not set, and this install has no offline demo\n"
    assert not (tmp_path / "data").exists()  # no embedded server was started
