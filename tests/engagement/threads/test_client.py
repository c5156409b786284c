"""The Threads client against the fake Threads: Graph's shapes read, pages followed, every error mapped."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from pydantic import SecretStr

from engagement.settings import load_settings
from engagement.threads import (
    ThreadsAuthError,
    ThreadsPost,
    ThreadsPostGone,
    ThreadsRateLimited,
    ThreadsUnavailable,
)
from engagement.threads.client import MAX_PAGES, ThreadsClient, parse_time
from sandbox.fake_threads import FakeThreads
from tests.conftest import FakeClock

ALICE, BOB = "7001", "7002"


@dataclass(frozen=True)
class Api:
    fake: FakeThreads
    client: ThreadsClient
    token: str
    clock: FakeClock


@pytest.fixture
async def api(clock: FakeClock, fake_threads: FakeThreads) -> AsyncIterator[Api]:
    fake = fake_threads
    fake.add_user(ALICE, "Alice.T")
    fake.add_user(BOB, "bob.t")
    settings = load_settings(
        _env_file=None,
        threads_app_id=fake.app_id,
        threads_app_secret=fake.app_secret,
        threads_api_base_url=fake.base_url,
    )
    client = ThreadsClient(settings, clock=clock)
    yield Api(fake, client, fake.grant_token(ALICE), clock)
    await client.aclose()


def _since(api: Api, hours: float) -> datetime:
    return datetime.fromtimestamp(api.clock() - hours * 3600, UTC)


async def test_me_names_the_tokens_owner(api: Api) -> None:
    account = await api.client.me(api.token)
    assert (account.user_id, account.username) == (ALICE, "alice.t")


async def test_own_post_is_found_by_its_code_across_pages_and_only_inside_the_window(api: Api) -> None:
    wanted = api.fake.add_post(ALICE, text="gm", created_at=api.clock() - 7200)
    for minutes in range(150):  # newer posts push it onto the second page of 100
        api.fake.add_post(ALICE, created_at=api.clock() - minutes * 10)
    post = await api.client.own_post(api.token, wanted.shortcode, _since(api, 24))
    assert post is not None
    assert (post.id, post.owner_id, post.username, post.text, post.shortcode) == (
        wanted.id, ALICE, "alice.t", "gm", wanted.shortcode,
    )  # fmt: skip
    assert post.created_at == datetime.fromtimestamp(int(wanted.created_at), UTC)
    assert api.fake.request_counts["threads"] == 2
    assert await api.client.own_post(api.token, wanted.shortcode, _since(api, 1)) is None  # older than the window


async def test_someone_elses_code_is_not_an_own_post(api: Api) -> None:
    theirs = api.fake.add_post(BOB, created_at=api.clock() - 60)
    assert await api.client.own_post(api.token, theirs.shortcode, _since(api, 24)) is None


async def test_insights_read_every_metric_and_name_a_missing_one(api: Api) -> None:
    post = api.fake.add_post(ALICE, views=900, likes=12, reposts=3, quotes=2, shares=5)
    api.fake.add_reply(post.id, "bob.t")
    counters = await api.client.insights(api.token, post.id)
    assert (counters.views, counters.likes, counters.replies, counters.reposts, counters.quotes, counters.shares) == (
        900, 12, 1, 3, 2, 5,
    )  # fmt: skip
    assert counters.missing == ()
    api.fake.drop_metric(post.id, "views")
    dropped = await api.client.insights(api.token, post.id)
    assert (dropped.views, dropped.likes, dropped.missing) == (0, 12, ("views",))


async def test_replies_come_newest_first_down_to_the_newest_seen(api: Api) -> None:
    post = api.fake.add_post(ALICE)
    first = [api.fake.add_reply(post.id, f"fan{n}", created_at=api.clock() + n) for n in range(130)]
    replies, newest = await api.client.replies(api.token, post.id, None)
    assert [reply.id for reply in replies] == first[::-1]  # both pages
    assert newest == first[-1]
    later = [api.fake.add_reply(post.id, "late.fan", created_at=api.clock() + 500 + n) for n in range(2)]
    replies, newest_now = await api.client.replies(api.token, post.id, newest)
    assert [reply.id for reply in replies] == later[::-1]
    assert {reply.username for reply in replies} == {"late.fan"}
    assert newest_now == later[-1]
    assert await api.client.replies(api.token, post.id, newest_now) == ([], newest_now)


async def test_a_deleted_post_or_another_owners_post_is_gone(api: Api) -> None:
    mine, theirs = api.fake.add_post(ALICE), api.fake.add_post(BOB)
    api.fake.delete_post(mine.id)
    for media_id in (mine.id, theirs.id, "123456789"):
        with pytest.raises(ThreadsPostGone):
            await api.client.insights(api.token, media_id)
    with pytest.raises(ThreadsPostGone):
        await api.client.post(api.token, mine.id)


async def test_an_expired_token_is_an_auth_error(api: Api) -> None:
    api.fake.expire_token(api.token)
    with pytest.raises(ThreadsAuthError):
        await api.client.me(api.token)


async def test_the_rate_limit_is_its_own_error_and_says_when_it_ends(api: Api) -> None:
    api.fake.set_limit(1)
    await api.client.me(api.token)
    api.clock.advance(600)
    with pytest.raises(ThreadsRateLimited) as raised:
        await api.client.me(api.token)
    assert raised.value.reset_at == api.clock() + 50 * 60  # the fake's hour began at the first call
    api.clock.advance(50 * 60)
    assert (await api.client.me(api.token)).user_id == ALICE


async def test_a_post_is_read_by_its_id(api: Api) -> None:
    made = api.fake.add_post(ALICE, text="hello", created_at=1_795_000_123.0, shortcode="C3xYzAbCdEf")
    post = await api.client.post(api.token, made.id)
    assert post == ThreadsPost(
        made.id, ALICE, "alice.t", "https://www.threads.net/@alice.t/post/C3xYzAbCdEf", "C3xYzAbCdEf", "hello",
        datetime.fromtimestamp(1_795_000_123, UTC),
    )  # fmt: skip


async def test_a_reply_is_not_an_own_post(api: Api) -> None:
    reply = api.fake.add_post(ALICE, created_at=api.clock() - 60)
    reply.is_reply = True
    assert await api.client.own_post(api.token, reply.shortcode, _since(api, 24)) is None


async def test_replies_without_an_author_are_skipped_but_still_move_the_mark(api: Api) -> None:
    post = api.fake.add_post(ALICE)
    named = api.fake.add_reply(post.id, "Fan.One", text="nice", created_at=api.clock() + 1)
    hidden = api.fake.add_reply(post.id, "", created_at=api.clock() + 2)
    replies, newest = await api.client.replies(api.token, post.id, None)
    assert [(reply.id, reply.username, reply.text) for reply in replies] == [(named, "fan.one", "nice")]
    assert newest == hidden


async def test_replies_stop_at_the_page_cap(api: Api) -> None:
    post = api.fake.add_post(ALICE)
    for n in range(MAX_PAGES * 100 + 5):
        api.fake.add_reply(post.id, "fan", created_at=api.clock() + n)
    replies, _ = await api.client.replies(api.token, post.id, None)
    assert len(replies) == MAX_PAGES * 100
    assert api.fake.request_counts["replies"] == MAX_PAGES


async def test_an_unreachable_threads_is_unavailable(api: Api) -> None:
    settings = load_settings(_env_file=None, threads_api_base_url=api.fake.base_url)
    await api.fake.close()
    client = ThreadsClient(settings)
    try:
        with pytest.raises(ThreadsUnavailable, match="could not be reached"):
            await client.me(api.token)
    finally:
        await client.aclose()


def test_graph_times_are_aware() -> None:
    assert parse_time("2026-12-01T10:00:00+0000") == datetime(2026, 12, 1, 10, tzinfo=UTC)
    with pytest.raises(ThreadsUnavailable):
        parse_time("yesterday")


@pytest.mark.parametrize("fault", ["500", "malformed"])
async def test_a_broken_answer_is_unavailable_and_leaks_nothing(api: Api, fault: str) -> None:
    api.fake.fail_next(fault)  # type: ignore[arg-type]
    with pytest.raises(ThreadsUnavailable) as raised:
        await api.client.me(api.token)
    assert api.token not in str(raised.value)
    assert (await api.client.me(api.token)).user_id == ALICE  # the next call is fine


async def test_the_app_check_proves_the_id_and_secret(api: Api) -> None:
    await api.client.app_check()
    wrong = load_settings(
        _env_file=None,
        threads_app_id=api.fake.app_id,
        threads_app_secret=SecretStr("not-the-secret"),
        threads_api_base_url=api.fake.base_url,
    )
    client = ThreadsClient(wrong)
    try:
        with pytest.raises(ThreadsAuthError, match="THREADS_APP_SECRET"):
            await client.app_check()
    finally:
        await client.aclose()
