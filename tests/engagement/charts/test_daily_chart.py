"""The Overview chart is a real PNG of the stated size, and it depends on the figures drawn."""

from __future__ import annotations

import io

from PIL import Image

from engagement.admin import DayTotal
from engagement.charts import daily_awards_png

DAYS = [DayTotal(f"2026-11-{day:02d}", awards=day % 4, points=(day * 7) % 30) for day in range(1, 15)]


def test_the_chart_is_a_png_of_800_by_320_on_an_opaque_background() -> None:
    image = Image.open(io.BytesIO(daily_awards_png(DAYS)))
    assert image.format == "PNG"
    assert image.size == (800, 320)
    corner = image.convert("RGBA").getpixel((2, 2))
    assert corner == (255, 255, 255, 255)  # opaque: reads the same on a light or a dark page


def test_different_figures_draw_a_different_chart() -> None:
    quiet = [DayTotal(day.day, 0, 0) for day in DAYS]
    assert daily_awards_png(DAYS) != daily_awards_png(quiet)
    assert daily_awards_png(DAYS) == daily_awards_png(list(DAYS))  # no state kept between charts
