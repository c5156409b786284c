"""The analytics charts from analytics' own records, shared by `/insights`, the weekly report and the web panel."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from engagement.analytics._community import MIN_SLOT_POSTS
from engagement.analytics._records import PostRecord
from engagement.charts import best_times_png, engagement_mix_png, post_curve_png

MIX_LABELS = {"likes": "likes", "reposts": "reposts", "replies": "replies", "quotes": "quotes"}


def heat_map_rates(slots: Iterable[Mapping[str, Any]]) -> dict[tuple[int, int], float | None]:
    """(weekday, hour) -> average rate, None for a slot with too few posts to rank (slots as dicts or JSON)."""
    return {
        (int(slot["weekday"]), int(slot["hour"])): (
            float(slot["average_rate"]) if int(slot["posts"]) >= MIN_SLOT_POSTS else None
        )
        for slot in slots
    }


def best_times_chart(slots: Iterable[Mapping[str, Any]], zone: str) -> bytes:
    return best_times_png(heat_map_rates(slots), zone)


def post_chart(post: PostRecord) -> bytes:
    points = [(snapshot.hours, snapshot.counters.engagements) for snapshot in post.snapshots]
    return post_curve_png(points, "Engagements since publishing")


def mix_chart(counts: Mapping[str, int], title: str = "Engagement mix") -> bytes:
    return engagement_mix_png({MIX_LABELS[kind]: int(counts.get(kind, 0)) for kind in MIX_LABELS}, title)
