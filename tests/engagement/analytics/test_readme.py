"""The README's Analytics section states the thresholds and weights the code uses (a change to one fails here)."""

from __future__ import annotations

from pathlib import Path

from engagement.analytics import _advice, _community, _measures, _score, _series
from engagement.store import SNAPSHOT_TTL

README = Path(__file__).resolve().parents[3] / "README.md"


def analytics_section() -> str:
    text = README.read_text(encoding="utf-8")
    return text.split("## Analytics\n", 1)[1].split("\n## ", 1)[0]


def test_the_definitions_match_the_code() -> None:
    section = " ".join(analytics_section().split())
    weights = _measures.WEIGHTS
    assert (
        f"likes x {weights['likes']} + reposts x {weights['reposts']} + replies x {weights['replies']} + "
        f"quotes x {weights['quotes']}" in section
    )
    assert f"engagement (max {_score.ENGAGEMENT_MAX:.0f})" in section
    assert f"reach (max {_score.REACH_MAX:.0f})" in section
    assert f"interaction quality (max {_score.QUALITY_MAX:.0f})" in section
    for name, kind, above in _community.TYPE_RULES:
        assert f"**{name}** ({kind} > {above:.0%})".replace("%", " %") in section
    assert f"**at least {_community.MIN_SLOT_POSTS} posts**" in section
    assert f"last {_community.BEST_TIMES_DAYS} days" in section
    assert f"top {_community.BEST_TIMES_TOP}" in section


def test_the_kept_series_and_the_recommendation_rules_match_the_code() -> None:
    section = " ".join(analytics_section().split())
    assert _series.FIRST_DAY_STEP == 300
    assert "one per 5 minutes in a post's first 24 hours" in section
    assert _series.FIRST_WEEK_STEP == 3600
    assert "one per hour until it is 7 days old" in section
    assert f"expire {SNAPSHOT_TTL // 86_400} days after their last write" in section
    assert f"replies < {_advice.REPLY_SHARE_LOW:.0%}".replace("%", " %") in section
    assert f"reposts < {_advice.REPOST_SHARE_LOW:.0%}".replace("%", " %") in section
    assert f"at least {_advice.MIN_ENGAGEMENTS} engagements" in section
    assert f"at least {_advice.BEST_SLOT_MULTIPLE}x the median rate" in section
    assert f"at least {_advice.MIN_CATEGORY_POSTS} posts this week and at least {_advice.CATEGORY_MULTIPLE}x" in section
    assert f"posts down {-_advice.FEWER_POSTS_PERCENT:.0f} % or more" in section
    assert f"the average rate down {-_advice.RATE_DROP_PERCENT:.0f} % or more" in section
