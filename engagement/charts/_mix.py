"""How a post's or member's engagements split by type: one horizontal bar per type, with count and share."""

from __future__ import annotations

from collections.abc import Mapping

from matplotlib.ticker import MaxNLocator

from engagement.charts._style import GRID, TEXT, new_figure, png_bytes, style_axes

# Okabe-Ito colours, told apart with every common colour-vision deficiency; cycled past the fourth type.
PALETTE = ("#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9")


def engagement_mix_png(counts: Mapping[str, int], title: str) -> bytes:
    """Render the count and share of each engagement type, in the given order, as PNG bytes."""
    figure = new_figure(8.0, 3.2)
    axes = figure.add_subplot()
    style_axes(axes)
    axes.grid(False)
    axes.grid(axis="x", color=GRID, linewidth=0.6)  # the bars run sideways, so the scale lines do too
    names = list(counts)
    values = [counts[name] for name in names]
    total = sum(values)
    colours = [PALETTE[index % len(PALETTE)] for index in range(len(names))]
    bars = axes.barh(names, values, color=colours)
    axes.invert_yaxis()  # first type on top, as given
    if total > 0:
        labels = [f"{value} ({100 * value / total:.1f}%)" for value in values]
        axes.bar_label(bars, labels=labels, padding=4, color=TEXT, fontsize=8)
        axes.set_xlim(0, max(values) * 1.25)  # room for the labels past the longest bar
    else:
        axes.set_xlim(0, 1)  # all bars are zero: a fixed range, since 0..0 is no range
        axes.text(
            0.5, 0.5, "No engagement yet", transform=axes.transAxes, ha="center", va="center", color=TEXT, fontsize=12
        )
    axes.set_xlabel("engagements", color=TEXT, fontsize=9)
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))  # engagements are whole counts
    axes.set_title(title, fontsize=10)
    return png_bytes(figure)
