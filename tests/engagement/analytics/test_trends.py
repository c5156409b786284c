"""Week over week: absolute change, percent and direction."""

from __future__ import annotations

from engagement.analytics._trends import Trend, trend


def test_a_fall_a_rise_a_new_figure_and_a_flat_one() -> None:
    assert trend("posts", 5, 10) == Trend("posts", 5, 10, -5, -50.0, "down")
    assert trend("engagements", 30, 20) == Trend("engagements", 30, 20, 10, 50.0, "up")
    assert trend("impressions", 100, 0) == Trend("impressions", 100, 0, 100, None, "up")
    assert trend("posts", 0, 0).direction == "flat"
    assert trend("average_rate", 2.01, 2.0).direction == "flat"  # +0.5 %: below the 1 % that counts as a move
