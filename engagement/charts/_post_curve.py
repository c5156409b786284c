"""One post's total engagements at each snapshot, against the hours since it was published."""

from __future__ import annotations

from collections.abc import Sequence

from engagement.charts._style import BLUE, TEXT, new_figure, png_bytes, style_axes


def post_curve_png(points: Sequence[tuple[float, int]], title: str) -> bytes:
    """Render (hours since publishing, total engagements) snapshots as a line chart in PNG bytes."""
    figure = new_figure(8.0, 3.2)
    axes = figure.add_subplot()
    style_axes(axes)
    ordered = sorted(points)  # snapshots may arrive in any order; the line must run forward in time
    if ordered:
        axes.plot([hours for hours, _ in ordered], [total for _, total in ordered], color=BLUE, marker="o", linewidth=2)
        # Counts and elapsed time start at zero; set only the low end so one snapshot still gets a width.
        axes.set_xlim(left=0)
        axes.set_ylim(bottom=0)
    else:
        axes.text(
            0.5, 0.5, "No snapshots yet", transform=axes.transAxes, ha="center", va="center", color=TEXT, fontsize=12
        )
    axes.set_xlabel("hours since publishing", color=TEXT, fontsize=9)
    axes.set_ylabel("total engagements")
    axes.set_title(title, fontsize=10)
    return png_bytes(figure)
