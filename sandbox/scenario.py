"""A reproducible fake-X world for tests, benchmarks and the demo, with the awards it should produce.

Members (linked X accounts with a tier and a Discord id) post tweets over a
time span; members and unlinked accounts engage with a skewed distribution
(most tweets get a little, a few get a lot), replies form threads, authors
sometimes engage with their own tweets. `expected_awards` is the truth: one
(tweet, X user, type) per engagement by a member other than the author, likes
only where the author granted an OAuth token (X shows likes only to them).
With `authors_post=N`, authors also post N-1 posts they never submit per
submitted one, engaged with by others alike; they earn nothing.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sandbox.fake_x import FakeX

Award = tuple[str, str, str]  # (tweet id, X user id, engagement type)

ENGAGEMENT_ODDS = {"like": 0.7, "retweet": 0.35, "reply": 0.3, "quote": 0.1}
SELF_ENGAGEMENT_ODDS = 0.15
THREAD_ODDS = 0.4  # a reply answers an earlier reply instead of the root
OAUTH_ODDS = 0.5  # members who connected with "Sign in with X" (their likes are readable)


@dataclass(frozen=True)
class Member:
    discord_id: str
    x_user_id: str
    username: str
    tier: int
    user_token: str | None  # OAuth token, when the member connected with OAuth


@dataclass
class Scenario:
    fake: FakeX
    members: list[Member]
    unlinked: list[str]  # X user ids of accounts no member owns
    tweets: dict[str, str]  # tweet id -> author's X user id, oldest first
    end: datetime  # the latest moment anything happens; run the batch after it
    expected_awards: set[Award] = field(default_factory=set)
    untracked: list[str] = field(default_factory=list)  # posts by members that nobody submits, oldest first

    def member(self, x_user_id: str) -> Member | None:
        return next((m for m in self.members if m.x_user_id == x_user_id), None)


class _Builder:
    def __init__(self, rng: random.Random, fake: FakeX, scenario: Scenario) -> None:
        self.rng = rng
        self.fake = fake
        self.scenario = scenario
        self.replies: dict[str, list[str]] = {}  # tweet id -> replies in its conversation so far
        self.members = {member.x_user_id: member for member in scenario.members}

    def moment_after(self, moment: datetime, most: timedelta) -> datetime:
        later = moment + max(most * self.rng.random(), timedelta(seconds=1))
        self.scenario.end = max(self.scenario.end, later)
        return later

    def crowd_size(self, available: int) -> int:
        """Heavy-tailed: usually 0-2 engagers, now and then most of the server."""
        return min(available, int(self.rng.paretovariate(1.2)) - 1)

    def _reply(self, tweet_id: str, engager: str) -> None:
        """Reply to the tweet, or (a thread) to an earlier reply in its conversation."""
        thread = self.replies.setdefault(tweet_id, [])
        parent = self.rng.choice(thread) if thread and self.rng.random() < THREAD_ODDS else tweet_id
        when = self.moment_after(self.fake.posts[parent].created_at, timedelta(hours=2))
        thread.append(self.fake.reply(engager, parent, "agreed", created_at=when))

    def engage(self, tweet_id: str, author: str, engager: str, *, tracked: bool = True) -> None:
        kinds = [kind for kind, odds in ENGAGEMENT_ODDS.items() if self.rng.random() < odds] or ["like"]
        for kind in kinds:
            if kind == "like":
                self.fake.like(engager, tweet_id)
            elif kind == "retweet":
                self.fake.retweet(engager, tweet_id)
            elif kind == "quote":
                when = self.moment_after(self.fake.posts[tweet_id].created_at, timedelta(hours=2))
                self.fake.quote(engager, tweet_id, "worth a read", created_at=when)
            else:
                self._reply(tweet_id, engager)
            if tracked:
                self._record(tweet_id, author, engager, kind)

    def untracked_post(self, author: str, others: list[str], text: str, created_at: datetime) -> None:
        """A post the author never submits, engaged with by others as a submitted one is."""
        post_id = self.fake.add_tweet(author, text, created_at=created_at)
        self.scenario.untracked.append(post_id)
        for engager in self.rng.sample(others, self.crowd_size(len(others))):
            self.engage(post_id, author, engager, tracked=False)

    def _record(self, tweet_id: str, author: str, engager: str, kind: str) -> None:
        owner = self.members.get(author)
        if engager not in self.members or engager == author:
            return
        if kind == "like" and (owner is None or owner.user_token is None):
            return
        self.scenario.expected_awards.add((tweet_id, engager, kind))


def _members(rng: random.Random, fake: FakeX, count: int, start: datetime, signed_in: float) -> list[Member]:
    discord_ids = rng.sample(range(10**17, 10**18), count)
    members = []
    for index, discord_id in enumerate(discord_ids):
        username = f"member_{index:03d}"
        user_id = fake.add_user(username, created_at=start - timedelta(days=rng.randint(30, 3000)))
        token = fake.grant_user_token(user_id, token=f"oauth-{username}") if rng.random() < signed_in else None
        members.append(Member(str(discord_id), user_id, username, rng.choice((1, 1, 1, 2, 2, 3)), token))
    return members


def generate_scenario(
    seed: int,
    members: int,
    tweets: int,
    *,
    start: datetime,
    unlinked: int = 5,
    span: timedelta = timedelta(hours=20),
    clock: Callable[[], float] = time.time,
    authors_post: int = 1,
    signed_in: float = OAUTH_ODDS,
) -> Scenario:
    """Build the world in a new (not yet started) FakeX; the same seed gives the same world and awards.

    `authors_post`: posts an author makes per post submitted (the rest are never submitted; 1 = none).
    `signed_in`: the share of members who signed in with X (likes on their posts are readable); the same seed
    draws the same world whatever the share.
    """
    if members < 1 or tweets < 0 or unlinked < 0 or authors_post < 1:
        raise ValueError("need at least one member, one post per submission and no negative counts")
    rng = random.Random(seed)
    fake = FakeX(clock=clock)
    scenario = Scenario(fake, _members(rng, fake, members, start, signed_in), [], {}, start)
    builder = _Builder(rng, fake, scenario)
    scenario.unlinked = [
        fake.add_user(f"lurker_{i:03d}", created_at=start - timedelta(days=90)) for i in range(unlinked)
    ]
    people = [m.x_user_id for m in scenario.members] + scenario.unlinked
    for number in range(1, tweets + 1):
        author = rng.choice(scenario.members).x_user_id
        tweet_id = fake.add_tweet(author, f"gm #{number}, thread inside", created_at=builder.moment_after(start, span))
        scenario.tweets[tweet_id] = author
        others = [p for p in people if p != author]
        engagers = rng.sample(others, builder.crowd_size(len(others)))
        if rng.random() < SELF_ENGAGEMENT_ODDS:
            engagers.append(author)
        for engager in engagers:
            builder.engage(tweet_id, author, engager)
        for extra in range(1, authors_post):  # none in the default world: its random draws stay as they were
            when = builder.moment_after(start, span)
            builder.untracked_post(author, others, f"gm #{number}.{extra}, not submitted", when)
    scenario.tweets = dict(sorted(scenario.tweets.items(), key=lambda item: fake.posts[item[0]].order))
    scenario.untracked.sort(key=lambda post_id: fake.posts[post_id].order)
    return scenario
