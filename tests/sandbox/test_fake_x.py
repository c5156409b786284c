"""The fake X's behaviour: conversations, search syntax, stable paging, rate-limit windows, faults."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import aiohttp
import pytest

from sandbox.fake_x import FakeX
from tests.conftest import FakeClock
from tests.sandbox.conftest import Get


def _texts(answer_body: dict[str, list[dict[str, str]]]) -> set[str]:
    return {post["text"] for post in answer_body.get("data", [])}


async def test_replies_join_the_roots_conversation(fake_x: FakeX, x_get: Get) -> None:
    author, fan = fake_x.add_user("author"), fake_x.add_user("fan")
    root = fake_x.add_tweet(author, "root")
    first = fake_x.reply(fan, root, "first")
    nested = fake_x.reply(author, first, "nested")

    answer = await x_get(
        "/2/tweets", ids=f"{root},{first},{nested}", **{"tweet.fields": "conversation_id,public_metrics"}
    )

    by_id = {post["id"]: post for post in answer.body["data"]}
    assert {post["conversation_id"] for post in by_id.values()} == {root}
    assert by_id[root]["public_metrics"]["reply_count"] == 1, "direct replies only"
    assert by_id[first]["public_metrics"]["reply_count"] == 1


async def test_search_syntax(fake_x: FakeX, x_get: Get) -> None:
    alice, bob = fake_x.add_user("alice"), fake_x.add_user("bob")
    root = fake_x.add_tweet(alice, "gm frens")
    fake_x.reply(bob, root, "gm to you")
    fake_x.add_tweet(bob, "code ENG-42 here")
    fake_x.add_tweet(alice, "code ENG-42 too")

    async def search(query: str) -> set[str]:
        answer = await x_get("/2/tweets/search/recent", query=query)
        assert answer.status == 200, answer.body
        return _texts(answer.body)

    assert await search(f"conversation_id:{root}") == {"gm frens", "gm to you"}
    assert await search('from:BOB "eng-42"') == {"code ENG-42 here"}
    assert await search(f"(conversation_id:{root} OR from:alice) -from:bob") == {"gm frens", "code ENG-42 too"}
    assert await search("gm from:bob OR too") == {"gm to you", "code ENG-42 too"}, "AND binds tighter than OR"
    assert await search("is:reply") == {"gm to you"}
    for bad in ("lang:en", "(gm", '""', "OR gm"):
        assert (await x_get("/2/tweets/search/recent", query=bad)).status == 400, bad


async def test_search_covers_only_the_last_seven_days(fake_x: FakeX, x_get: Get, clock: FakeClock) -> None:
    author = fake_x.add_user("author")
    now = datetime.fromtimestamp(clock(), UTC)
    ancient = fake_x.add_tweet(author, "ancient", created_at=now - timedelta(days=8))
    fake_x.add_tweet(author, "recent", created_at=now - timedelta(days=1))
    fake_x.add_tweet(author, "future", created_at=now + timedelta(hours=1))

    assert _texts((await x_get("/2/tweets/search/recent", query="from:author")).body) == {"recent"}
    too_old = (now - timedelta(days=8)).strftime("%Y-%m-%dT%H:%M:%SZ")
    answer = await x_get("/2/tweets/search/recent", query="from:author", start_time=too_old)
    assert answer.status == 400
    answer = await x_get("/2/tweets/search/recent", query="from:author", since_id=ancient)
    assert answer.status == 400


async def test_paging_survives_new_reposts_between_pages(fake_x: FakeX, x_get: Get) -> None:
    post = fake_x.add_tweet(fake_x.add_user("author"))
    fans = [fake_x.add_user(f"fan{i}") for i in range(5)]
    for fan in fans:
        fake_x.retweet(fan, post)

    first = await x_get(f"/2/tweets/{post}/retweeted_by", max_results="3")
    fake_x.retweet(fake_x.add_user("latecomer"), post)
    second = await x_get(
        f"/2/tweets/{post}/retweeted_by", max_results="3", pagination_token=first.body["meta"]["next_token"]
    )

    seen = [user["id"] for user in first.body["data"] + second.body["data"]]
    assert seen == fans[::-1], "newest first, nothing repeated or skipped"
    assert "next_token" not in second.body["meta"]


async def test_rate_limit_windows_follow_the_injected_clock(fake_x: FakeX, x_get: Get, clock: FakeClock) -> None:
    user = fake_x.add_user("someone")
    fake_x.set_limit("user_by_id", 2)

    answers = [await x_get(f"/2/users/{user}") for _ in range(3)]

    assert [a.status for a in answers] == [200, 200, 429]
    assert [a.headers["x-rate-limit-remaining"] for a in answers] == ["1", "0", "0"]
    assert int(answers[2].headers["x-rate-limit-reset"]) == int(clock() + 900)
    clock.advance(900)
    again = await x_get(f"/2/users/{user}")
    assert (again.status, again.headers["x-rate-limit-remaining"]) == (200, "1")
    assert fake_x.request_counts["user_by_id"] == 4
    fake_x.reset_counts()
    assert not fake_x.request_counts


async def test_faults_are_served_in_order_then_normal_answers_resume(fake_x: FakeX, x_get: Get) -> None:
    user = fake_x.add_user("someone")
    fake_x.inject_fault("user_by_id", "500", times=2)
    fake_x.inject_fault("user_by_id", "malformed")

    answers = [await x_get(f"/2/users/{user}") for _ in range(4)]

    assert [a.status for a in answers] == [500, 500, 200, 200]
    assert isinstance(answers[2].body, str), "malformed JSON"
    assert answers[3].body["data"]["id"] == user


async def test_a_timeout_fault_outlasts_the_client_and_ends_on_close(clock: FakeClock) -> None:
    fake = FakeX(clock=clock)
    await fake.start()
    user = fake.add_user("someone")
    fake.inject_fault("user_by_id", "timeout")
    headers = {"Authorization": f"Bearer {fake.bearer_token}"}
    try:
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=0.1)) as session:
            with pytest.raises(TimeoutError):
                await session.get(f"{fake.base_url}/2/users/{user}", headers=headers)
    finally:
        await asyncio.wait_for(fake.close(), timeout=fake.timeout_fault_seconds / 2)


async def test_likes_are_visible_only_to_the_author(fake_x: FakeX, x_get: Get) -> None:
    author, fan = fake_x.add_user("author"), fake_x.add_user("fan")
    post = fake_x.add_tweet(author)
    fake_x.like(fan, post)

    as_author = await x_get(f"/2/tweets/{post}/liking_users", fake_x.grant_user_token(author))
    as_fan = await x_get(f"/2/tweets/{post}/liking_users", fake_x.grant_user_token(fan))

    assert [user["id"] for user in as_author.body["data"]] == [fan]
    assert (as_fan.status, as_fan.body["title"]) == (403, "Forbidden")  # X refuses anyone but the author


def test_world_building_refuses_nonsense(fake_x: FakeX) -> None:
    user = fake_x.add_user("someone")
    with pytest.raises(ValueError, match="taken"):
        fake_x.add_user("SOMEONE")
    with pytest.raises(ValueError, match="invalid"):
        fake_x.add_user("has space")
    with pytest.raises(KeyError):
        fake_x.reply(user, "404")
    with pytest.raises(ValueError, match="unknown endpoint"):
        fake_x.set_limit("tweets", 5)
    with pytest.raises(ValueError, match="unknown fault"):
        fake_x.inject_fault("user_by_id", "404")  # type: ignore[arg-type]


async def test_a_users_counters_follow_posts_deletions_and_likes(fake_x: FakeX, x_get: Get) -> None:
    user, other = fake_x.add_user("someone"), fake_x.add_user("other")
    posts = [fake_x.add_tweet(user) for _ in range(3)]
    theirs = fake_x.add_tweet(other)
    fake_x.retweet(user, theirs)  # a repost is not counted as a post here
    for post in (theirs, posts[0], theirs):
        fake_x.like(user, post)
    fake_x.delete_tweet(posts[1])
    fake_x.delete_tweet(posts[1])
    fake_x.unlike(user, posts[0])
    fake_x.unlike(user, posts[0])

    answer = await x_get(f"/2/users/{user}", **{"user.fields": "public_metrics"})

    metrics = answer.body["data"]["public_metrics"]
    assert (metrics["post_count"], metrics["tweet_count"], metrics["like_count"]) == (2, 2, 1)
