"""Analytics from the counters every batch already reads: per-post measures, performance scores, community type,
member summaries, best posting times, trends and the weekly report (definitions in the README's Analytics section)."""

from engagement.analytics._archive import append_report, read_archive
from engagement.analytics._charts import best_times_chart, heat_map_rates, mix_chart, post_chart
from engagement.analytics._commands import insights_for_community, insights_for_member, insights_for_post
from engagement.analytics._community import (
    BEST_TIMES_DAYS,
    COMMUNITY_TYPES,
    CommunityMix,
    Summary,
    TimeSlot,
    best_times,
    community_type,
    summarize,
    time_grid,
)
from engagement.analytics._insights import (
    CommunityInsights,
    MemberInsights,
    PlatformFigures,
    PostInsights,
    build_report,
    community_insights,
    member_insights,
    post_insights,
)
from engagement.analytics._loading import load_post, load_posts, post_record
from engagement.analytics._measures import PostMeasures, engagement_rate, post_measures, weighted_score
from engagement.analytics._records import ENGAGEMENT_TYPES, Counters, PostRecord, Snapshot
from engagement.analytics._report import Report, previous_week, week_bounds, week_of, weekly_report
from engagement.analytics._report_text import report_text
from engagement.analytics._score import PerformanceScore, p90, performance_scores
from engagement.analytics._series import (
    PUBLISHED_AT,
    bucket,
    counters_write,
    decode,
    encode,
    snapshot_write,
    threads_counters,
)
from engagement.analytics._weekly import drain_reports, due_week, make_due_report

__all__ = [
    "BEST_TIMES_DAYS",
    "COMMUNITY_TYPES",
    "ENGAGEMENT_TYPES",
    "PUBLISHED_AT",
    "CommunityInsights",
    "CommunityMix",
    "Counters",
    "MemberInsights",
    "PerformanceScore",
    "PlatformFigures",
    "PostInsights",
    "PostMeasures",
    "PostRecord",
    "Report",
    "Snapshot",
    "Summary",
    "TimeSlot",
    "append_report",
    "best_times",
    "best_times_chart",
    "bucket",
    "build_report",
    "community_insights",
    "community_type",
    "counters_write",
    "decode",
    "drain_reports",
    "due_week",
    "encode",
    "engagement_rate",
    "heat_map_rates",
    "insights_for_community",
    "insights_for_member",
    "insights_for_post",
    "load_post",
    "load_posts",
    "make_due_report",
    "member_insights",
    "mix_chart",
    "p90",
    "performance_scores",
    "post_chart",
    "post_insights",
    "post_measures",
    "post_record",
    "previous_week",
    "read_archive",
    "report_text",
    "snapshot_write",
    "summarize",
    "threads_counters",
    "time_grid",
    "week_bounds",
    "week_of",
    "weekly_report",
    "weighted_score",
]
