from __future__ import annotations

from pathlib import Path

import pytest

from engagement.errors import StoreUnavailable
from engagement.redis_conn import ADDRESS_FILE, open_store
from engagement.settings import load_settings


async def test_set_but_unreachable_redis_is_a_clear_error_not_a_fallback(tmp_path: Path) -> None:
    settings = load_settings(redis_url="redis://127.0.0.1:1/0", data_dir=tmp_path)
    with pytest.raises(StoreUnavailable, match=r"REDIS_URL is set but Redis at redis://127.0.0.1:1/0 is unreachable"):
        async with open_store(settings):
            pass
    assert not (tmp_path / "redis").exists()  # no embedded server was started instead


async def test_password_is_not_shown_in_the_error(tmp_path: Path) -> None:
    settings = load_settings(redis_url="redis://user:s3cret@127.0.0.1:1/0", data_dir=tmp_path)
    with pytest.raises(StoreUnavailable) as error:
        async with open_store(settings):
            pass
    assert "s3cret" not in str(error.value)


@pytest.mark.redis
async def test_embedded_server_keeps_data_on_disk_and_is_shared(tmp_path: Path) -> None:
    settings = load_settings(redis_url=None, data_dir=tmp_path, key_prefix="t")
    async with open_store(settings) as store:
        await store.link_account("42", "2244", "alice", "bio", "2026-11-23T00:00:00+00:00")
        assert (tmp_path / "redis" / ADDRESS_FILE).read_text().startswith("redis://127.0.0.1:")
        async with open_store(settings) as second:  # e.g. the worker while the bot runs
            assert await second.member_for_x_user("2244") == "42"
        assert await store.ping()  # the second user did not stop the first one's server
    assert not (tmp_path / "redis" / ADDRESS_FILE).exists()
    assert any((tmp_path / "redis").rglob("*.aof")), "append-only file expected"
    async with open_store(settings) as reopened:  # data survives a restart
        assert await reopened.member_for_x_user("2244") == "42"
