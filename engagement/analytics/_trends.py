"""Week over week: each summary figure now and the week before, the change, and its direction."""

from __future__ import annotations

from dataclasses import dataclass

from engagement.analytics._community import Summary

FLAT_PERCENT = 1.0  # a change smaller than this share of last week's figure reads as flat
TREND_FIGURES = ("posts", "impressions", "engagements", "average_rate")


@dataclass(frozen=True)
class Trend:
    figure: str
    current: float
    previous: float
    change: float
    percent: float | None
    """Change as a share of last week's figure; None when last week's was 0."""
    direction: str
    """`up`, `down` or `flat`."""


def trend(figure: str, current: float, previous: float) -> Trend:
    change = round(current - previous, 4)
    percent = round(change / previous * 100, 1) if previous else None
    if change == 0 or (percent is not None and abs(percent) < FLAT_PERCENT):
        direction = "flat"
    else:
        direction = "up" if change > 0 else "down"
    return Trend(figure, current, previous, change, percent, direction)


def trends(current: Summary, previous: Summary) -> list[Trend]:
    return [trend(name, getattr(current, name), getattr(previous, name)) for name in TREND_FIGURES]
