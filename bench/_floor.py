"""The X cost floor of a simulated run: what any strategy with full recall must read, per batch and per UTC day.

Definition. In each UTC day, a strategy with full recall must read:

- each live tracked post's counters at least once: one post resource each ($0.005), attributed to the first
  batch of that day in which the post is tracked (submitted, and `at - window <= submitted <= at`);
- each new engagement at least once, as the cheapest resource that reveals it, where whatever the floor itself
  has already billed that UTC day is free (X bills a post or a user once per UTC day; a day's reads start over
  after midnight):
  like -> the liker's user object ($0.010), only on posts whose author granted a token (what is awardable);
  repost -> the reposter's user object if the floor billed it earlier that day (free), else the repost post
  ($0.005, cheaper than a user);
  reply -> the reply post ($0.005), every post of the tracked post's conversation (replies to replies too);
  quote -> the quote post ($0.005).

Which engagements: every one X would list or return on a tracked post, by anybody (members, accounts that are
not members, the author), because a strategy cannot tell a member's engagement from another's before reading it.

An engagement is new in the first batch at or after both its own time and the post's submission (events up to
a batch's moment are applied before it); one that happens after the post's last batch in its window is never
read. Within a batch, counters are billed first, then likes, then replies and quotes, then reposts, so a
reposter who liked in the same batch is free. The choice is greedy, batch by batch, as a real strategy must be
(it cannot know that a reposter will like something later that day).

Requests floor, per batch, a lower bound on the requests that could reveal the batch's reads:
- lookup: ceil(posts whose counters the batch reads / 100);
- liking_users: per post with new likes, ceil(new likes / 100);
- search, per kind: max(packed queries, ceil(new engagements / 100)) (a page holds 100 posts), where the terms
  are OR-ed into 512-character queries as the worker packs them: replies `conversation_id:<post>`, quotes
  `quotes_of_tweet_id:<post>`, reposts the fewer of `retweets_of_tweet_id:<post>` and `retweets_of:<author>`.
The resources floor and the requests floor are separate bounds: no one strategy needs to meet both.
"""

from __future__ import annotations

import bisect
import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from bench._common import print_table
from bench._day import DayPlan
from bench._strategies import BatchRow
from engagement.x._query import pack_queries
from engagement.x.models import XUsage

PAGE = 100  # ids per lookup, entries per list or search page
PRICES = {"post": XUsage.POST_READ_USD, "user": XUsage.USER_READ_USD}
KIND_ORDER = ("like", "reply", "quote", "retweet")  # likes first: their users make later reposts free


@dataclass(frozen=True)
class Engagement:
    """One engagement X would return on a tracked post; `resource` names its post (replies, quotes, reposts)."""

    at: float
    kind: str
    tweet_id: str
    user_id: str
    resource: str


@dataclass
class BatchFloor:
    at: float
    day: str  # the batch's UTC date: what it reads is billed that day
    counters: list[str] = field(default_factory=list)
    new: list[Engagement] = field(default_factory=list)
    billed: Counter[str] = field(default_factory=Counter)  # "post" / "user" -> resources first billed here
    usd_by_kind: defaultdict[str, float] = field(default_factory=lambda: defaultdict(float))  # "counters", ... -> $
    requests: dict[str, int] = field(default_factory=dict)

    @property
    def usd(self) -> float:
        return round(sum(self.usd_by_kind.values()), 4)

    @property
    def total_requests(self) -> int:
        return sum(self.requests.values())


def utc_day(at: float) -> str:
    return datetime.fromtimestamp(at, UTC).date().isoformat()


def _submissions(plan: DayPlan) -> dict[str, float]:
    return {event.payload: event.at for event in plan.events if event.kind == "submit"}


def _engagements(plan: DayPlan) -> list[Engagement]:
    """Every engagement on a submitted post that X would list or return, in time order."""
    tweets = plan.scenario.tweets
    with_token = {member.x_user_id for member in plan.scenario.members if member.user_token}
    found = []
    for event in plan.events:
        if event.kind in ("like", "retweet"):
            user_id, tweet_id = event.payload
            if tweet_id in tweets and (event.kind == "retweet" or tweets[tweet_id] in with_token):
                repost = f"repost-{user_id}-{tweet_id}" if event.kind == "retweet" else ""
                found.append(Engagement(event.at, event.kind, tweet_id, user_id, repost))
        elif event.kind == "post":
            post = event.payload
            if post.conversation_id in tweets and post.id != post.conversation_id:
                found.append(Engagement(event.at, "reply", post.conversation_id, post.author_id, post.id))
            elif post.quoted in tweets:
                found.append(Engagement(event.at, "quote", post.quoted, post.author_id, post.id))
    return found


def _attribute(
    plan: DayPlan, schedule: list[float], window: float, batches: list[BatchFloor], submitted: dict[str, float]
) -> None:
    """Counters to the first batch of each UTC day that tracks the post, engagements to the first batch after."""
    for tweet_id, at in submitted.items():
        days: set[str] = set()
        for index in range(bisect.bisect_left(schedule, at), len(schedule)):
            if schedule[index] - window > at:
                break
            if batches[index].day not in days:
                days.add(batches[index].day)
                batches[index].counters.append(tweet_id)
    for engagement in _engagements(plan):
        since = submitted.get(engagement.tweet_id)
        if since is None:
            continue
        index = bisect.bisect_left(schedule, max(engagement.at, since))
        if index < len(schedule) and schedule[index] - window <= since:
            batches[index].new.append(engagement)


def _bill(batch: BatchFloor, billed: set[tuple[str, str, str]]) -> None:
    """The cheapest reads of the batch's counters and engagements, what the floor billed that day being free."""

    def read(kind: str, resource: str, reason: str) -> None:
        entry = (batch.day, kind, resource)
        if entry not in billed:
            billed.add(entry)
            batch.billed[kind] += 1
            batch.usd_by_kind[reason] += PRICES[kind]

    for tweet_id in batch.counters:
        read("post", tweet_id, "counters")
    for engagement in sorted(batch.new, key=lambda e: KIND_ORDER.index(e.kind)):
        if engagement.kind == "like":
            read("user", engagement.user_id, "like")
        elif engagement.kind != "retweet" or (batch.day, "user", engagement.user_id) not in billed:
            read("post", engagement.resource, engagement.kind)


def _searches(operators: list[tuple[str, list[str]]], engagements: int) -> int:
    """Requests of the cheapest packing among `operators` (each with its terms), and at least a page per 100."""
    queries = min(len(pack_queries(operator, terms)) for operator, terms in operators)
    return max(queries, math.ceil(engagements / PAGE))


def _requests(batch: BatchFloor, authors: dict[str, str]) -> dict[str, int]:
    by_kind: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for engagement in batch.new:
        by_kind[engagement.kind][engagement.tweet_id] += 1
    likes, replies, quotes, reposts = (by_kind[kind] for kind in ("like", "reply", "quote", "retweet"))
    requests = {
        "lookup": math.ceil(len(batch.counters) / PAGE),
        "liking_users": sum(math.ceil(count / PAGE) for count in likes.values()),
        "search replies": _searches([("conversation_id", list(replies))], replies.total()) if replies else 0,
        "search quotes": _searches([("quotes_of_tweet_id", list(quotes))], quotes.total()) if quotes else 0,
    }
    repost_terms = [("retweets_of_tweet_id", list(reposts)), ("retweets_of", [authors[t] for t in reposts])]
    requests["search reposts"] = _searches(repost_terms, reposts.total()) if reposts else 0
    return requests


def floor_batches(plan: DayPlan, schedule: list[float], window_seconds: float) -> list[BatchFloor]:
    """The floor of each batch of `schedule` (sorted batch moments), for posts tracked for `window_seconds`."""
    batches = [BatchFloor(at, utc_day(at)) for at in schedule]
    _attribute(plan, schedule, window_seconds, batches, _submissions(plan))
    billed: set[tuple[str, str, str]] = set()
    for batch in batches:
        _bill(batch, billed)
        batch.requests = _requests(batch, plan.scenario.tweets)
    return batches


TARGET_DAY = 1.25  # the goals: a day's $ billed within 1.25x its floor...
TARGET_BATCH = 1.5  # ...and any one batch's within 1.5x its own


def _ratio(ours: float, floor: float) -> float | None:
    return round(ours / floor, 3) if floor else None


def nearest_rank(values: list[float], share: float) -> float | None:
    """The nearest-rank percentile (`share` 0.95 for p95): a value that occurred, None for no values."""
    ranked = sorted(values)
    return ranked[max(math.ceil(share * len(ranked)), 1) - 1] if ranked else None


def _day_figures(floors: list[BatchFloor], rows: list[BatchRow]) -> dict[str, Any]:
    floor_billed: Counter[str] = sum((f.billed for f in floors), Counter())
    ours_billed: Counter[str] = sum((row.billed for row in rows), Counter())
    usd_by_kind: defaultdict[str, float] = defaultdict(float)
    for f in floors:
        for kind, usd in f.usd_by_kind.items():
            usd_by_kind[kind] += usd
    floor: dict[str, Any] = {
        "posts": floor_billed["post"],
        "users": floor_billed["user"],
        "resources": floor_billed.total(),
        "usd": round(sum(f.usd for f in floors), 4),
        "usd_by_kind": {kind: round(usd, 4) for kind, usd in sorted(usd_by_kind.items())},
        "requests": sum(f.total_requests for f in floors),
        "requests_by_endpoint": dict(sorted(sum((Counter(f.requests) for f in floors), Counter()).items())),
    }
    ours: dict[str, Any] = {
        "posts": ours_billed["post"],
        "users": ours_billed["user"],
        "resources": ours_billed.total(),
        "usd": round(sum(row.billed_usd for row in rows), 4),
        "requests": sum(row.usage.total_requests for row in rows),
    }
    ratio = {name: _ratio(ours[name], floor[name]) for name in ("resources", "usd", "requests")}
    return {"floor": floor, "ours": ours, "ratio": ratio}


def floor_report(floors: list[BatchFloor], rows: list[BatchRow], day: tuple[float, float]) -> dict[str, Any]:
    """Ours against the floor in the batches of `day` (epoch seconds, start and end): the day and each batch."""
    if [f.at for f in floors] != [row.at for row in rows]:
        raise ValueError("the floor and our batches must follow the same schedule")
    pairs = [(f, row) for f, row in zip(floors, rows, strict=True) if day[0] <= f.at < day[1]]
    batches: list[dict[str, Any]] = [
        {
            "at": f.at,
            "floor_usd": f.usd,
            "ours_usd": row.billed_usd,
            "usd_ratio": _ratio(row.billed_usd, f.usd),
            "floor_requests": f.total_requests,
            "ours_requests": row.usage.total_requests,
        }
        for f, row in pairs
    ]
    ratios = [b["usd_ratio"] for b in batches if b["usd_ratio"] is not None]
    zero = [b for b in batches if b["usd_ratio"] is None]
    return {
        "targets": {"day_usd_ratio": TARGET_DAY, "batch_usd_ratio": TARGET_BATCH},
        "day": _day_figures([f for f, _ in pairs], [row for _, row in pairs]),
        "batches": {
            "count": len(batches),
            "with_floor": len(ratios),
            "usd_ratio_max": max(ratios, default=None),
            "usd_ratio_p95": nearest_rank(ratios, 0.95),
            "over_target": sum(1 for r in ratios if r > TARGET_BATCH),
            "zero_floor": {
                "batches": len(zero),
                "ours_usd": round(sum(b["ours_usd"] for b in zero), 4),
                "ours_requests": sum(b["ours_requests"] for b in zero),
            },
            "rows": batches,
        },
    }


def show_floor(report: dict[str, Any]) -> None:
    day, batches = report["day"], report["batches"]
    floor, ours, ratio = day["floor"], day["ours"], day["ratio"]

    def times(value: float | None) -> str:
        return "n/a" if value is None else f"{value:.2f}x"

    rows = [
        ["resources billed", f"{floor['resources']:,}", f"{ours['resources']:,}", times(ratio["resources"])],
        ["$ billed", f"${floor['usd']:,.2f}", f"${ours['usd']:,.2f}", times(ratio["usd"])],
        ["requests", f"{floor['requests']:,}", f"{ours['requests']:,}", times(ratio["requests"])],
    ]
    title = f"X cost floor, measured day (targets: $ ours/floor <= {TARGET_DAY} a day, <= {TARGET_BATCH} a batch)"
    print_table(title, ["figure", "floor", "ours", "ours/floor"], rows)
    print(
        f"floor resources: {floor['posts']:,} posts, {floor['users']:,} users; ours: {ours['posts']:,} posts, "
        f"{ours['users']:,} users"
    )
    print("floor $ by read: " + ", ".join(f"{kind} ${usd:,.2f}" for kind, usd in floor["usd_by_kind"].items()))
    print("floor requests: " + ", ".join(f"{name} {n:,}" for name, n in floor["requests_by_endpoint"].items()))
    zero = batches["zero_floor"]
    print(
        f"per batch $ ours/floor over {batches['with_floor']} batches with a floor: max "
        f"{times(batches['usd_ratio_max'])}, p95 {times(batches['usd_ratio_p95'])}, "
        f"{batches['over_target']} over {TARGET_BATCH}x; {zero['batches']} batches with a $0 floor "
        f"(ours ${zero['ours_usd']:,.2f}, {zero['ours_requests']:,} requests there)"
    )
