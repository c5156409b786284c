"""Simulated days on the fake X: a reproducible scenario, replayed in time order as batches run.

`sandbox.scenario` builds the whole world at once; here it is a plan. Posts (tweets, replies,
quotes) appear at their creation time, likes and reposts at a delay after the tweet, each tweet is
submitted a few minutes after it is posted, so every batch sees counters move as they would.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sandbox.fake_x import FakeX
from sandbox.scenario import OAUTH_ODDS, Award, Scenario, generate_scenario

DAY_START = datetime(2026, 11, 16, tzinfo=UTC)
ENGAGEMENT_DELAY_MEAN = timedelta(minutes=90)  # likes and reposts: most early, a tail over the day
ENGAGEMENT_DELAY_MAX = timedelta(hours=20)  # ...and all within the tweet's 24-hour scan window
SUBMIT_DELAY = (60.0, 600.0)  # seconds between posting and /submit


class SimClock:
    """Simulated epoch seconds, shared by the fakes, the store, the X client and the batch."""

    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@dataclass(order=True)
class Event:
    at: float
    order: int
    kind: str = field(compare=False)  # "post", "like", "retweet" or "submit"
    payload: Any = field(compare=False)


@dataclass
class DayPlan:
    scenario: Scenario
    days: int
    events: list[Event]
    engaged_at: dict[Award, float]  # when each expected award's engagement happened


def _post_events(scenario: Scenario, order: itertools.count[int]) -> list[Event]:
    posts = sorted(scenario.fake.posts.values(), key=lambda post: post.order)
    return [Event(post.created_at.timestamp(), next(order), "post", post) for post in posts]


def _list_events(scenario: Scenario, rng: random.Random, order: itertools.count[int]) -> list[Event]:
    """Likes and reposts of each post (submitted ones, then the others), spread after it with an exponential delay."""
    events = []
    mean, most = ENGAGEMENT_DELAY_MEAN.total_seconds(), ENGAGEMENT_DELAY_MAX.total_seconds()
    for tweet_id in [*scenario.tweets, *scenario.untracked]:
        posted = scenario.fake.posts[tweet_id].created_at.timestamp()
        for kind, engagers in (
            ("like", scenario.fake.likers(tweet_id)),
            ("retweet", scenario.fake.reposters(tweet_id)),
        ):
            delays = sorted(min(rng.expovariate(1 / mean), most) for _ in engagers)
            for delay, (_, user) in zip(delays, reversed(engagers), strict=True):
                events.append(Event(posted + delay, next(order), kind, (user.id, tweet_id)))
    return events


def _submit_events(scenario: Scenario, rng: random.Random, order: itertools.count[int]) -> list[Event]:
    events = []
    for tweet_id in scenario.tweets:
        at = scenario.fake.posts[tweet_id].created_at.timestamp() + rng.uniform(*SUBMIT_DELAY)
        events.append(Event(at, next(order), "submit", tweet_id))
    return events


def _engagement_times(scenario: Scenario, events: list[Event]) -> dict[Award, float]:
    times: dict[Award, float] = {}

    def note(award: Award, at: float) -> None:
        times[award] = min(times.get(award, at), at)

    for event in events:
        if event.kind in ("like", "retweet"):
            user_id, tweet_id = event.payload
            note((tweet_id, user_id, event.kind), event.at)
        elif event.kind == "post" and event.payload.in_reply_to:
            note((event.payload.conversation_id, event.payload.author_id, "reply"), event.at)
        elif event.kind == "post" and event.payload.quoted:
            note((event.payload.quoted, event.payload.author_id, "quote"), event.at)
    return {award: at for award, at in times.items() if award in scenario.expected_awards}


def plan_days(
    seed: int,
    members: int,
    tweets_per_day: int,
    unlinked: int,
    days: int,
    *,
    authors_post: int = 1,
    signed_in: float = OAUTH_ODDS,
) -> DayPlan:
    """`days` of submissions as a plan (in an unstarted FakeX) and its events in time order.

    `authors_post`: posts per submission each author makes (the others are never submitted; see `sandbox.scenario`).
    """
    span = timedelta(days=days)
    tweets = tweets_per_day * days
    scenario = generate_scenario(
        seed,
        members,
        tweets,
        start=DAY_START,
        unlinked=unlinked,
        span=span,
        clock=lambda: 0.0,
        authors_post=authors_post,
        signed_in=signed_in,
    )
    rng = random.Random(seed + 1)
    order = itertools.count()
    events = _post_events(scenario, order) + _list_events(scenario, rng, order) + _submit_events(scenario, rng, order)
    ordered = sorted(events)
    return DayPlan(scenario, days, ordered, _engagement_times(scenario, ordered))


def copy_people(plan: Scenario, live: FakeX) -> None:
    """The plan's accounts and OAuth tokens on a live fake (posts come later, as events)."""
    for user in plan.fake.users.values():
        live.add_user(user.username, user_id=user.id, created_at=user.created_at, followers=user.followers)
    for member in plan.members:
        if member.user_token:
            live.grant_user_token(member.x_user_id, token=member.user_token)


def apply_to_fake(event: Event, live: FakeX) -> None:
    if event.kind == "post":
        post = event.payload
        live.add_tweet(
            post.author_id,
            post.text,
            tweet_id=post.id,
            created_at=post.created_at,
            in_reply_to=post.in_reply_to,
            quoted=post.quoted,
        )
    elif event.kind == "like":
        live.like(*event.payload)
    elif event.kind == "retweet":
        live.retweet(*event.payload)


def batch_times(rng: random.Random, start: float, end: float, gap_minutes: tuple[int, int]) -> list[float]:
    """Batch moments from `start` to `end`, each 30-60 (simulated) minutes after the previous one."""
    times, at = [], start
    while (at := at + rng.uniform(*gap_minutes) * 60) <= end:
        times.append(at)
    return times
