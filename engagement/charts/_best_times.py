"""Average engagement rate per weekday and hour: a heat map of when a post does best."""

from __future__ import annotations

from collections.abc import Mapping

import matplotlib
import numpy as np

from engagement.charts._style import TEXT, new_figure, png_bytes, style_axes

# viridis reads in order with the common colour-vision deficiencies and has no grey in it, so the light grey of
# an empty slot cannot be mistaken for a value (cividis runs through grey in its middle).
NO_RANK = "#d9d9d9"
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
HOURS = 24


def best_times_png(rates: Mapping[tuple[int, int], float | None], zone_label: str) -> bytes:
    """Render a weekday x hour heat map of average engagement rates (%) as PNG bytes."""
    grid = np.full((len(WEEKDAYS), HOURS), np.nan)
    for (weekday, hour), rate in rates.items():
        if rate is not None and 0 <= weekday < len(WEEKDAYS) and 0 <= hour < HOURS:
            grid[weekday, hour] = rate
    values = np.ma.masked_invalid(grid)
    top = float(values.max()) if values.count() else 0.0
    figure = new_figure(10.0, 4.0)
    axes = figure.add_subplot()
    style_axes(axes)
    axes.grid(False)  # cells, not a scale: grid lines would cut through them
    colormap = matplotlib.colormaps["viridis"].with_extremes(bad=NO_RANK)
    # A fixed range from 0 keeps an empty or single-valued map from an undefined (zero-width) colour scale.
    image = axes.imshow(values, cmap=colormap, vmin=0.0, vmax=top if top > 0 else 1.0, aspect="auto")
    axes.set_yticks(range(len(WEEKDAYS)), WEEKDAYS)
    axes.set_xticks(range(HOURS), [str(hour) for hour in range(HOURS)])
    axes.set_xlabel("hour of day", color=TEXT, fontsize=9)
    colorbar = figure.colorbar(image, ax=axes)
    colorbar.set_label("average engagement rate (%)", color=TEXT, fontsize=9)
    colorbar.ax.tick_params(colors=TEXT, labelsize=8)
    axes.set_title(f"Best posting times ({zone_label})", fontsize=10, color=TEXT)
    figure.text(0.01, 0.01, "grey: no posts, or fewer than 2 to rank", color=TEXT, fontsize=7)
    if not rates:
        axes.text(
            0.5,
            0.5,
            "No posts in the last 90 days",
            transform=axes.transAxes,
            ha="center",
            va="center",
            color=TEXT,
            fontsize=12,
        )
    return png_bytes(figure)
