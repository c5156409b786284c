from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.__main__ import NO_GUILD, NO_TOKEN, main

SETTINGS_VARIABLES = (
    "DISCORD_BOT_TOKEN",
    "REDIS_URL",
    "DISCORD_GUILD_ID",
    "TWITTER_BEARER_TOKEN",
    "KEY_PREFIX",
    "ADMIN_ROLE",
    "ADMIN_ROLE_IDS",
)
GUILD_ID = "1100000000000000003"


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)  # no .env from the working tree
    for name in SETTINGS_VARIABLES:
        monkeypatch.delenv(name, raising=False)


def test_no_token_is_one_clear_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert capsys.readouterr().err == NO_TOKEN + "\n"


def test_bad_setting_is_one_line(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("DISCORD_GUILD_ID", "not-a-number")
    assert main([]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("invalid setting DISCORD_GUILD_ID=")


@pytest.mark.parametrize("argv", [[], ["--sync-global"]], ids=["guild sync", "global sync"])
def test_no_guild_id_is_one_clear_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    monkeypatch.setenv("DISCORD_BOT_TOKEN", "token")
    assert main(argv) == 2
    assert capsys.readouterr().err == NO_GUILD + "\n"


def test_an_admin_role_name_is_refused_at_start(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DISCORD_BOT_TOKEN", "token")
    monkeypatch.setenv("DISCORD_GUILD_ID", GUILD_ID)
    monkeypatch.setenv("ADMIN_ROLE", "Engagement Admin")
    assert main([]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("invalid setting ADMIN_ROLE='Engagement Admin': ADMIN_ROLE (a role name) is no longer")
    assert "set ADMIN_ROLE_IDS to the role's id" in err


def test_unreachable_redis_is_one_line(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("DISCORD_BOT_TOKEN", "token")
    monkeypatch.setenv("DISCORD_GUILD_ID", GUILD_ID)
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:1/0")
    assert main(["--sync-global"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("REDIS_URL is set but Redis at ")
    assert "127.0.0.1:1/0 is unreachable" in err


@pytest.mark.redis
def test_missing_x_token_is_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], redis_url: str
) -> None:
    monkeypatch.setenv("DISCORD_BOT_TOKEN", "token")
    monkeypatch.setenv("DISCORD_GUILD_ID", GUILD_ID)
    monkeypatch.setenv("REDIS_URL", redis_url)
    assert main([]) == 2
    assert capsys.readouterr().err.startswith("TWITTER_BEARER_TOKEN is not set")


def test_python_dash_m_bot(tmp_path: Path) -> None:
    environment = {key: value for key, value in os.environ.items() if key not in SETTINGS_VARIABLES}
    environment["PYTHONPATH"] = str(Path(__file__).resolve().parents[2])
    done = subprocess.run(
        [sys.executable, "-m", "bot"], cwd=tmp_path, env=environment, capture_output=True, text=True, timeout=60
    )
    assert (done.returncode, done.stderr, done.stdout) == (2, NO_TOKEN + "\n", "")
