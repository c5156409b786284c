"""Charts as PNG bytes: matplotlib's object API on the Agg canvas, into memory (no pyplot state, safe in a
long-running process). Opaque, high-contrast colours so a chart reads the same on a light or a dark page."""

from engagement.charts._best_times import best_times_png
from engagement.charts._daily import daily_awards_png
from engagement.charts._mix import engagement_mix_png
from engagement.charts._post_curve import post_curve_png

__all__ = ["best_times_png", "daily_awards_png", "engagement_mix_png", "post_curve_png"]
