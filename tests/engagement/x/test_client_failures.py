"""XClient's failure policy against the fake X: rate limits, retries, faults, auth, and bad input."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from engagement.errors import InvalidInput
from engagement.x import RateLimited, XAuthError, XClient, XUnavailable, budget_key
from sandbox.fake_x import FakeX
from tests.conftest import FakeClock
from tests.fakes.x_fixtures import RETRY_DELAYS


async def test_no_request_is_made_while_the_window_is_spent(fake_x: FakeX, x_client: XClient, clock: FakeClock) -> None:
    post = fake_x.add_tweet(fake_x.add_user("author"))
    fake_x.set_limit("retweeted_by", 2)
    await x_client.retweeted_by(post)
    await x_client.retweeted_by(post)
    assert x_client.rate_limits.remaining("retweeted_by") == 0
    assert not x_client.rate_limits.can_call("retweeted_by")

    with pytest.raises(RateLimited) as raised:
        await x_client.retweeted_by(post)

    assert fake_x.request_counts["retweeted_by"] == 2
    assert raised.value.endpoint == "retweeted_by"
    assert raised.value.reset_at == x_client.rate_limits.reset_at("retweeted_by") > clock()
    clock.advance(15 * 60 + 1)
    assert x_client.rate_limits.can_call("retweeted_by")
    assert await x_client.retweeted_by(post) == []
    assert fake_x.request_counts["retweeted_by"] == 3


async def test_a_429_raises_rate_limited_and_closes_the_window(
    fake_x: FakeX, x_client: XClient, clock: FakeClock
) -> None:
    user = fake_x.add_user("someone")
    fake_x.set_limit("user_by_id", 1)
    other_process = XClient(fake_x.base_url, fake_x.bearer_token, clock=clock)
    try:
        await other_process.user_by_id(user)
    finally:
        await other_process.aclose()

    with pytest.raises(RateLimited) as raised:
        await x_client.user_by_id(user)

    assert fake_x.request_counts["user_by_id"] == 2, "one success elsewhere, one 429 here, no retry"
    assert raised.value.reset_at == x_client.rate_limits.reset_at("user_by_id")
    assert not x_client.rate_limits.can_call("user_by_id")


async def test_two_server_errors_then_success(fake_x: FakeX, x_client: XClient) -> None:
    post = fake_x.add_tweet(fake_x.add_user("author"))
    fake_x.inject_fault("tweets_lookup", "500", times=2)

    result = await x_client.lookup_tweets([post])

    assert set(result.found) == {post}
    assert fake_x.request_counts["tweets_lookup"] == 3
    assert x_client.usage.requests["tweets_lookup"] == 3, "failed requests are counted too"


@pytest.mark.parametrize("fault", ["500", "malformed"])
async def test_persistent_faults_give_up_after_three_tries(fake_x: FakeX, x_client: XClient, fault: Any) -> None:
    post = fake_x.add_tweet(fake_x.add_user("author"))
    fake_x.inject_fault("quote_tweets", fault, times=5)

    with pytest.raises(XUnavailable, match="quote_tweets after 3 tries"):
        await x_client.quote_tweets(post)

    assert fake_x.request_counts["quote_tweets"] == 3


async def test_one_malformed_body_is_retried(fake_x: FakeX, x_client: XClient) -> None:
    user = fake_x.add_user("someone")
    fake_x.inject_fault("user_by_username", "malformed")
    found = await x_client.user_by_username("someone")
    assert found is not None
    assert found.id == user


async def test_a_deeply_nested_body_is_a_typed_error_like_any_unreadable_one(fake_x: FakeX, x_client: XClient) -> None:
    """json.loads gives up on 100,000 levels with RecursionError: that must not escape the adapter."""
    post = fake_x.add_tweet(fake_x.add_user("author"))
    fake_x.inject_fault("tweets_lookup", "nested", times=3)

    with pytest.raises(XUnavailable, match="tweets_lookup after 3 tries: the body is nested too deeply"):
        await x_client.lookup_tweets([post])

    fake_x.inject_fault("tweets_lookup", "nested")
    assert set((await x_client.lookup_tweets([post])).found) == {post}, "one such body is retried"


async def test_a_transient_problem_in_errors_is_not_a_deleted_post(fake_x: FakeX, x_client: XClient) -> None:
    author = fake_x.add_user("author")
    post, doomed = fake_x.add_tweet(author), fake_x.add_tweet(author)
    fake_x.delete_tweet(doomed)
    fake_x.inject_problem(post, {"title": "Service Unavailable", "type": "https://api.x.com/2/problems/operational"})

    result = await x_client.lookup_tweets([post, doomed])

    assert result.gone == {doomed}
    assert result.problems == {post: "Service Unavailable"}
    assert set((await x_client.lookup_tweets([post])).found) == {post}, "next time X answers normally"


async def test_timeouts_give_up_after_three_tries(fake_x: FakeX, clock: FakeClock) -> None:
    post = fake_x.add_tweet(fake_x.add_user("author"))
    fake_x.inject_fault("search_recent", "timeout", times=3)
    impatient = XClient(fake_x.base_url, fake_x.bearer_token, timeout=0.15, clock=clock, retry_delays=RETRY_DELAYS)
    try:
        with pytest.raises(XUnavailable, match="search_recent"):
            await impatient.search_replies([post])
    finally:
        await impatient.aclose()
    assert fake_x.request_counts["search_recent"] == 3


async def test_a_wrong_app_token_names_the_setting_to_fix(fake_x: FakeX, clock: FakeClock) -> None:
    wrong = XClient(fake_x.base_url, "not-the-token", clock=clock, retry_delays=RETRY_DELAYS)
    try:
        with pytest.raises(XAuthError, match="TWITTER_BEARER_TOKEN"):
            await wrong.user_by_username("anyone")
    finally:
        await wrong.aclose()
    assert fake_x.request_counts["user_by_username"] == 1


Call = Callable[[XClient], Awaitable[object]]
BAD_CALLS: dict[str, Call] = {
    "non-numeric id": lambda x: x.lookup_tweets(["12", "abc"]),
    "negative id": lambda x: x.lookup_tweets(["-5"]),
    "too many ids": lambda x: x.lookup_tweets([str(i) for i in range(1, 102)]),
    "empty id list": lambda x: x.lookup_tweets([]),
    "one string instead of a list": lambda x: x.lookup_tweets("123"),
    "bad reposts id": lambda x: x.retweeted_by("1; DROP"),
    "bad quotes id": lambda x: x.quote_tweets(""),
    "bad likes id": lambda x: x.liking_users("x", "token"),
    "empty user token": lambda x: x.liking_users("1", ""),
    "bad conversation id": lambda x: x.search_replies(["1", "two"]),
    "bad since_id": lambda x: x.search_replies(["1"], since_id="latest"),
    "handle too long": lambda x: x.user_by_username("a" * 16),
    "handle with a dash": lambda x: x.user_by_username("bad-name"),
    "empty handle": lambda x: x.user_by_username(""),
    "bad user id": lambda x: x.user_by_id("12a"),
    "bad proof handle": lambda x: x.find_post_with_text("no spaces", "code"),
    "proof text with quotes": lambda x: x.find_post_with_text("member", 'say "hi"'),
    "empty proof text": lambda x: x.find_post_with_text("member", "  "),
    "proof text too long": lambda x: x.find_post_with_text("member", "x" * 600),
}


@pytest.mark.parametrize("call", BAD_CALLS.values(), ids=BAD_CALLS.keys())
async def test_bad_input_is_refused_before_any_request(fake_x: FakeX, x_client: XClient, call: Call) -> None:
    with pytest.raises(InvalidInput):
        await call(x_client)
    assert not fake_x.request_counts
    assert x_client.usage.total_requests == 0


async def test_a_spent_user_token_budget_leaves_other_tokens_and_the_app_alone(
    fake_x: FakeX, x_client: XClient
) -> None:
    fake_x.set_limit("liking_users", 1)
    fan = fake_x.add_user("fan")
    posts = {}
    for name in ("alice", "carol"):
        author = fake_x.add_user(name)
        posts[name] = (fake_x.add_tweet(author), fake_x.grant_user_token(author))
        fake_x.like(fan, posts[name][0])
    alice_post, alice_token = posts["alice"]
    await x_client.liking_users(alice_post, alice_token)
    with pytest.raises(RateLimited):
        await x_client.liking_users(alice_post, alice_token)
    assert fake_x.request_counts["liking_users"] == 1  # known spent: no request made
    carol_post, carol_token = posts["carol"]
    assert [user.id for user in await x_client.liking_users(carol_post, carol_token)] == [fan]
    assert x_client.rate_limits.snapshot() == {}  # user budgets are not the app's


async def test_a_429_on_a_user_token_reports_that_tokens_reset(
    fake_x: FakeX, x_client: XClient, clock: FakeClock
) -> None:
    fake_x.set_limit("liking_users", 1)
    author = fake_x.add_user("author")
    post, token = fake_x.add_tweet(author), fake_x.grant_user_token(author)
    other_process = XClient(fake_x.base_url, fake_x.bearer_token, clock=clock)
    try:
        await other_process.liking_users(post, token)
    finally:
        await other_process.aclose()
    clock.advance(60)

    with pytest.raises(RateLimited) as raised:
        await x_client.liking_users(post, token)

    assert fake_x.request_counts["liking_users"] == 2, "one success elsewhere, one 429 here"
    assert raised.value.reset_at == x_client.rate_limits.reset_at(budget_key("liking_users", token))
