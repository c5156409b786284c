from __future__ import annotations

import pytest

from engagement.errors import SettingsError
from engagement.settings import load_settings


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: pytest.TempPathFactory) -> None:
    """No .env and no inherited variables leak into these tests."""
    monkeypatch.chdir(tmp_path)  # type: ignore[arg-type]
    for name in ("REDIS_URL", "KEY_PREFIX", "BATCH_INTERVAL_MIN", "BATCH_INTERVAL_MAX", "CATEGORIES"):
        monkeypatch.delenv(name, raising=False)


def test_defaults() -> None:
    settings = load_settings()
    assert settings.key_prefix == "engagement"
    assert settings.x_api_base_url == "https://api.x.com"
    assert settings.submission_channel == "engagement-tracker"
    assert (settings.batch_interval_min, settings.batch_interval_max, settings.batch_window_hours) == (30, 60, 24)
    assert [settings.daily_limit(t) for t in (1, 2, 3)] == [3, 5, 10]
    assert settings.redis_url is None


def test_reads_environment_and_splits_categories(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CATEGORIES", " News, Memes ,art")
    monkeypatch.setenv("BATCH_WINDOW_HOURS", "12")
    settings = load_settings()
    assert settings.categories == ("news", "memes", "art")
    assert settings.batch_window_hours == 12


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("BATCH_INTERVAL_MIN", "abc", "invalid setting BATCH_INTERVAL_MIN='abc'"),
        ("BATCH_INTERVAL_MAX", "0", "invalid setting BATCH_INTERVAL_MAX='0'"),
        ("BATCH_WINDOW_HOURS", "999", "invalid setting BATCH_WINDOW_HOURS='999'"),
        ("KEY_PREFIX", "bad prefix*", "invalid setting KEY_PREFIX='bad prefix*'"),
        ("REDIS_URL", "http://localhost", "invalid setting REDIS_URL='http://localhost'"),
        ("X_API_BASE_URL", "not a url", "invalid setting X_API_BASE_URL='not a url'"),
        ("DAILY_LIMIT_TIER2", "-1", "invalid setting DAILY_LIMIT_TIER2='-1'"),
        ("CATEGORIES", " , ", "invalid setting CATEGORIES=' , '"),
        ("DISCORD_APPLICATION_ID", "abc", "invalid setting DISCORD_APPLICATION_ID='abc'"),
        ("LOG_LEVEL", "LOUD", "invalid setting LOG_LEVEL='LOUD'"),
    ],
)
def test_bad_value_gives_one_line_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, expected: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as error:
        load_settings()
    message = str(error.value)
    assert message.startswith(expected)
    assert "\n" not in message


def test_interval_min_above_max_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BATCH_INTERVAL_MIN", "90")
    with pytest.raises(SettingsError, match="BATCH_INTERVAL_MIN must not exceed BATCH_INTERVAL_MAX"):
        load_settings()


def test_dotenv_file_is_read(monkeypatch: pytest.MonkeyPatch, tmp_path: pytest.TempPathFactory) -> None:
    (tmp_path / ".env").write_text("SUBMISSION_CHANNEL=shill-zone\n")  # type: ignore[operator]
    assert load_settings().submission_channel == "shill-zone"
