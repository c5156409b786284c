"""The weekly report as text: what `python -m worker report` prints and what the bot posts."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from engagement.analytics._advice import DAYS
from engagement.analytics._report import Report
from engagement.platforms import THREADS, platform_title, seen_word
from rules.wording import plural

ARROWS = {"up": "▲", "down": "▼", "flat": "="}
FIGURE_NAMES = {
    "posts": "Posts",
    "impressions": "Impressions",
    "engagements": "Engagements",
    "average_rate": "Avg. engagement rate",
}


def _figure(name: str, value: float) -> str:
    return f"{value:.2f} %" if name == "average_rate" else f"{int(value):,}"


def _trend_line(item: Mapping[str, Any]) -> str:
    name = item["figure"]
    change = item["change"]
    sign = "+" if change >= 0 else "-"
    percent = "new" if item["percent"] is None else f"{item['percent']:+.1f} %"
    shown_change = f"{sign}{abs(change):.2f} pt" if name == "average_rate" else f"{sign}{abs(int(change)):,}"
    return (
        f"{ARROWS[item['direction']]} {FIGURE_NAMES[name]}: {_figure(name, item['current'])} "
        f"(last week {_figure(name, item['previous'])}, {shown_change}, {percent})"
    )


def _day(moment: float, zone: str) -> str:
    return datetime.fromtimestamp(moment, ZoneInfo(zone)).strftime("%a %d %b %Y")


def _posts(report: Report) -> list[str]:
    lines = ["", "Top posts (by performance score, 0-100):"]
    for rank, post in enumerate(report["top_posts"], 1):
        lines.append(
            f"{rank}. {post['url']} by @{post['author_handle']} [{post['category']}]: score {post['score']:.1f}, "
            f"{plural(post['engagements'], 'engagement')}, rate {post['engagement_rate']:.2f} %"
        )
    return lines if report["top_posts"] else [*lines, "(none)"]


def _categories(report: Report) -> list[str]:
    lines = ["", "By category:"]
    for name, figures in report["summary"]["by_category"].items():
        lines.append(
            f"- {name}: {plural(figures['posts'], 'post')}, {plural(figures['engagements'], 'engagement')}, "
            f"avg. rate {figures['average_rate']:.2f} %"
        )
    return lines if report["summary"]["by_category"] else [*lines, "(none)"]


def _mix(report: Report) -> list[str]:
    mix = report["community_type"]
    shares = ", ".join(f"{name} {share:.0%}" for name, share in mix["shares"].items())
    return ["", f"Community type: {mix['type']} ({shares})" if mix["engagements"] else "Community type: no engagement"]


def _platforms(report: Report) -> list[str]:
    """Each platform's week, when the week has Threads posts (the X line then beside it): figures, type, top posts."""
    sections = {name: part for name, part in report.get("platforms", {}).items() if part["summary"]["posts"]}
    if THREADS not in sections:
        return []
    lines: list[str] = []
    for platform, section in sections.items():
        title, seen = platform_title(platform), seen_word(platform)
        summary, mix = section["summary"], section["community_type"]
        kind = f"community type {mix['type']}" if mix["engagements"] else "no engagement"
        lines += [
            "",
            f"{title}: {plural(summary['posts'], 'post')}, {plural(summary['engagements'], 'engagement')}, "
            f"{summary['impressions']:,} {seen}, avg. rate {summary['average_rate']:.2f} %, {kind}",
        ]
        for rank, post in enumerate(section["top_posts"][:3], 1):
            lines.append(f"  {rank}. {post['url']} by @{post['author_handle']}: score {post['score']:.1f}")
    lines.append("(On Threads, replies by members earn points; likes, reposts and shares count here only.)")
    return lines


def _times(report: Report) -> list[str]:
    lines = ["", f"Best posting times (last 90 days, {report['zone']}, slots with 2+ posts):"]
    for slot in report["best_times"]:
        lines.append(
            f"- {DAYS[slot['weekday']]} {slot['hour']:02d}:00: avg. rate {slot['average_rate']:.2f} % "
            f"({plural(slot['posts'], 'post')})"
        )
    return lines if report["best_times"] else [*lines, "(not enough posts yet)"]


def _engagers(report: Report, name: Callable[[str], str]) -> list[str]:
    lines = ["", "Top engagers (this week's board):"]
    for rank, entry in enumerate(report["top_engagers"], 1):
        lines.append(f"{rank}. {name(entry['discord_id'])}: {plural(entry['points'], 'point')}")
    return lines if report["top_engagers"] else [*lines, "(none)"]


def _no_impressions(report: Report) -> str:
    """Which platform left the week's posts without impressions (views on Threads)."""
    shown = [name for name, part in report.get("platforms", {}).items() if part["summary"]["posts"]] or ["x"]
    titles = " and ".join(map(platform_title, shown))
    return f"{titles} gave no {' or '.join(dict.fromkeys(map(seen_word, shown)))} for these posts"


def report_text(report: Report, name: Callable[[str], str] = str) -> str:
    """The whole report; `name` shows a member (their id by default, a mention in Discord)."""
    summary = report["summary"]
    lines = [
        f"Weekly report {report['week']} ({_day(report['start'], report['zone'])} to "
        f"{_day(report['end'] - 1, report['zone'])}, {report['zone']})",
        "",
        *(_trend_line(item) for item in report["trends"]),
    ]
    if summary["posts"] and summary["impressions"] == 0:
        lines.append(f"({_no_impressions(report)}, so their engagement rate reads 0.)")
    lines += _posts(report) + _categories(report) + _mix(report) + _platforms(report)
    lines += _times(report) + _engagers(report, name)
    lines += ["", "Recommendations:", *(f"- {advice}" for advice in report["recommendations"])]
    if not report["recommendations"]:
        lines.append("- Nothing stands out this week.")
    return "\n".join(lines)
