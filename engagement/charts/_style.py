"""One look for every chart: an opaque card, dark text, colour-blind-safe colours."""

from __future__ import annotations

import io

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

BACKGROUND = "#ffffff"
TEXT = "#1f2328"
GRID = "#d0d7de"
BLUE = "#0969da"
ORANGE = "#bc4c00"
DPI = 100


def new_figure(width: float = 8.0, height: float = 3.2) -> Figure:
    figure = Figure(figsize=(width, height), dpi=DPI, facecolor=BACKGROUND, layout="constrained")
    FigureCanvasAgg(figure)
    return figure


def style_axes(axes: Axes) -> None:
    axes.set_facecolor(BACKGROUND)
    axes.tick_params(colors=TEXT, labelsize=8)
    axes.yaxis.label.set_color(TEXT)
    axes.title.set_color(TEXT)
    axes.grid(axis="y", color=GRID, linewidth=0.6)
    axes.set_axisbelow(True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        axes.spines[side].set_color(GRID)


def png_bytes(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", facecolor=BACKGROUND)
    return buffer.getvalue()
