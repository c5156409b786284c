"""XClient against the fake X: typed results, pagination, packed search, user lookups, usage counting."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import pytest

from engagement.errors import SettingsError
from engagement.settings import load_settings
from engagement.x import XAuthError, XClient, XUsage
from engagement.x._query import pack_queries
from sandbox.fake_x import FakeX
from tests.conftest import FakeClock


def _now(clock: FakeClock) -> datetime:
    return datetime.fromtimestamp(clock(), UTC)


def _crowd(fake: FakeX, count: int, prefix: str = "fan") -> list[str]:
    return [fake.add_user(f"{prefix}{i}") for i in range(count)]


async def test_lookup_returns_typed_tweets_and_reports_deleted_ids_as_gone(fake_x: FakeX, x_client: XClient) -> None:
    alice, bob = fake_x.add_user("Alice"), fake_x.add_user("bob")
    post = fake_x.add_tweet(alice, "hello", created_at=datetime(2026, 11, 17, 9, 30, tzinfo=UTC))
    doomed = fake_x.add_tweet(alice, "soon gone")
    fake_x.retweet(bob, post)
    fake_x.like(bob, post)
    fake_x.reply(bob, post)
    fake_x.quote(bob, post)
    fake_x.delete_tweet(doomed)

    result = await x_client.lookup_tweets([post, doomed, "999"])

    assert set(result.found) == {post}
    tweet = result.found[post]
    assert (tweet.author_id, tweet.author_username, tweet.text) == (alice, "Alice", "hello")
    assert tweet.conversation_id == post
    assert tweet.created_at == datetime(2026, 11, 17, 9, 30, tzinfo=UTC)
    assert (tweet.metrics.repost_count, tweet.metrics.like_count) == (1, 1)
    assert (tweet.metrics.reply_count, tweet.metrics.quote_count) == (1, 1)
    assert result.gone == {doomed, "999"}
    assert fake_x.request_counts["tweets_lookup"] == 1


async def test_reposters_are_paged_to_the_end(fake_x: FakeX, x_client: XClient) -> None:
    author = fake_x.add_user("author")
    post = fake_x.add_tweet(author)
    fans = _crowd(fake_x, 250)
    for fan in fans:
        fake_x.retweet(fan, post)

    users = await x_client.retweeted_by(post)

    assert sorted(user.id for user in users) == sorted(fans)
    assert users[0].id == fans[-1], "newest repost first"
    assert fake_x.request_counts["retweeted_by"] == 3


async def test_quote_tweets_are_paged_with_their_authors(fake_x: FakeX, x_client: XClient) -> None:
    post = fake_x.add_tweet(fake_x.add_user("author"))
    quoters = _crowd(fake_x, 120, "quoter")
    for quoter in quoters:
        fake_x.quote(quoter, post, "look at this")

    quotes = await x_client.quote_tweets(post)

    assert sorted(quote.author_id for quote in quotes) == sorted(quoters)
    assert {quote.author_username for quote in quotes} == {f"quoter{i}" for i in range(120)}
    assert fake_x.request_counts["quote_tweets"] == 2


async def test_liking_users_need_the_authors_own_token(fake_x: FakeX, x_client: XClient) -> None:
    author, other = fake_x.add_user("author"), fake_x.add_user("other")
    post = fake_x.add_tweet(author)
    fans = _crowd(fake_x, 3)
    for fan in fans:
        fake_x.like(fan, post)

    liked = await x_client.liking_users(post, fake_x.grant_user_token(author))
    assert sorted(user.id for user in liked) == sorted(fans)
    with pytest.raises(XAuthError):  # another member's token: X refuses (403), as it does the app token
        await x_client.liking_users(post, fake_x.grant_user_token(other))
    with pytest.raises(XAuthError, match="the author's OAuth token"):
        await x_client.liking_users(post, fake_x.bearer_token)


async def test_packed_search_splits_at_512_chars_and_finds_every_reply(fake_x: FakeX, x_client: XClient) -> None:
    author, fan = fake_x.add_user("author"), fake_x.add_user("fan")
    roots = [fake_x.add_tweet(author, f"root {i}") for i in range(60)]
    replies = {fake_x.reply(fan, root, f"reply {i}") for i, root in enumerate(roots)}

    result = await x_client.search_replies(roots)

    assert {tweet.id for tweet in result.tweets} == replies, "roots are left out"
    assert fake_x.request_counts["search_recent"] >= 4, "60 terms of ~39 chars need several queries"
    assert result.newest_id == max(replies, key=int)
    assert [int(t.id) for t in result.tweets] == sorted((int(r) for r in replies), reverse=True)


async def test_search_finds_thread_replies_and_pages_each_query_fully(fake_x: FakeX, x_client: XClient) -> None:
    root = fake_x.add_tweet(fake_x.add_user("author"))
    fans = _crowd(fake_x, 150)
    first = fake_x.reply(fans[0], root)
    replies = {first} | {fake_x.reply(fan, first, "in the thread") for fan in fans[1:]}

    result = await x_client.search_replies([root])

    assert {tweet.id for tweet in result.tweets} == replies
    assert all(tweet.conversation_id == root for tweet in result.tweets)
    assert fake_x.request_counts["search_recent"] == 2


async def test_search_honours_since_id_and_start_time(fake_x: FakeX, x_client: XClient, clock: FakeClock) -> None:
    author, fan = fake_x.add_user("author"), fake_x.add_user("fan")
    root = fake_x.add_tweet(author, created_at=_now(clock) - timedelta(hours=3))
    old = fake_x.reply(fan, root, "old", created_at=_now(clock) - timedelta(hours=2))
    seen = fake_x.reply(fan, root, "seen")
    first = await x_client.search_replies([root])
    assert first.newest_id == seen
    clock.advance(60)
    fresh = fake_x.reply(fan, root, "fresh")

    since = await x_client.search_replies([root], since_id=first.newest_id)
    recent = await x_client.search_replies([root], start_time=_now(clock) - timedelta(hours=1))
    week_ago = await x_client.search_replies([root], start_time=_now(clock) - timedelta(days=30))

    assert [tweet.id for tweet in since.tweets] == [fresh]
    assert {tweet.id for tweet in recent.tweets} == {seen, fresh}
    assert {tweet.id for tweet in week_ago.tweets} == {old, seen, fresh}, "a start older than 7 days is clamped"


async def test_search_drops_a_since_id_older_than_the_search_window(
    fake_x: FakeX, x_client: XClient, clock: FakeClock
) -> None:
    author, fan = fake_x.add_user("author"), fake_x.add_user("fan")
    root = fake_x.add_tweet(author, created_at=_now(clock) - timedelta(days=9))
    stale = fake_x.reply(fan, root, "too old to search", created_at=_now(clock) - timedelta(days=8))
    fresh = fake_x.reply(fan, root, "fresh")

    result = await x_client.search_replies([root], since_id=stale, start_time=_now(clock) - timedelta(days=30))

    assert [tweet.id for tweet in result.tweets] == [fresh]


async def test_search_with_no_conversations_makes_no_request(fake_x: FakeX, x_client: XClient) -> None:
    result = await x_client.search_replies([])
    assert (result.tweets, result.newest_id) == ([], None)
    assert not fake_x.request_counts


async def test_find_post_with_text_finds_the_users_proof_post(fake_x: FakeX, x_client: XClient) -> None:
    member, impostor = fake_x.add_user("member"), fake_x.add_user("impostor")
    fake_x.add_tweet(impostor, "verify ENG-7Q2K")
    proof = fake_x.add_tweet(member, "Linking my account: verify eng-7q2k please")

    found = await x_client.find_post_with_text("@Member", "verify ENG-7Q2K")

    assert found is not None
    assert (found.id, found.author_id) == (proof, member)
    assert await x_client.find_post_with_text("member", "ENG-0000") is None


async def test_user_lookups_return_bio_age_and_counters(fake_x: FakeX, x_client: XClient) -> None:
    joined = datetime(2020, 5, 1, tzinfo=UTC)
    user = fake_x.add_user("Carol_X", description="code: ENG-1", created_at=joined, followers=321)
    fake_x.add_tweet(user)

    by_name = await x_client.user_by_username("carol_x")
    by_id = await x_client.user_by_id(user)

    assert by_name == by_id
    assert by_name is not None
    assert (by_name.id, by_name.username, by_name.description) == (user, "Carol_X", "code: ENG-1")
    assert (by_name.created_at, by_name.followers_count, by_name.post_count) == (joined, 321, 1)
    assert await x_client.user_by_username("nobody_here") is None
    assert await x_client.user_by_id("12345") is None


async def test_usage_counts_requests_and_reads(fake_x: FakeX, x_client: XClient) -> None:
    author = fake_x.add_user("author")
    posts = [fake_x.add_tweet(author) for _ in range(3)]
    fans = _crowd(fake_x, 2)
    for fan in fans:
        fake_x.retweet(fan, posts[0])
    before = x_client.usage.copy()

    await x_client.lookup_tweets(posts)
    await x_client.retweeted_by(posts[0])
    spent = x_client.usage.since(before)

    assert spent.requests == {"tweets_lookup": 1, "retweeted_by": 1}
    assert spent.posts_read == 3
    assert spent.users_read == 1 + 2, "the author in includes, then two reposters"
    assert spent.cost_usd == pytest.approx(3 * XUsage.POST_READ_USD + 3 * XUsage.USER_READ_USD)


async def test_from_settings_uses_the_configured_base_url_and_token(fake_x: FakeX) -> None:
    user = fake_x.add_user("someone")
    settings = load_settings(x_api_base_url=fake_x.base_url, twitter_bearer_token=fake_x.bearer_token)
    client = XClient.from_settings(settings)
    try:
        found = await client.user_by_id(user)
    finally:
        await client.aclose()
    assert found is not None
    assert found.username == "someone"
    with pytest.raises(SettingsError, match="TWITTER_BEARER_TOKEN"):
        XClient.from_settings(load_settings(x_api_base_url=fake_x.base_url, twitter_bearer_token=None))


async def test_tokens_stay_out_of_debug_logs(
    fake_x: FakeX, x_client: XClient, caplog: pytest.LogCaptureFixture
) -> None:
    author = fake_x.add_user("author")
    post = fake_x.add_tweet(author)
    caplog.set_level(logging.DEBUG)
    user_token = fake_x.grant_user_token(author)
    await x_client.user_by_id(author)
    await x_client.liking_users(post, user_token)
    assert fake_x.bearer_token not in caplog.text
    assert user_token not in caplog.text


async def test_reposts_of_many_authors_come_from_packed_searches(
    fake_x: FakeX, x_client: XClient, clock: FakeClock
) -> None:
    authors = _crowd(fake_x, 40, "author")  # 40 retweets_of terms do not fit one 512-character query
    posts = {author: fake_x.add_tweet(author, "gm") for author in authors}
    fans = _crowd(fake_x, 3)
    for author, post in posts.items():
        for fan in fans[: 1 + int(author) % 3]:
            fake_x.retweet(fan, post)
    fake_x.add_tweet(fans[0], "not a repost")

    result = await x_client.search_reposts(authors)

    expected = {(post, fan) for author, post in posts.items() for fan in fans[: 1 + int(author) % 3]}
    assert {(repost.reposted_id, repost.author_id) for repost in result.tweets} == expected
    assert fake_x.request_counts["search_recent"] == len(pack_queries("retweets_of", authors)) == 3
    assert result.newest_id == max((r.id for r in result.tweets), key=int)

    clock.advance(60)
    late_fan = fake_x.add_user("late")
    fake_x.retweet(late_fan, posts[authors[5]])
    newer = await x_client.search_reposts(authors, since_id=result.newest_id)
    assert [(r.reposted_id, r.author_id) for r in newer.tweets] == [(posts[authors[5]], late_fan)]
    assert x_client.usage.posts_read == len(expected) + 1
