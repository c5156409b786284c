"""The demo's analytics: this week's report so far, printed short, and its charts written to a folder it names."""

from __future__ import annotations

import asyncio
from pathlib import Path
from zoneinfo import ZoneInfo

from engagement.analytics import (
    best_times_chart,
    build_report,
    insights_for_post,
    mix_chart,
    post_chart,
    report_text,
    week_of,
)
from engagement.services import Services

SECTIONS_SHOWN = (
    "Weekly report", "▲", "▼", "=", "Top posts", "1.", "2.", "3.", "Community type", "X:", "Threads:", "Top engagers",
)  # fmt: skip


def short_text(text: str) -> str:
    """The report's headline figures, top three posts, community type and recommendations."""
    lines, in_advice = [], False
    for line in text.splitlines():
        in_advice = in_advice or line.startswith("Recommendations")
        if in_advice or line.startswith(SECTIONS_SHOWN):
            lines.append(line)
    return "\n".join(lines)


async def show_report(services: Services, folder: Path) -> list[Path]:
    """Print this week's report so far and write its charts (and the best post's curve) into `folder`."""
    now, zone = services.clock(), ZoneInfo("UTC")
    report = await build_report(services.store, week_of(now, zone), zone, now)
    print("\n" + short_text(report_text(report)))
    charts = {
        "best-times.png": await asyncio.to_thread(best_times_chart, report["time_grid"], report["zone"]),
        "mix.png": await asyncio.to_thread(mix_chart, report["community_type"]["counts"]),
    }
    if report["top_posts"]:
        best = await insights_for_post(services, report["top_posts"][0]["url"])
        charts["best-post.png"] = await asyncio.to_thread(post_chart, best.post)
    written = await asyncio.to_thread(_write, folder, charts)
    print(f"charts written to {folder}/: {', '.join(path.name for path in written)}")
    return written


def _write(folder: Path, charts: dict[str, bytes]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    for name, png in charts.items():
        (folder / name).write_bytes(png)
    return [folder / name for name in charts]
