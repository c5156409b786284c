"""One post's total engagements at each snapshot, against the hours since it was published."""

from __future__ import annotations

from collections.abc import Sequence

from matplotlib.ticker import MaxNLocator

from engagement.charts._style import BLUE, TEXT, new_figure, png_bytes, style_axes


def post_curve_png(points: Sequence[tuple[float, int]], title: str) -> bytes:
    """Render (hours since publishing, total engagements) snapshots as a line chart in PNG bytes."""
    figure = new_figure(8.0, 3.2)
    axes = figure.add_subplot()
    style_axes(axes)
    ordered = sorted(points)  # snapshots may arrive in any order; the line must run forward in time
    if ordered:
        hours, totals = [hour for hour, _ in ordered], [total for _, total in ordered]
        # Unclipped, so a marker at 0 h or 0 engagements shows whole on the axis line.
        axes.plot(hours, totals, color=BLUE, marker="o", linewidth=2, clip_on=False)
        # Time and counts start at zero; the floors of 1 give a lone or all-zero snapshot a readable range.
        axes.set_xlim(0, max(1.0, hours[-1] * 1.05))
        axes.set_ylim(0, max(1.0, max(totals) * 1.1))
    else:
        axes.text(
            0.5, 0.5, "No snapshots yet", transform=axes.transAxes, ha="center", va="center", color=TEXT, fontsize=12
        )
    axes.set_xlabel("hours since publishing", color=TEXT, fontsize=9)
    axes.set_ylabel("total engagements")
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))  # engagements are whole counts
    axes.set_title(title, fontsize=10)
    return png_bytes(figure)
