"""Charts as PNG bytes: matplotlib's object API on the Agg canvas, into memory (no pyplot state, safe in a
long-running process). Opaque, high-contrast colours so a chart reads the same on a light or a dark page."""

from engagement.charts._daily import daily_awards_png

__all__ = ["daily_awards_png"]
