"""The analytics charts are real PNGs of the stated sizes, drawn from their data alone, empty data included."""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image

from engagement.charts import best_times_png, engagement_mix_png, post_curve_png

RATES: dict[tuple[int, int], float | None] = {
    (weekday, hour): ((weekday * 7 + hour * 3) % 11) / 2 for weekday in range(7) for hour in range(8, 23, 2)
}
RATES[(2, 9)] = None  # posts there, but too few to rank
CURVE = [(0.0, 0), (0.5, 4), (1.0, 9), (3.0, 21), (6.0, 30), (24.0, 42)]
MIX = {"likes": 40, "reposts": 12, "replies": 7, "quotes": 3}

CHARTS: dict[str, tuple[Callable[[], bytes], tuple[int, int]]] = {
    "best_times": (lambda: best_times_png(RATES, "Europe/Berlin"), (1000, 400)),
    "best_times_empty": (lambda: best_times_png({}, "UTC"), (1000, 400)),
    "post_curve": (lambda: post_curve_png(CURVE, "Engagements on one post"), (800, 320)),
    "post_curve_one": (lambda: post_curve_png([(0.0, 0)], "A single snapshot"), (800, 320)),
    "post_curve_empty": (lambda: post_curve_png([], "Engagements on one post"), (800, 320)),
    "mix": (lambda: engagement_mix_png(MIX, "Engagement mix"), (800, 320)),
    "mix_zero": (lambda: engagement_mix_png(dict.fromkeys(MIX, 0), "Engagement mix"), (800, 320)),
    "mix_none": (lambda: engagement_mix_png({}, "Engagement mix"), (800, 320)),
}


@pytest.mark.parametrize("name", sorted(CHARTS))
def test_each_chart_is_a_png_of_its_size_on_an_opaque_background(name: str) -> None:
    draw, size = CHARTS[name]
    image = Image.open(io.BytesIO(draw()))
    assert image.format == "PNG"
    assert image.size == size
    assert image.convert("RGBA").getpixel((2, 2)) == (255, 255, 255, 255)  # opaque on a light or a dark page


def test_different_rates_draw_a_different_heat_map() -> None:
    shifted = {slot: None if rate is None else rate + 1 for slot, rate in RATES.items()}
    assert best_times_png(RATES, "UTC") != best_times_png(shifted, "UTC")
    assert best_times_png(RATES, "UTC") != best_times_png({**RATES, (0, 8): None}, "UTC")  # an unranked slot shows
    assert best_times_png(RATES, "UTC") != best_times_png(RATES, "Europe/Berlin")  # the zone is in the title
    assert best_times_png(RATES, "UTC") == best_times_png(dict(RATES), "UTC")  # no state kept between charts


def test_different_snapshots_draw_a_different_curve() -> None:
    assert post_curve_png(CURVE, "t") != post_curve_png(CURVE[:-1], "t")
    assert post_curve_png(CURVE, "t") == post_curve_png(list(reversed(CURVE)), "t")  # drawn in time order
    assert post_curve_png(CURVE, "t") == post_curve_png(list(CURVE), "t")


def test_different_counts_draw_a_different_mix() -> None:
    assert engagement_mix_png(MIX, "t") != engagement_mix_png({**MIX, "likes": 41}, "t")
    assert engagement_mix_png(MIX, "t") != engagement_mix_png(dict(reversed(MIX.items())), "t")  # order is kept
    assert engagement_mix_png(MIX, "t") == engagement_mix_png(dict(MIX), "t")


def test_the_empty_charts_differ_from_the_drawn_ones() -> None:
    assert best_times_png({}, "UTC") != best_times_png(RATES, "UTC")
    assert best_times_png({}, "UTC") != best_times_png({(0, 0): None}, "UTC")  # only no posts at all says so
    assert post_curve_png([], "t") != post_curve_png(CURVE, "t")
    assert engagement_mix_png(dict.fromkeys(MIX, 0), "t") != engagement_mix_png(MIX, "t")


def test_the_charts_are_written_for_a_look(tmp_path: Path) -> None:
    directory = Path(os.environ.get("TEST_ARTIFACTS_DIR") or tmp_path)
    directory.mkdir(parents=True, exist_ok=True)
    for name, (draw, _) in CHARTS.items():
        path = directory / f"chart_{name}.png"
        path.write_bytes(draw())
        with Image.open(path) as image:
            assert image.format == "PNG"
