"""Several communities on one worker: a fair share of the app's X budget each, one lookup per post a cycle."""

from __future__ import annotations

import fakeredis
import pytest
from redis.asyncio import Redis

from engagement.batch import COMPLETED, FAILED, PARTIAL
from engagement.communities import run_cycle
from engagement.connections import ConnectResult, PendingConnect, start_connect, verify_connect
from engagement.keys import Keys
from engagement.models import VerifiedBy
from engagement.services import Services
from engagement.settings import load_settings
from engagement.store import Store, SubmissionDraft
from engagement.x import XClient
from sandbox.fake_x import FakeX
from tests.conftest import FakeClock, dump_keyspace
from tests.engagement.batch_world import BatchWorld

SETTINGS = load_settings(_env_file=None)
LIST_REQUESTS_PER_WINDOW = 4


@pytest.fixture
def big(fake_redis: Redis, fake_x: FakeX, x_client: XClient, clock: FakeClock) -> BatchWorld:
    return BatchWorld(Store(fake_redis, Keys("test-big"), clock=clock), fake_x, x_client, clock)


@pytest.fixture
def small(fake_redis: Redis, fake_x: FakeX, x_client: XClient, clock: FakeClock) -> BatchWorld:
    return BatchWorld(Store(fake_redis, Keys("test-small"), clock=clock), fake_x, x_client, clock)


async def _engaged(world: BatchWorld, posts: int, prefix: str, kind: str = "reply") -> None:
    """`posts` tweets by the community's author, each replied to or quoted by its fan."""
    await world.member(f"{prefix}_author")
    fan = await world.member(f"{prefix}_fan")
    engage = world.fake.reply if kind == "reply" else world.fake.quote
    for i in range(posts):
        engage(fan.x_id, await world.submit(f"{prefix}{i}", f"{prefix}_author"))


async def test_a_big_community_does_not_starve_a_small_one(
    big: BatchWorld, small: BatchWorld, clock: FakeClock
) -> None:
    # Search spent: quotes fall back to quote_tweets, one request per post, each community in turn.
    await _engaged(big, 40, "b", "quote")
    await _engaged(small, 2, "s", "quote")
    big.fake.set_limit("search_recent", 0)
    big.fake.set_limit("quote_tweets", LIST_REQUESTS_PER_WINDOW)
    first, second = await run_cycle([big.store, small.store], big.x, SETTINGS, clock=clock)
    assert (first.status, second.status) == (PARTIAL, COMPLETED)
    assert first.usage.requests["quote_tweets"] == LIST_REQUESTS_PER_WINDOW // 2  # its share; the rest was left
    assert second.usage.requests["quote_tweets"] == 2
    assert any("share of the X budget" in error for error in first.tally.errors)
    assert len(await small.awards()) == 2
    assert first.tally.carried_over > 0

    for cycle in range(1, 30):  # X's window resets between cycles: the big one's carried-over work gets done
        clock.advance(15 * 60 + 1)
        await run_cycle([big.store, small.store], big.x, SETTINGS, cycle_number=cycle, clock=clock)
    assert len(await big.awards()) == 40
    assert len(await small.awards()) == 2


async def test_each_community_goes_first_in_turn(big: BatchWorld, small: BatchWorld, clock: FakeClock) -> None:
    await _engaged(big, 40, "b", "quote")
    await _engaged(small, 2, "s", "quote")
    big.fake.set_limit("search_recent", 0)
    big.fake.set_limit("quote_tweets", LIST_REQUESTS_PER_WINDOW)
    outcomes = await run_cycle([big.store, small.store], big.x, SETTINGS, cycle_number=1, clock=clock)
    # The small one runs first now and takes the two it needs; the big one, last, gets what is left.
    # (Outcomes come in the order the stores were given.)
    assert [outcome.usage.requests.get("quote_tweets", 0) for outcome in outcomes] == [2, 2]


async def test_the_searches_of_all_communities_are_packed_together(
    big: BatchWorld, small: BatchWorld, clock: FakeClock
) -> None:
    await _engaged(big, 6, "b")
    await _engaged(small, 6, "s")
    before = big.x.usage.copy()
    outcomes = await run_cycle([big.store, small.store], big.x, SETTINGS, clock=clock)
    assert big.fake.request_counts["search_recent"] == 1  # twelve conversations fit one query
    assert big.fake.request_counts["tweets_lookup"] == 1  # and twelve posts one lookup
    # Each record shows its part of the pooled requests: in proportion to its posts in them (half each here).
    spent = big.x.usage.since(before)
    assert sum(outcome.usage.requests.get("search_recent", 0) for outcome in outcomes) == 1
    reads = [outcome.usage.posts_read for outcome in outcomes]
    assert sum(reads) == spent.posts_read
    assert max(reads) - min(reads) <= 1
    assert (len(await big.awards()), len(await small.awards())) == (6, 6)


async def test_a_post_submitted_in_two_communities_is_looked_up_once_a_cycle(
    big: BatchWorld, small: BatchWorld, clock: FakeClock
) -> None:
    author = await big.member("author")
    fan = await big.member("fan")
    for name, member in (("author", author), ("fan", fan)):  # the same X accounts, linked in the other too
        discord_id = str(800_000 + len(small.members))
        await small.store.link_account(discord_id, member.x_id, name, "bio", "2026-11-18T00:00:00+00:00")
        small.members[name] = type(member)(name, member.x_id, discord_id)
    tweet_id = await big.submit("t", "author")
    small.fake.reply(fan.x_id, tweet_id)
    url = f"https://x.com/author/status/{tweet_id}"
    draft = SubmissionDraft(tweet_id, url, author.x_id, "author", small.discord("author"), "general")
    await small.store.create_submission(draft, daily_limit=10)
    small.tweets["t"] = tweet_id
    big.fake.reset_counts()
    outcomes = await run_cycle([big.store, small.store], big.x, SETTINGS, clock=clock)
    assert big.fake.request_counts["tweets_lookup"] == 1
    assert [outcome.tally.tweets_scanned for outcome in outcomes] == [1, 1]
    assert await big.awards() == {big.row("t", "fan", "reply", 3)}
    assert await small.awards() == {small.row("t", "fan", "reply", 3)}
    # Each community's record holds its own requests: the lookup was the first one's.
    assert [outcome.usage.requests.get("tweets_lookup", 0) for outcome in outcomes] == [1, 0]


OTHER_GUILD = 1200000000000000007
ALICE = "111111111111111111"
BOB = "222222222222222222"


@pytest.fixture
def two_communities(services: Services) -> Services:
    settings = services.settings.model_copy(update={"allowed_guilds": (OTHER_GUILD,)})
    return Services(settings=settings, store=services.store, x=services.x, clock=services.clock)


def _home_and_other(services: Services) -> tuple[Services, Services]:
    return services.for_guild(services.settings.discord_guild_id), services.for_guild(OTHER_GUILD)


async def _prove(services: Services, fake_x: FakeX, member: str, x_id: str, handle: str) -> None:
    pending = await start_connect(services, member, handle)
    assert isinstance(pending, PendingConnect)
    fake_x.set_description(x_id, f"gm {pending.code}")
    await verify_connect(services, member)


@pytest.fixture
async def proved_at_home(two_communities: Services, fake_x: FakeX) -> tuple[Services, str]:
    """Alice proved @alice in the home community; the other community's services, and her X id."""
    home, other = _home_and_other(two_communities)
    x_id = fake_x.add_user("alice")
    await _prove(home, fake_x, ALICE, x_id, "alice")
    return other, x_id


async def test_an_account_proved_in_one_community_links_in_another_without_a_new_code(
    two_communities: Services, proved_at_home: tuple[Services, str], fake_x: FakeX
) -> None:
    other, x_id = proved_at_home
    home = two_communities.for_guild(two_communities.settings.discord_guild_id)
    fake_x.set_description(x_id, "no code here any more")
    linked = await start_connect(other, ALICE, "@Alice")
    assert isinstance(linked, ConnectResult)
    assert (linked.x_user_id, linked.verified_by) == (x_id, VerifiedBy.BIO)
    in_other = await other.store.get_connection(ALICE)
    assert in_other is not None
    assert in_other.x_user_id == x_id
    assert other.store is not home.store
    assert await other.store.get_verification(ALICE) == {}  # no code was issued there


async def test_a_proof_is_a_members_own_and_follows_the_account_not_the_handle(
    proved_at_home: tuple[Services, str], fake_x: FakeX
) -> None:
    other, x_id = proved_at_home
    # Another member naming the same handle proves nothing by it: they get a code like anyone.
    assert isinstance(await start_connect(other, BOB, "alice"), PendingConnect)
    # The handle now names another account (alice renamed, someone took the name): prove it again.
    fake_x.rename_user(x_id, "alice_new")
    fake_x.add_user("alice")
    assert isinstance(await start_connect(other, ALICE, "alice"), PendingConnect)
    assert await other.store.get_connection(ALICE) is None


async def test_a_community_whose_redis_is_down_fails_alone(
    big: BatchWorld, small: BatchWorld, clock: FakeClock
) -> None:
    await _engaged(big, 3, "b")
    await _engaged(small, 2, "s")
    server = fakeredis.FakeServer()
    down = Store(fakeredis.FakeAsyncRedis(server=server, decode_responses=True), Keys("test-down"), clock=clock)
    server.connected = False  # as a cluster node holding that community's slot, gone
    outcomes = await run_cycle([down, big.store, small.store], big.x, SETTINGS, clock=clock)
    assert [outcome.status for outcome in outcomes] == [FAILED, COMPLETED, COMPLETED]
    assert "ConnectionError" in outcomes[0].reason
    assert (len(await big.awards()), len(await small.awards())) == (3, 2)


async def test_a_server_left_keeps_its_data_and_is_not_scanned_until_the_bot_returns(
    two_communities: Services,
) -> None:
    communities = two_communities.communities
    home, other = communities.home, communities.store_for(OTHER_GUILD)
    assert await communities.scanned() == [home, other]
    await communities.left(OTHER_GUILD)
    assert await communities.scanned() == [home]
    assert await communities.joined(OTHER_GUILD)
    assert await communities.scanned() == [home, other]


async def test_a_server_not_served_writes_nothing_when_the_bot_joins_or_leaves(
    two_communities: Services, fake_redis: Redis
) -> None:
    before = await dump_keyspace(fake_redis)
    assert not await two_communities.communities.joined(1300000000000000001)
    await two_communities.communities.left(1300000000000000001)
    assert await dump_keyspace(fake_redis) == before
