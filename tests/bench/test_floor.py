"""The X cost floor of bench/_floor.py on hand-made plans, against figures worked out by hand."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from bench._day import DayPlan, Event
from bench._floor import BatchFloor, floor_batches, floor_report, nearest_rank
from bench._strategies import BatchRow
from engagement.x.models import XUsage
from sandbox.fake_x import FakePost, FakeX
from sandbox.scenario import Member, Scenario

DAY_ONE = datetime(2026, 11, 16, 22, tzinfo=UTC)  # two hours before a UTC midnight
WINDOW = 24 * 3600.0
AUTHOR, NO_TOKEN, MEMBER, LURKER = "101", "102", "103", "104"  # X user ids; only AUTHOR granted a token


def at(minutes: float) -> float:
    return (DAY_ONE + timedelta(minutes=minutes)).timestamp()


class PlanBuilder:
    """Events of a hand-made plan; posts get 19-digit ids, as X's do."""

    def __init__(self) -> None:
        self.events: list[Event] = []
        self.tweets: dict[str, str] = {}
        self.next_id = 10**18

    def _add(self, minutes: float, kind: str, payload: object) -> None:
        self.events.append(Event(at(minutes), len(self.events), kind, payload))

    def post(
        self, minutes: float, author: str, *, reply_to: FakePost | None = None, quoted: str | None = None
    ) -> FakePost:
        self.next_id += 1
        post_id = str(self.next_id)
        conversation = reply_to.conversation_id if reply_to else post_id
        created = datetime.fromtimestamp(at(minutes), UTC)
        post = FakePost(post_id, author, "text", created, conversation, reply_to.id if reply_to else None, quoted)
        self._add(minutes, "post", post)
        return post

    def tweet(self, minutes: float, author: str, submit_after: float = 5) -> FakePost:
        """A post its author submits `submit_after` minutes later."""
        post = self.post(minutes, author)
        self.tweets[post.id] = author
        self._add(minutes + submit_after, "submit", post.id)
        return post

    def like(self, minutes: float, user: str, tweet: FakePost) -> None:
        self._add(minutes, "like", (user, tweet.id))

    def repost(self, minutes: float, user: str, tweet: FakePost) -> None:
        self._add(minutes, "retweet", (user, tweet.id))

    def plan(self) -> DayPlan:
        members = [
            Member("1" * 18, AUTHOR, "author", 1, "oauth-author"),
            Member("2" * 18, NO_TOKEN, "no_token", 1, None),
            Member("3" * 18, MEMBER, "member", 1, None),
        ]
        scenario = Scenario(FakeX(clock=lambda: 0.0), members, [LURKER], self.tweets, DAY_ONE)
        return DayPlan(scenario, 1, sorted(self.events), {})


def _figures(batch: BatchFloor) -> tuple[int, int, float, dict[str, int]]:
    requests = {name: count for name, count in batch.requests.items() if count}
    return batch.billed["post"], batch.billed["user"], batch.usd, requests


def test_the_floor_of_two_batches_around_midnight() -> None:
    world = PlanBuilder()
    t1 = world.tweet(0, AUTHOR)  # submitted at 22:05
    t2 = world.tweet(10, NO_TOKEN)  # ...at 22:15; its likes cannot be read (no token)
    untracked = world.post(12, AUTHOR)
    world.like(2, AUTHOR, t1)  # before the submission, and by the author: still read, in the first batch
    world.like(20, LURKER, t1)  # a user, $0.010
    world.like(25, MEMBER, t2)  # not readable: not in the floor
    world.like(26, LURKER, untracked)  # not a tracked post
    world.repost(30, LURKER, t1)  # the lurker's user object is billed today already: free
    world.repost(35, MEMBER, t2)  # the member's is not: the repost post, $0.005
    reply = world.post(40, MEMBER, reply_to=t1)  # $0.005
    world.post(50, LURKER, reply_to=reply)  # a reply to the reply, in t1's conversation: $0.005
    world.post(55, MEMBER, quoted=t2.id)  # $0.005
    # first batch at 23:00; UTC midnight; second at 00:30
    world.like(90, MEMBER, t1)  # a user, $0.010
    world.repost(100, MEMBER, t1)  # the member's user was billed by the like in this batch: free
    world.repost(110, LURKER, t2)  # the lurker's user was billed yesterday: it is a new day, $0.005
    # third batch at 01:00: counters were read at 00:30 (today), so only the new reply
    world.post(165, MEMBER, reply_to=t2)
    first, second, third = floor_batches(world.plan(), [at(60), at(150), at(180)], WINDOW)

    assert (first.day, second.day, third.day) == ("2026-11-16", "2026-11-17", "2026-11-17")
    assert sorted(first.counters) == sorted(second.counters) == sorted(t.id for t in (t1, t2))
    assert third.counters == []
    one_each = {"lookup": 1, "liking_users": 1, "search replies": 1, "search quotes": 1, "search reposts": 1}
    assert _figures(first) == (6, 2, 0.05, one_each)  # 2 counters, 1 repost, 2 replies, 1 quote; 2 likers
    assert first.usd_by_kind == {"counters": 0.01, "like": 0.02, "retweet": 0.005, "reply": 0.01, "quote": 0.005}
    assert _figures(second) == (3, 1, 0.025, {"lookup": 1, "liking_users": 1, "search reposts": 1})
    assert _figures(third) == (1, 0, 0.005, {"search replies": 1})
    assert Counter(e.kind for e in first.new) == {"like": 2, "retweet": 2, "reply": 2, "quote": 1}


def test_a_post_out_of_its_window_is_neither_read_nor_its_engagements_counted() -> None:
    world = PlanBuilder()
    t1 = world.tweet(0, AUTHOR)
    world.like(70, LURKER, t1)  # after the post's last batch in a one-hour window
    first, second = floor_batches(world.plan(), [at(60), at(150)], 3600)
    assert first.counters == [t1.id]
    assert (second.counters, second.new, second.usd) == ([], [], 0)


def test_requests_pack_search_terms_and_page_long_lists() -> None:
    world = PlanBuilder()
    tweets = [world.tweet(0, AUTHOR) for _ in range(14)]
    for tweet in tweets:
        world.post(20, MEMBER, reply_to=tweet)
        world.repost(20, MEMBER, tweet)
    world.like(30, MEMBER, tweets[0])
    for number in range(149):
        world.like(30, str(1000 + number), tweets[0])
    [batch] = floor_batches(world.plan(), [at(60)], WINDOW)
    # `conversation_id:` + 19 digits is 35 characters, 39 with " OR ": 13 to a 512-character query;
    # reposts of one author's 14 posts fit one `retweets_of:` query; 150 likers are two pages
    assert batch.requests == {
        "lookup": 1,
        "liking_users": 2,
        "search replies": 2,
        "search quotes": 0,
        "search reposts": 1,
    }
    assert batch.billed == {"post": 14 + 14, "user": 150}  # the member's user is billed by a like: reposts free


def _row(minutes: float, posts: int, users: int, requests: int) -> BatchRow:
    row = BatchRow(at(minutes), XUsage(requests={"tweets_lookup": requests}))
    row.billed = Counter({"post": posts, "user": users})
    return row


def test_ours_against_the_floor_per_day_and_per_batch() -> None:
    floors = [BatchFloor(at(minutes), "2026-11-17") for minutes in (130, 160, 190)]
    floors[0].billed, floors[0].usd_by_kind["counters"] = Counter(post=10), 0.05
    floors[1].billed, floors[1].usd_by_kind["like"] = Counter(user=1), 0.01
    floors[0].requests, floors[1].requests = {"lookup": 1}, {"liking_users": 1}
    rows = [_row(130, 12, 0, 3), _row(160, 2, 1, 2), _row(190, 1, 0, 1)]
    day = (at(120), at(120 + 24 * 60))
    report = floor_report([BatchFloor(at(60), "2026-11-16"), *floors], [_row(60, 99, 99, 9), *rows], day)
    assert report["day"]["floor"] == {
        "posts": 10,
        "users": 1,
        "resources": 11,
        "usd": 0.06,
        "usd_by_kind": {"counters": 0.05, "like": 0.01},
        "requests": 2,
        "requests_by_endpoint": {"liking_users": 1, "lookup": 1},
    }
    assert report["day"]["ours"] == {"posts": 15, "users": 1, "resources": 16, "usd": 0.085, "requests": 6}
    assert report["day"]["ratio"] == {"resources": 1.455, "usd": 1.417, "requests": 3.0}
    batches = report["batches"]
    assert [row["usd_ratio"] for row in batches["rows"]] == [1.2, 2.0, None]
    assert (batches["usd_ratio_max"], batches["usd_ratio_p95"], batches["over_target"]) == (2.0, 2.0, 1)
    assert batches["zero_floor"] == {"batches": 1, "ours_usd": 0.005, "ours_requests": 1}


def test_our_rows_must_follow_the_floor_schedule() -> None:
    with pytest.raises(ValueError, match="same schedule"):
        floor_report([BatchFloor(at(0), "2026-11-16")], [_row(1, 0, 0, 0)], (at(0), at(10)))


def test_nearest_rank() -> None:
    assert nearest_rank([], 0.95) is None
    assert nearest_rank([3.0], 0.5) == 3.0
    assert nearest_rank([float(n) for n in range(1, 21)], 0.95) == 19.0
    assert nearest_rank([float(n) for n in range(1, 21)], 0.5) == 10.0
