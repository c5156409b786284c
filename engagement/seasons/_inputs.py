"""What admins type for seasons, teams and campaigns, checked and worded for people."""

from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from engagement.errors import InvalidInput

MAX_NAME = 40
MAX_DAYS = 366
_NAME = re.compile(r"[\w][\w .'-]{0,39}")
_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d")
MIN_MULTIPLIER, MAX_MULTIPLIER = Decimal("0.1"), Decimal(10)


def checked_name(value: object, what: str) -> str:
    name = " ".join(str(value).split()) if isinstance(value, str) else ""
    if not _NAME.fullmatch(name):
        raise InvalidInput(
            f"A {what} name is 1 to {MAX_NAME} letters, digits, spaces, '-', '.', \"'\" or '_', "
            f"got {str(value)[:50]!r}."
        )
    return name


def moment(value: object, zone: ZoneInfo, now: float, what: str) -> float:
    """`now`, or a date (`2026-12-01`, midnight) or date and time (`2026-12-01 18:00`) in the community's zone."""
    text = str(value).strip() if isinstance(value, str) else ""
    if text.lower() == "now":
        return float(int(now))
    for form in _FORMATS:
        try:
            return datetime.strptime(text, form).replace(tzinfo=zone).timestamp()
        except ValueError:
            continue
    raise InvalidInput(
        f"The {what} must be `now`, a date like 2026-12-01 or a date and time like 2026-12-01 18:00 "
        f"({zone.key}), got {text[:30]!r}."
    )


def period(start: float, end: float, now: float) -> tuple[float, float]:
    if end <= start:
        raise InvalidInput("The end must be after the start.")
    if end <= now:
        raise InvalidInput("The end is already past: pick an end in the future.")
    if end - start > MAX_DAYS * 86_400:
        raise InvalidInput(f"A season or campaign lasts at most {MAX_DAYS} days.")
    return start, end


def multiplier(value: object) -> Decimal:
    try:
        found = Decimal(str(value).strip())
    except InvalidOperation:
        found = Decimal(0)
    if (
        not found.is_finite()
        or not MIN_MULTIPLIER <= found <= MAX_MULTIPLIER
        or found != found.quantize(Decimal("0.01"))
    ):
        raise InvalidInput(
            f"The multiplier is a number from 0.1 to 10 with at most 2 decimals (e.g. 1.5), got {str(value)[:20]!r}."
        )
    return found.normalize()


def reward_zone(value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 100:
        raise InvalidInput("The reward zone is the top 1 to 100 members.")
    return value
