"""Points (bars) and awards (line) per day: the web panel's Overview chart."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from engagement.charts._style import BLUE, ORANGE, TEXT, new_figure, png_bytes, style_axes


class DayFigures(Protocol):
    @property
    def day(self) -> str: ...
    @property
    def awards(self) -> int: ...
    @property
    def points(self) -> int: ...


def daily_awards_png(days: Sequence[DayFigures]) -> bytes:
    figure = new_figure()
    points_axes = figure.add_subplot()
    style_axes(points_axes)
    labels = [day.day[5:] for day in days]  # MM-DD
    points_axes.bar(labels, [day.points for day in days], color=BLUE, label="points")
    points_axes.set_ylabel("points", color=BLUE)
    awards_axes = points_axes.twinx()
    awards_axes.plot(labels, [day.awards for day in days], color=ORANGE, marker="o", linewidth=2, label="awards")
    awards_axes.set_ylabel("awards", color=ORANGE)
    awards_axes.tick_params(colors=TEXT, labelsize=8)
    for axes in (points_axes, awards_axes):
        axes.set_ylim(bottom=0)
    points_axes.set_title("Points and awards per day (UTC)", fontsize=10)
    points_axes.tick_params(axis="x", labelrotation=45)
    return png_bytes(figure)
