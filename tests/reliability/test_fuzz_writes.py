"""Hostile input written through the core functions behind every command: each call is a clear refusal
(an EngagementError) or a correct result, nothing else escapes, and the keyspace only ever holds the
documented key names (the whole keyspace is scanned after every example).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import TypeVar

import fakeredis
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from engagement import admin
from engagement.connections import change_tier, start_connect, verify_connect
from engagement.errors import EngagementError
from engagement.keys import Keys
from engagement.services import Services
from engagement.settings import load_settings
from engagement.stats import leaderboard_page, member_stats
from engagement.store import Store
from engagement.submissions import submit_tweet
from engagement.urls import parse_tweet_url
from engagement.x import XClient
from sandbox.fake_x import FakeX
from tests.conftest import FakeClock
from tests.reliability._hostile import GOOD_SUFFIXES, handle_like, hostile_text, id_like, tier_like, tweet_urls
from tests.reliability._keyspace import undocumented_keys
from tests.reliability._mode import scaled

pytestmark = pytest.mark.reliability

T = TypeVar("T")

PREFIX = "fz"
MEMBERS = 3
TWEETS_EACH = 4
EXAMPLES = settings(
    max_examples=scaled(150, 4_000), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@dataclass
class FuzzWorld:
    services: Services
    fake: FakeX
    redis: fakeredis.FakeAsyncRedis
    members: list[tuple[str, str, str]]  # (discord id, X user id, handle)
    tweets: list[list[str]]  # tweet ids by member
    lurkers: dict[str, str]  # handle -> X user id of accounts nobody linked yet

    @property
    def store(self) -> Store:
        return self.services.store

    async def assert_keyspace_documented(self) -> None:
        assert await undocumented_keys(self.redis, PREFIX) == []


@pytest.fixture
async def world(clock: FakeClock) -> AsyncIterator[FuzzWorld]:
    fake = FakeX(clock=clock)
    await fake.start()
    x = XClient(fake.base_url, fake.bearer_token, timeout=2.0, clock=clock, retry_delays=(0.01,))
    redis = fakeredis.FakeAsyncRedis(decode_responses=True)
    store = Store(redis, Keys(PREFIX), clock=clock)
    limits = {f"daily_limit_tier{tier}": 1000 for tier in (1, 2, 3)}
    config = load_settings(_env_file=None, key_prefix=PREFIX, categories="general,meme,art", **limits)
    members, tweets = [], []
    for n in range(MEMBERS):
        x_id = fake.add_user(f"member_{n}")
        discord_id = str(10**17 + n)
        await store.link_account(discord_id, x_id, f"member_{n}", "bio", "2026-11-18T00:00:00+00:00")
        members.append((discord_id, x_id, f"member_{n}"))
        posted = fake.now() - timedelta(hours=1)
        tweets.append([fake.add_tweet(x_id, f"gm {i}", created_at=posted) for i in range(TWEETS_EACH)])
    yield FuzzWorld(Services(config, store, x, clock), fake, redis, members, tweets, {})
    await x.aclose()
    await fake.close()
    await redis.aclose()


async def refused_or(call: Awaitable[T]) -> T | None:
    try:
        return await call
    except EngagementError as error:
        message = str(error)
    assert message, "a refusal must say why"
    return None


real_tweet_links = st.tuples(
    st.integers(0, MEMBERS - 1),
    st.integers(0, TWEETS_EACH - 1),
    st.sampled_from(["https://x.com/", "twitter.com/", "https://www.x.com/", "<https://fxtwitter.com/"]),
    st.sampled_from(GOOD_SUFFIXES),
)
members_or_hostile = st.one_of(st.integers(0, MEMBERS - 1), id_like)


def member_id(world: FuzzWorld, drawn: int | str) -> str:
    return world.members[drawn][0] if isinstance(drawn, int) else drawn


@EXAMPLES
@given(st.data(), st.one_of(st.none(), st.sampled_from(["meme", " ART ", "General"]), hostile_text))
async def test_hostile_submissions(world: FuzzWorld, data: st.DataObject, category: str | None) -> None:
    """Half the time a link to a fresh tweet of a member (then half the time submitted by that member)."""
    if data.draw(st.booleans(), label="real link"):
        owner, _, start, suffix = data.draw(real_tweet_links)
        fresh = world.fake.add_tweet(world.members[owner][1], "new", created_at=world.fake.now())
        url = f"{start}{world.members[owner][2]}/status/{fresh}{suffix}"
        by_author = data.draw(st.booleans(), label="by the author")
        submitter = world.members[owner][0] if by_author else member_id(world, data.draw(members_or_hostile))
    else:
        url = data.draw(tweet_urls)
        submitter = member_id(world, data.draw(members_or_hostile))
    result = await refused_or(submit_tweet(world.services, submitter, url, category))
    event("submission accepted" if result is not None else "submission refused")
    if result is not None:
        submission = result.submission
        assert submission.tweet_id == parse_tweet_url(url)
        assert submission.submitter_discord_id == submitter.strip()
        assert (submission.submitter_discord_id, submission.author_x_id) in {(d, x) for d, x, _ in world.members}
    await world.assert_keyspace_documented()


NEW_ACCOUNT = ""  # drawn as the handle: an X account nobody has linked yet


@EXAMPLES
@given(members_or_hostile, st.one_of(st.just(NEW_ACCOUNT), handle_like), hostile_text, st.booleans())
async def test_hostile_connects(world: FuzzWorld, member: int | str, handle: str, bio: str, show_code: bool) -> None:
    discord_id = member_id(world, member)
    if handle == NEW_ACCOUNT:
        handle = f"new_{len(world.lurkers)}"
        world.lurkers[handle] = world.fake.add_user(handle)
    pending = await refused_or(start_connect(world.services, discord_id, handle))
    if pending is not None:
        code = pending.code
        lurker = world.lurkers.get(pending.handle)
        if lurker is not None:
            world.fake.set_description(lurker, f"{bio[:80]} {code}" if show_code else bio.replace(code, ""))
        linked = await refused_or(verify_connect(world.services, discord_id))
        event("account linked" if linked is not None else "link refused")
        if linked is not None:
            assert show_code
            assert linked.x_user_id == lurker
    await world.assert_keyspace_documented()


def admin_calls(world: FuzzWorld, data: st.DataObject) -> dict[str, Callable[[], Awaitable[object]]]:
    """Each admin or read function with hostile arguments drawn on demand."""
    store, services, draw = world.store, world.services, data.draw
    actor = member_id(world, draw(members_or_hostile))
    target = member_id(world, draw(members_or_hostile))
    anything = st.one_of(st.integers(-100, 100), hostile_text, st.integers(), st.booleans(), st.none(), st.floats())
    config_values = st.one_of(st.sampled_from(["5", "general,meme", "engagement-tracker", "Mods", "2.5"]), anything)
    kinds = st.one_of(st.sampled_from(["like", "retweet", "reply", "quote"]), hostile_text)
    config_names = st.one_of(st.sampled_from(list(admin.CONFIG_FIELDS)), hostile_text)
    tweet_refs = st.one_of(st.sampled_from([t for ts in world.tweets for t in ts]), tweet_urls, id_like)
    return {
        "tier": lambda: change_tier(services, actor, target, draw(tier_like)),
        "adjust": lambda: admin.adjust_points(store, actor, target, draw(anything), draw(hostile_text)),
        "rule": lambda: admin.set_rule(store, actor, draw(tier_like), draw(kinds), draw(anything)),
        "config": lambda: admin.set_config(store, actor, draw(config_names), draw(config_values)),
        "delete": lambda: admin.delete_tweet(store, actor, draw(tweet_refs), revoke=draw(st.booleans())),
        "list": lambda: admin.list_tweets(store, draw(st.one_of(st.none(), hostile_text)), draw(anything)),
        "batch": lambda: admin.batch_details(store, draw(anything)),
        "history": lambda: admin.batch_history(store, draw(anything)),
        "run": lambda: admin.request_batch_run(store, actor),
        "stats": lambda: member_stats(services, target),
        "board": lambda: leaderboard_page(services, draw(st.booleans()), draw(st.integers(-5, 10**6)), actor),
    }


@EXAMPLES
@given(st.data())
async def test_hostile_admin_and_read_commands(world: FuzzWorld, data: st.DataObject) -> None:
    calls = admin_calls(world, data)
    for name in data.draw(st.lists(st.sampled_from(sorted(calls)), min_size=1, max_size=4)):
        result = await refused_or(calls[name]())
        event(f"{name} {'done' if result is not None else 'refused'}")
    await world.assert_keyspace_documented()
