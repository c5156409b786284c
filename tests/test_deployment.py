"""The deployment files keep what the README promises: exact image versions, a password on Redis, and a
production image with the runtime dependencies only (no test or lint tools, no sandbox/).

Docker cannot run here, so this reads Dockerfile and docker-compose.yml as text; no YAML dependency: a small
reader of the block-mapping subset the compose file is written in (it refuses anything else).
"""

from __future__ import annotations

import json
import re
import tomllib
from importlib.metadata import distribution
from pathlib import Path
from typing import Any

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
EXACT_PYTHON = re.compile(r"python:3\.11\.\d+-slim-bookworm")
EXACT_IMAGE = re.compile(r"[\w./-]+:\d+\.\d+\.\d+(-[a-z0-9.]+)?")
REQUIRED_PASSWORD = re.compile(r"\$\{REDIS_PASSWORD:\?[^}]+\}")
DEV_TOOLS = {"pytest", "pytest-asyncio", "fakeredis", "hypothesis", "ruff", "mypy"}


def _logical_lines(text: str) -> list[tuple[int, str]]:
    """(indent, text) of each non-blank line without comments; a flow list `[...]` over several lines is one."""
    lines: list[tuple[int, str]] = []
    for raw in text.splitlines():
        line = re.sub(r"(^|\s+)#.*$", "", raw).rstrip()
        if not line:
            continue
        if lines and lines[-1][1].count("[") > lines[-1][1].count("]"):
            lines[-1] = (lines[-1][0], f"{lines[-1][1]} {line.strip()}")
        else:
            lines.append((len(line) - len(line.lstrip()), line.strip()))
    return lines


def _scalar(text: str) -> Any:
    return json.loads(text) if text.startswith(("[", '"')) else text


def _block(lines: list[tuple[int, str]], at: int) -> tuple[Any, int]:
    """The mapping or list starting at line `at`; returns it and the index of the first line after it."""
    indent = lines[at][0]
    if lines[at][1].startswith("- "):
        items = []
        while at < len(lines) and lines[at][0] == indent and lines[at][1].startswith("- "):
            items.append(_scalar(lines[at][1][2:]))
            at += 1
        return items, at
    mapping: dict[str, Any] = {}
    while at < len(lines) and lines[at][0] == indent:
        key, colon, value = lines[at][1].partition(":")
        if not colon or key in mapping:
            raise ValueError(f"not the YAML subset this reader knows: {lines[at][1]!r}")
        if value.strip():
            mapping[key], at = _scalar(value.strip()), at + 1
        elif at + 1 < len(lines) and lines[at + 1][0] > indent:
            mapping[key], at = _block(lines, at + 1)
        else:
            mapping[key], at = None, at + 1
    if at < len(lines) and lines[at][0] > indent:
        raise ValueError(f"unexpected indentation: {lines[at][1]!r}")
    return mapping, at


def read_compose() -> dict[str, Any]:
    lines = _logical_lines((ROOT / "docker-compose.yml").read_text())
    compose, end = _block(lines, 0)
    assert end == len(lines)
    assert isinstance(compose, dict)
    return compose


def dockerfile_stages() -> list[list[str]]:
    """The Dockerfile's instructions (continuations joined, comments dropped), one list per `FROM` stage."""
    text = re.sub(r"\\\n", " ", (ROOT / "Dockerfile").read_text())
    stages: list[list[str]] = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.upper().startswith("FROM "):
            stages.append([])
        assert stages, f"an instruction before the first FROM: {line!r}"
        stages[-1].append(line)
    return stages


def test_reader_refuses_what_it_does_not_know() -> None:
    with pytest.raises(ValueError, match="not the YAML subset"):
        _block(_logical_lines("a: 1\na: 2\n"), 0)
    with pytest.raises(ValueError, match="unexpected indentation"):
        _block(_logical_lines("a:\n    b: 1\n  c: 2\n"), 0)


def test_compose_images_are_exact_versions() -> None:
    services = read_compose()["services"]
    images = {name: service["image"] for name, service in services.items() if "image" in service}
    assert images, "the Redis service names its image"
    for name, image in images.items():
        assert EXACT_IMAGE.fullmatch(image), f"{name}: {image!r} floats; pin an exact version"
    for name, service in services.items():
        assert "image" in service or service.get("build") == ".", f"{name} has neither a pinned image nor our build"


def test_compose_redis_requires_the_password_and_every_client_uses_it() -> None:
    services = read_compose()["services"]
    command = services["redis"]["command"]
    assert "--requirepass" in command
    assert REQUIRED_PASSWORD.fullmatch(command[command.index("--requirepass") + 1]), "a missing password must stop"
    assert REQUIRED_PASSWORD.fullmatch(services["redis"]["environment"]["REDISCLI_AUTH"])  # the healthcheck's
    for name in ("bot", "worker", "web"):
        url = services[name]["environment"]["REDIS_URL"]
        assert re.fullmatch(r"redis://:" + REQUIRED_PASSWORD.pattern + r"@redis:6379/0", url), f"{name}: {url}"


def test_dockerfile_bases_are_exact_versions() -> None:
    names = set()
    for stage in dockerfile_stages():
        base, *alias = stage[0].split()[1:]
        if base not in names:
            assert EXACT_PYTHON.fullmatch(base), f"{base!r} floats; pin python:3.11.N-slim-bookworm"
        names.update(alias[1:])


def test_production_image_has_no_sandbox_tests_or_dev_tools() -> None:
    stages = dockerfile_stages()
    assert len(stages) >= 2, "a multi-stage build: what builds is not what ships"
    instructions = [line for stage in stages for line in stage]
    copied = " ".join(line for line in instructions if line.upper().startswith(("COPY", "ADD")))
    assert not re.search(r"\b(sandbox|tests|bench|scripts)\b", copied), copied
    installs = [line for line in instructions if "pip install" in line]
    assert installs, "the build installs the project"
    for line in installs:
        assert "-r requirements.lock" not in line, "the whole lock holds the test and lint tools"
        assert "[dev]" not in line, line
        assert "-e " not in line, line
    final = stages[-1]
    assert [line for line in final if line.upper().startswith("COPY")] == ["COPY --from=build /opt/venv /opt/venv"]
    assert {"data/", ".env"} <= set((ROOT / ".dockerignore").read_text().split())  # the embedded password stays out


def locked() -> dict[str, str]:
    lines = (ROOT / "requirements.lock").read_text().split()
    return {canonicalize_name(name): version for name, version in (line.split("==") for line in lines)}


def runtime_closure() -> set[str]:
    """Every distribution the production install pulls in: the project's dependencies and theirs, with extras."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pending = [Requirement(text) for text in project["dependencies"]]
    visited: set[tuple[str, frozenset[str]]] = set()
    while pending:
        requirement = pending.pop()
        name, extras = canonicalize_name(requirement.name), frozenset(requirement.extras)
        if (name, extras) in visited:
            continue
        visited.add((name, extras))
        for text in distribution(name).requires or []:
            nested = Requirement(text)
            if nested.marker is None or any(nested.marker.evaluate({"extra": extra}) for extra in extras | {""}):
                nested.marker = None
                pending.append(nested)
    return {name for name, _ in visited}


def test_every_runtime_dependency_is_pinned_and_none_is_a_dev_tool() -> None:
    closure, pins = runtime_closure(), locked()
    assert closure - set(pins) == set(), "the image would install these at whatever version is newest"
    assert closure & DEV_TOOLS == set()
    assert "async-lru" in closure  # extras are followed: tweepy[async]
