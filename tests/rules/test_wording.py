"""Counts read as people write them: one award, two awards, one reply, two replies, one batch, two batches."""

from __future__ import annotations

import pytest

from rules.wording import engagement_name, plural


@pytest.mark.parametrize(
    ("count", "word", "text"),
    [
        (1, "award", "1 award"),
        (2, "award", "2 awards"),
        (0, "reply", "0 replies"),
        (1, "reply", "1 reply"),
        (1, "batch", "1 batch"),
        (12, "batch", "12 batches"),
        (1000, "point", "1,000 points"),
    ],
)
def test_plural(count: int, word: str, text: str) -> None:
    assert plural(count, word) == text


def test_signed_counts_and_the_name_of_a_retweet() -> None:
    assert plural(-1, "point", signed=True) == "-1 point"
    assert plural(3, "point", signed=True) == "+3 points"
    assert engagement_name("retweet") == "repost"
