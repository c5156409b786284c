"""Short (CI) or long (`RELIABILITY_LONG=1`) runs of the reliability suite."""

from __future__ import annotations

import os

LONG = os.environ.get("RELIABILITY_LONG") == "1"


def scaled(short: int, long: int) -> int:
    return long if LONG else short
