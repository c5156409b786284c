"""Run one bench as `scripts/bench` does (`python -m bench.<name>`), against the test session's server."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
TIMEOUT_SECONDS = 120


@dataclass
class BenchRun:
    returncode: int
    stdout: str
    stderr: str
    results: list[Path]

    def only_results(self) -> dict[str, Any]:
        """The one JSON file the run wrote."""
        assert self.returncode == 0, f"exit {self.returncode}: {self.stderr[-2000:]}"
        assert len(self.results) == 1, self.results
        data: dict[str, Any] = json.loads(self.results[0].read_text(encoding="utf-8"))
        return data


def run_bench(name: str, args: list[str], redis_url: str, results_dir: Path, **env: str) -> BenchRun:
    """`python -m bench.<name> args` with REDIS_URL set and its JSON sent to `results_dir`."""
    environment = {**os.environ, "REDIS_URL": redis_url, "BENCH_RESULTS_DIR": str(results_dir), **env}
    done = subprocess.run(
        [sys.executable, "-m", f"bench.{name}", *args],
        cwd=REPO,
        env=environment,
        capture_output=True,
        text=True,
        timeout=TIMEOUT_SECONDS,
        check=False,
    )
    written = sorted(results_dir.glob(f"{name}-*.json")) if results_dir.exists() else []
    return BenchRun(done.returncode, done.stdout, done.stderr, written)
