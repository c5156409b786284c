"""The report archive: every report made, one JSON object per line, so history survives and other tools can read it."""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

from engagement.analytics._report import Report

log = logging.getLogger(__name__)


def append_report(path: Path, report: Report, community: str) -> None:
    """Append `report` (tagged with its community) as one line; the folder is created owner-only if missing."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    line = json.dumps({"community": community, **report}, sort_keys=True, separators=(",", ":"))
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(descriptor, "a", encoding="utf-8") as archive:
        archive.write(line + "\n")  # one write of one line: readers never see half a report


def read_archive(path: Path, community: str | None = None) -> list[Report]:
    """Every archived report (of `community` when given), oldest first; an unreadable line is logged and skipped."""
    if not path.exists():
        return []
    reports: list[Report] = []
    with path.open(encoding="utf-8") as archive:
        for number, line in enumerate(archive, 1):
            try:
                report = json.loads(line)
            except ValueError:
                log.warning("%s line %d is not JSON; skipped", path, number)
                continue
            if isinstance(report, dict) and (community is None or report.get("community") == community):
                reports.append(report)
    return reports
