"""The fake X's search by post id (`retweets_of_tweet_id:`, `quotes_of_tweet_id:`) and its index.

The index answers a query built of operators that name posts from those posts only; it must answer
exactly what a scan of every post would.
"""

from __future__ import annotations

import itertools
import random
from datetime import UTC, datetime, timedelta

from engagement.x import XClient
from sandbox._fake_x_query import compile_query
from sandbox.fake_x import FakeX
from tests.conftest import FakeClock
from tests.sandbox.conftest import Get

SEARCH = "/2/tweets/search/recent"


async def _ids(x_get: Get, query: str, **params: str) -> list[str]:
    answer = await x_get(SEARCH, query=query, **params)
    assert answer.status == 200, answer.body
    return [post["id"] for post in answer.body.get("data", [])]


async def test_reposts_and_quotes_of_a_post_by_its_id(fake_x: FakeX, x_get: Get) -> None:
    author, fan, other = fake_x.add_user("author"), fake_x.add_user("fan"), fake_x.add_user("other")
    first, second, untracked = (fake_x.add_tweet(author, f"post {n}") for n in range(3))
    for post in (first, second, untracked):
        fake_x.retweet(fan, post)
    fake_x.retweet(other, first)
    quotes = {post: fake_x.quote(fan, post, "so true") for post in (first, second, untracked)}
    fake_x.reply(fan, first, "a reply is neither")
    reposts = {post.reposted: post.id for post in fake_x.repost_posts.values() if post.author_id == fan}

    packed = await _ids(x_get, f"retweets_of_tweet_id:{first} OR retweets_of_tweet_id:{second}")
    quoted = await _ids(x_get, f"quotes_of_tweet_id:{first} OR quotes_of_tweet_id:{second}")

    other_repost = next(post.id for post in fake_x.repost_posts.values() if post.author_id == other)
    assert set(packed) == {reposts[first], reposts[second], other_repost}
    assert set(quoted) == {quotes[first], quotes[second]}
    assert await _ids(x_get, f"retweets_of_tweet_id:{first} -from:other") == [reposts[first]]
    assert await _ids(x_get, f"quotes_of_tweet_id:{untracked}", since_id=quotes[untracked]) == []
    fake_x.unretweet(fan, first)
    fake_x.delete_tweet(second)
    assert await _ids(x_get, f"retweets_of_tweet_id:{first} OR retweets_of_tweet_id:{second}") == [other_repost]
    for bad in ("retweets_of_tweet_id:abc", "quotes_of_tweet_id:"):
        assert (await x_get(SEARCH, query=bad)).status == 400, bad


async def test_the_client_packs_many_posts_into_few_searches(fake_x: FakeX, x_client: XClient) -> None:
    author, fan = fake_x.add_user("author"), fake_x.add_user("fan")
    posts = [fake_x.add_tweet(author, f"post {n}") for n in range(40)]
    quotes = {fake_x.quote(fan, post) for post in posts}
    for post in posts:
        fake_x.retweet(fan, post)

    reposts = await x_client.search_reposts_of(posts)
    quoted = await x_client.search_quotes(posts)

    assert {tweet.reposted_id for tweet in reposts.tweets} == set(posts)
    assert {tweet.id for tweet in quoted.tweets} == quotes
    assert fake_x.request_counts["search_recent"] < 20, "many posts per query"


def _random_world(fake: FakeX, rng: random.Random, now: datetime) -> list[str]:
    """Posts, replies, quotes and reposts at random times over 8 days (creation order differs from id order)."""
    users = [fake.add_user(f"user{n}") for n in range(6)]
    posts: list[str] = []
    for n in range(300):
        when = now - timedelta(minutes=rng.randrange(-60, 8 * 24 * 60))
        kind = rng.choice(["post", "reply", "quote", "repost"]) if posts else "post"
        user, target = rng.choice(users), rng.choice(posts) if posts else ""
        if kind == "repost":
            fake.retweet(user, target)
            continue
        text = rng.choice(["gm", "gm frens", "hello"]) + f" {n}"
        in_reply_to, quoted = (target, None) if kind == "reply" else (None, target if kind == "quote" else None)
        posts.append(fake.add_tweet(user, text, created_at=when, in_reply_to=in_reply_to, quoted=quoted))
    for post in rng.sample(posts, 20):
        fake.delete_tweet(post)
    for repost in rng.sample(list(fake.repost_posts.values()), 10):
        fake.unretweet(repost.author_id, str(repost.reposted))
    return posts


def _queries(fake: FakeX, rng: random.Random, posts: list[str]) -> list[str]:
    def some(operator: str, count: int) -> str:
        return " OR ".join(f"{operator}:{post}" for post in rng.sample(posts, count))

    author = next(iter(fake.users))
    return [
        some("conversation_id", 12),
        some("retweets_of_tweet_id", 12),
        some("quotes_of_tweet_id", 12),
        f"{some('conversation_id', 3)} OR retweets_of:{author} OR {some('quotes_of_tweet_id', 3)}",
        f"({some('conversation_id', 5)}) is:reply -from:user1",
        f"({some('conversation_id', 5)}) OR gm",
        f"-conversation_id:{posts[0]}",
        "from:user2 OR is:retweet",
    ]


async def test_the_index_answers_exactly_what_a_scan_of_every_post_would(clock: FakeClock) -> None:
    rng = random.Random(12)
    fake = FakeX(clock=clock)
    now = datetime.fromtimestamp(clock(), UTC)
    posts = _random_world(fake, rng, now)
    checked = 0
    for query in _queries(fake, rng, posts):
        compiled = compile_query(query, fake)
        # Either window may be the narrower one: a recent since_id, or a recent start_time.
        sinces = [0, *(int(post) for post in rng.sample(posts, 6))]
        for since, start in itertools.product(sinces, (now - timedelta(days=days) for days in (7, 2, 0.1))):
            window = (start, now)
            scanned = [
                post
                for post in fake.searchable_posts()
                if post.number > since and start <= post.created_at <= now and compiled.matches(post)
            ]
            assert fake.search(compiled.matches, compiled.pool, since, window) == scanned, (query, since)
            checked += len(scanned)
    assert checked > 100, "the queries found something to compare"
