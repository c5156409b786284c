"""Recommendations of the weekly report: explicit rules on the report's own figures, each documented in the README.

Each rule says what it saw and what to do; a rule whose condition does not hold says nothing.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from engagement.analytics._community import CommunityMix, Summary, TimeSlot
from engagement.analytics._measures import WEIGHTS
from engagement.analytics._trends import Trend

DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MIN_ENGAGEMENTS = 20  # below this a share says little
REPLY_SHARE_LOW = 0.15
REPOST_SHARE_LOW = 0.05
BEST_SLOT_MULTIPLE = 1.5
CATEGORY_MULTIPLE = 1.5
MIN_CATEGORY_POSTS = 3
FEWER_POSTS_PERCENT = -30.0
RATE_DROP_PERCENT = -20.0


@dataclass(frozen=True)
class AdviceInputs:
    summary: Summary
    mix: CommunityMix
    trends: Sequence[Trend]
    best_times: Sequence[TimeSlot]
    period_rates: Sequence[float]
    """The engagement rates (known ones) of the posts the best times were drawn from."""
    zone: str


def _mix_advice(mix: CommunityMix) -> list[str]:
    if mix.engagements < MIN_ENGAGEMENTS:
        return []
    found = []
    replies, reposts = mix.shares["replies"], mix.shares["reposts"]
    if replies < REPLY_SHARE_LOW:
        found.append(
            f"Replies weigh {WEIGHTS['replies']}x a like in the engagement score but are only {replies:.0%} of "
            "engagement: ask questions in posts."
        )
    if reposts < REPOST_SHARE_LOW:
        found.append(f"Reposts are only {reposts:.0%} of engagement: ask members to repost what they like.")
    return found


def _time_advice(best: Sequence[TimeSlot], rates: Sequence[float], zone: str) -> list[str]:
    median = statistics.median(rates) if rates else 0.0
    if not best or median <= 0 or best[0].average_rate < BEST_SLOT_MULTIPLE * median:
        return []
    slot = best[0]
    multiple = slot.average_rate / median
    return [
        f"{DAYS[slot.weekday]} {slot.hour:02d}:00 {zone} posts get {multiple:.1f}x the median engagement rate "
        f"({slot.posts} posts): post then."
    ]


def _category_advice(summary: Summary) -> list[str]:
    if summary.average_rate <= 0:
        return []
    found = []
    for name, figures in summary.by_category.items():
        if figures.posts >= MIN_CATEGORY_POSTS and figures.average_rate >= CATEGORY_MULTIPLE * summary.average_rate:
            multiple = figures.average_rate / summary.average_rate
            found.append(
                f"'{name}' posts had {multiple:.1f}x the average engagement rate this week: post more of them."
            )
    return found


def _trend_advice(found: Sequence[Trend]) -> list[str]:
    by_name = {item.figure: item for item in found}
    advice = []
    posts, rate = by_name.get("posts"), by_name.get("average_rate")
    if posts and posts.percent is not None and posts.percent <= FEWER_POSTS_PERCENT:
        advice.append(
            f"{int(-posts.change)} fewer posts than last week ({posts.percent:.0f} %): remind members to /submit."
        )
    if rate and rate.percent is not None and rate.percent <= RATE_DROP_PERCENT:
        advice.append(f"The average engagement rate fell {-rate.percent:.0f} % from last week.")
    return advice


def recommendations(inputs: AdviceInputs) -> list[str]:
    if inputs.summary.posts == 0:
        return ["No posts were submitted this week: remind members to /submit their posts."]
    return [
        *_mix_advice(inputs.mix),
        *_time_advice(inputs.best_times, inputs.period_rates, inputs.zone),
        *_category_advice(inputs.summary),
        *_trend_advice(inputs.trends),
    ]
