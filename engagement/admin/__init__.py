"""Admin tools (the original admin panel's five tabs), as core functions the slash commands and a web panel call.

Every change is audited in `{p}:audit` (who, what, old and new) in the same Redis step as the change.
"""

from engagement.admin._audit import AUDIT_PAGE_SIZE, AuditEntry, AuditPage, audit_log
from engagement.admin._batches import (
    BATCHES_PAGE_SIZE,
    BatchesPage,
    BatchRecord,
    batch_details,
    batch_history,
    latest_batch,
    request_batch_run,
    running_batch,
)
from engagement.admin._config import (
    CONFIG_FIELDS,
    ConfigEntry,
    alert_points_multiple,
    effective_settings,
    reset_config,
    set_config,
    show_config,
    show_setting,
)
from engagement.admin._daily import CHART_DAYS, DayTotal, daily_totals
from engagement.admin._export import CSV_COLUMNS, BoardExport, leaderboard_csv
from engagement.admin._members import MEMBERS_PAGE_SIZE, MemberRow, MembersPage, list_members
from engagement.admin._overview import Overview, overview
from engagement.admin._points import MAX_ADJUSTMENT, Adjustment, adjust_points
from engagement.admin._rule_preview import RulePreview, preview_rule
from engagement.admin._rules import RulesView, reset_rules, set_rule, show_rules
from engagement.admin._tweet_details import Engager, TweetDetails, tweet_details
from engagement.admin._tweets import (
    TWEETS_PAGE_SIZE,
    DeletedTweet,
    TweetRow,
    TweetsFilter,
    TweetsPage,
    delete_tweet,
    list_tweets,
)

__all__ = [
    "AUDIT_PAGE_SIZE",
    "BATCHES_PAGE_SIZE",
    "CHART_DAYS",
    "CONFIG_FIELDS",
    "CSV_COLUMNS",
    "MAX_ADJUSTMENT",
    "MEMBERS_PAGE_SIZE",
    "TWEETS_PAGE_SIZE",
    "Adjustment",
    "AuditEntry",
    "AuditPage",
    "BatchRecord",
    "BatchesPage",
    "BoardExport",
    "ConfigEntry",
    "DayTotal",
    "DeletedTweet",
    "Engager",
    "MemberRow",
    "MembersPage",
    "Overview",
    "RulePreview",
    "RulesView",
    "TweetDetails",
    "TweetRow",
    "TweetsFilter",
    "TweetsPage",
    "adjust_points",
    "alert_points_multiple",
    "audit_log",
    "batch_details",
    "batch_history",
    "daily_totals",
    "delete_tweet",
    "effective_settings",
    "latest_batch",
    "leaderboard_csv",
    "list_members",
    "list_tweets",
    "overview",
    "preview_rule",
    "request_batch_run",
    "reset_config",
    "reset_rules",
    "running_batch",
    "set_config",
    "set_rule",
    "show_config",
    "show_rules",
    "show_setting",
    "tweet_details",
]
