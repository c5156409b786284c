"""Figures of the simulated days: requests by endpoint, reads, dollars, recall against the scenario's truth."""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from datetime import UTC, datetime
from typing import Any

from bench._common import print_table
from bench._day import DAY_START, DayPlan, Event
from bench._floor import floor_batches, floor_report, nearest_rank, show_floor
from bench._strategies import BatchRow, BilledXClient, DayRun
from engagement.validation import ENGAGEMENT_TYPES
from engagement.x.models import XUsage
from sandbox.scenario import Award

DAY_SECONDS = 24 * 3600
TARGET_RATIO = 1 / 20


def measured_day(plan: DayPlan) -> tuple[float, float]:
    """The last day of submissions: its window is full from its first batch on (steady state)."""
    start = DAY_START.timestamp() + (plan.days - 1) * DAY_SECONDS
    return start, start + DAY_SECONDS


def awardable(plan: DayPlan, run: DayRun, schedule: list[float]) -> set[Award]:
    """The truth a batch could see: expected awards whose engagement happened before the tweet's last scan."""
    window = run.settings.batch_window_hours * 3600

    def last_scan(tweet_id: str) -> float:
        submitted = run.submitted_at.get(tweet_id)
        return -1.0 if submitted is None else max((t for t in schedule if t - window <= submitted), default=-1.0)

    scans = {tweet_id: last_scan(tweet_id) for tweet_id in plan.scenario.tweets}
    return {award for award, at in plan.engaged_at.items() if at <= scans[award[0]]}


def recall(found: set[Award], truth: set[Award]) -> dict[str, dict[str, Any]]:
    by_type = {}
    for kind in ENGAGEMENT_TYPES:
        wanted = {award for award in truth if award[2] == kind}
        hits = len(found & wanted)
        by_type[kind] = {
            "found": hits,
            "truth": len(wanted),
            "recall": hits / len(wanted) if wanted else 1.0,
            "missed_sample": sorted(wanted - found)[:10],
        }
    return by_type


def day_figures(rows: list[BatchRow], day: tuple[float, float]) -> dict[str, Any]:
    """Requests, reads and dollars of the batches in `day`."""
    in_day = [row for row in rows if day[0] <= row.at < day[1]]
    total = XUsage()
    for row in in_day:
        total.requests = dict(Counter(total.requests) + Counter(row.usage.requests))
        total.posts_read += row.usage.posts_read
        total.users_read += row.usage.users_read
    return {
        "batches_per_day": len(in_day),
        "requests_per_day": total.total_requests,
        "requests_per_day_by_endpoint": dict(sorted(total.requests.items())),
        "requests_per_batch_mean": round(total.total_requests / max(len(in_day), 1), 1),
        "requests_per_batch_max": max((row.usage.total_requests for row in in_day), default=0),
        "posts_read_per_day": total.posts_read,
        "users_read_per_day": total.users_read,
        "usd_per_day": total.cost_usd,
        "partial_batches": sum(1 for row in in_day if row.status == "partial"),
    }


def strategy_figures(
    rows: list[BatchRow], x: BilledXClient, found: set[Award], truth: set[Award], plan: DayPlan
) -> dict[str, Any]:
    day = measured_day(plan)
    return {
        **day_figures(rows, day),
        "billed_usd_per_day": x.billed_usd(datetime.fromtimestamp(day[0], UTC).date().isoformat()),
        "recall": recall(found, truth),
        "false_awards": len(found - set(plan.scenario.expected_awards)),
        "batches": [row.as_json() for row in rows],
    }


def _moving_events(plan: DayPlan) -> dict[str, list[tuple[float, str]]]:
    """(time, tweet) of each event that moves one of a tracked tweet's counters, by kind."""
    moves: defaultdict[str, list[tuple[float, str]]] = defaultdict(list)
    roots = plan.scenario.tweets
    for event in plan.events:
        moves_of = _moved(event, roots)
        if moves_of is not None:
            moves[moves_of[0]].append((event.at, moves_of[1]))
    return moves


def _moved(event: Event, roots: dict[str, str]) -> tuple[str, str] | None:
    if event.kind in ("like", "retweet"):
        return event.kind, event.payload[1]
    post = event.payload if event.kind == "post" else None
    if post is not None and post.in_reply_to in roots:
        return "reply", post.in_reply_to
    if post is not None and post.quoted in roots:
        return "quote", post.quoted
    return None


def movement(plan: DayPlan, run: DayRun, schedule: list[float]) -> dict[str, float]:
    """Share of tracked tweets whose counter of each kind moved between two batches of the measured day."""
    day = measured_day(plan)
    moves = _moving_events(plan)
    tracked_total = 0
    moved: Counter[str] = Counter()
    for previous, at in itertools.pairwise(schedule):
        if not day[0] <= at < day[1]:
            continue
        tracked = _tracked_at(run, at)
        tracked_total += len(tracked)
        for kind, events in moves.items():
            moved[kind] += len({tweet for when, tweet in events if previous < when <= at and tweet in tracked})
    return {kind: moved[kind] / max(tracked_total, 1) for kind in ENGAGEMENT_TYPES}


def _tracked_at(run: DayRun, at: float) -> set[str]:
    window = run.settings.batch_window_hours * 3600
    return {tweet for tweet, submitted in run.submitted_at.items() if at - window <= submitted <= at}


def uncapped_naive(run: DayRun, schedule: list[float], day: tuple[float, float]) -> int:
    """What the naive strategy would ask without its 60-tweet cap: two requests per tracked tweet per batch."""
    return sum(2 * len(_tracked_at(run, at)) for at in schedule if day[0] <= at < day[1])


def _delay_figures(minutes: list[float]) -> dict[str, Any]:
    return {
        "awards": len(minutes),
        "p50": nearest_rank(minutes, 0.5),
        "p95": nearest_rank(minutes, 0.95),
        "max": max(minutes, default=None),
    }


def award_delays(plan: DayPlan, awarded: dict[Award, int | None]) -> dict[str, dict[str, Any]]:
    """Minutes from each engagement to its award, per kind: awards paid in the measured day, and in the run."""
    day = measured_day(plan)
    scopes: dict[str, defaultdict[str, list[float]]] = {"measured_day": defaultdict(list), "run": defaultdict(list)}
    for award, at in awarded.items():
        engaged = plan.engaged_at.get(award)
        if at is None or engaged is None:
            continue
        minutes = round((at - engaged) / 60, 1)
        scopes["run"][award[2]].append(minutes)
        if day[0] <= at < day[1]:
            scopes["measured_day"][award[2]].append(minutes)
    return {
        scope: {kind: _delay_figures(by_kind[kind]) for kind in ENGAGEMENT_TYPES} for scope, by_kind in scopes.items()
    }


def report(plan: DayPlan, run: DayRun, schedule: list[float], awarded: dict[Award, int | None]) -> dict[str, Any]:
    truth = awardable(plan, run, schedule)
    ours_found = set(awarded)
    ours = strategy_figures(run.ours_rows, run.ours_x, ours_found, truth, plan)
    naive = strategy_figures(run.naive_rows, run.naive.x, run.naive.found, truth, plan)
    floors = floor_batches(plan, schedule, run.settings.batch_window_hours * 3600)
    return {
        "scenario": {
            "submissions_per_day": len(plan.scenario.tweets) // plan.days,
            "days_of_submissions": plan.days,
            "members": len(plan.scenario.members),
            "members_signed_in": sum(1 for member in plan.scenario.members if member.user_token),
            "untracked_posts": len(plan.scenario.untracked),
            "expected_awards": dict(Counter(kind for _, _, kind in plan.scenario.expected_awards)),
            "awardable_in_window": dict(Counter(kind for _, _, kind in truth)),
            "batches": len(schedule),
            "simulated_hours": round((schedule[-1] - DAY_START.timestamp()) / 3600, 1) if schedule else 0,
        },
        "ours": ours,
        "naive": naive,
        "ratio_requests_per_day": ours["requests_per_day"] / max(naive["requests_per_day"], 1),
        "naive_without_cap_requests_per_day": uncapped_naive(run, schedule, measured_day(plan)),
        "target_ratio": TARGET_RATIO,
        "movement_per_batch": movement(plan, run, schedule),
        "floor": floor_report(floors, run.ours_rows, measured_day(plan)),
        "award_delay_minutes": award_delays(plan, awarded),
    }


def _pct(value: float) -> str:
    return f"{value:.1%}"


def show(results: dict[str, Any]) -> None:
    scenario = results["scenario"]
    print(
        f"\n{scenario['submissions_per_day']:,} submissions/day for {scenario['days_of_submissions']} days, "
        f"{scenario['members']} members ({scenario['members_signed_in']} signed in with X), "
        f"{scenario['batches']} batches over {scenario['simulated_hours']} h; "
        "figures per day are the last day of submissions (window full), recall is over the whole run"
    )
    ours, naive = results["ours"], results["naive"]
    rows = []
    for name, figures in (("ours", ours), ("naive (reference)", naive)):
        rows.append(
            [
                name,
                f"{figures['requests_per_day']:,}",
                figures["requests_per_batch_mean"],
                figures["requests_per_batch_max"],
                f"{figures['posts_read_per_day']:,}",
                f"{figures['users_read_per_day']:,}",
                f"${figures['usd_per_day']:,.2f}",
                f"${figures['billed_usd_per_day']:,.2f}",
                *(_pct(figures["recall"][kind]["recall"]) for kind in ENGAGEMENT_TYPES),
                figures["false_awards"],
            ]
        )
    headers = ["strategy", "requests/day", "per batch", "max batch", "posts read", "users read", "$ reads", "$ billed"]
    headers += [f"recall {kind}" for kind in ENGAGEMENT_TYPES] + ["false awards"]
    ratio = results["ratio_requests_per_day"]
    print_table(f"X API cost per day (ours/naive requests: {ratio:.3f}; target <= {TARGET_RATIO:.3f})", headers, rows)
    endpoints = sorted(set(ours["requests_per_day_by_endpoint"]) | set(naive["requests_per_day_by_endpoint"]))
    print_table(
        "requests per day by endpoint",
        ["endpoint", "ours", "naive"],
        [
            [e, ours["requests_per_day_by_endpoint"].get(e, 0), naive["requests_per_day_by_endpoint"].get(e, 0)]
            for e in endpoints
        ],
    )
    uncapped = results["naive_without_cap_requests_per_day"]
    print(f"naive without its 60-tweet cap (same coverage as ours): {uncapped:,} requests/day")
    print("$ reads: every post/user read at pay-per-use prices; $ billed: each post/user once per UTC day")
    moved = ", ".join(f"{kind} {_pct(share)}" for kind, share in results["movement_per_batch"].items())
    print(f"tracked tweets whose counter moved between two batches: {moved}")
    show_floor(results["floor"])
    show_delays(results["award_delay_minutes"])


def show_delays(delays: dict[str, dict[str, Any]]) -> None:
    def cells(figures: dict[str, Any]) -> list[object]:
        return [figures["awards"], *("-" if figures[q] is None else figures[q] for q in ("p50", "p95", "max"))]

    rows = [[kind, *cells(delays["measured_day"][kind]), *cells(delays["run"][kind])] for kind in ENGAGEMENT_TYPES]
    headers = ["kind", "day awards", "day p50", "day p95", "day max", "run awards", "run p50", "run p95", "run max"]
    print_table("delay from engagement to award, minutes (measured day: awards paid that day; run: all)", headers, rows)
