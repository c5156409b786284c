"""The fake Threads' contract, read over raw HTTP: Meta's list, insights and error shapes, paging, the rate limit
with its usage headers, faults, and the browser side of OAuth."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

import aiohttp
import pytest

from sandbox.fake_threads import FakeThreads
from tests.conftest import FakeClock
from tests.sandbox.conftest import Answer

ALICE, BOB = "7001", "7002"
FIELDS = "id,media_product_type,media_type,permalink,owner,username,text,timestamp,shortcode,is_quote_post,is_reply"
Get = Callable[..., Awaitable[Answer]]


@pytest.fixture
async def threads_get(fake_threads: FakeThreads) -> AsyncIterator[Get]:
    """`await threads_get(path_or_url, **params)`: the fake's answer, redirects not followed."""
    fake_threads.add_user(ALICE, "Alice.T")
    fake_threads.add_user(BOB, "bob.t")
    async with aiohttp.ClientSession() as session:

        async def get(path: str, **params: str) -> Answer:
            url = path if path.startswith("http") else fake_threads.base_url + path
            async with session.get(url, params=params, allow_redirects=False) as response:
                text = await response.text()
                try:
                    body: Any = json.loads(text)
                except ValueError:
                    body = text
                return Answer(response.status, dict(response.headers), body)

        yield get


def _graph_error(answer: Answer) -> tuple[int, int | None]:
    error = answer.body["error"]
    assert error["type"] == "OAuthException"
    assert error["message"]
    assert error["fbtrace_id"]
    return error["code"], error.get("error_subcode")


async def test_lists_page_with_cursors_and_an_absolute_next_url(fake_threads: FakeThreads, threads_get: Get) -> None:
    token = fake_threads.grant_token(ALICE)
    made = [fake_threads.add_post(ALICE, created_at=1_795_000_000.0 + n) for n in range(30)]
    first = await threads_get("/v1.0/me/threads", access_token=token, fields="id,shortcode")
    assert first.status == 200
    assert [item["id"] for item in first.body["data"]] == [post.id for post in made[::-1][:25]]  # 25 by default
    assert set(first.body["paging"]["cursors"]) == {"before", "after"}
    second = await threads_get(first.body["paging"]["next"])
    assert [item["id"] for item in second.body["data"]] == [post.id for post in made[::-1][25:]]
    assert "next" not in second.body["paging"]  # the last page
    by_cursor = await threads_get(
        "/v1.0/me/threads", access_token=token, after=first.body["paging"]["cursors"]["after"]
    )
    assert [item["id"] for item in by_cursor.body["data"]] == [item["id"] for item in second.body["data"]]
    capped = await threads_get("/v1.0/me/threads", access_token=token, limit="500")
    assert len(capped.body["data"]) == 30
    since = await threads_get("/v1.0/me/threads", access_token=token, since=str(1_795_000_028))
    assert [item["id"] for item in since.body["data"]] == [made[29].id, made[28].id]


async def test_a_media_object_has_metas_fields(fake_threads: FakeThreads, threads_get: Get) -> None:
    post = fake_threads.add_post(ALICE, text="gm", created_at=1_795_000_000.0, media_id="1799", shortcode="C3xYzAb")
    token = fake_threads.grant_token(ALICE)
    answer = await threads_get("/v1.0/1799", access_token=token, fields=FIELDS)
    assert answer.body == {
        "id": "1799", "media_product_type": "THREADS", "media_type": "TEXT_POST",
        "permalink": "https://www.threads.net/@alice.t/post/C3xYzAb", "owner": {"id": ALICE}, "username": "alice.t",
        "text": "gm", "timestamp": "2026-11-18T11:06:40+0000", "shortcode": "C3xYzAb", "is_quote_post": False,
        "is_reply": False,
    }  # fmt: skip
    assert post.permalink == answer.body["permalink"]
    assert (await threads_get("/v1.0/1799", access_token=token)).body == {"id": "1799"}  # only what is asked
    assert (await threads_get("/v1.0/1799", access_token=token, fields="id,text")).body == {"id": "1799", "text": "gm"}
    with pytest.raises(ValueError, match="taken"):
        fake_threads.add_post(ALICE, media_id="1799")


async def test_insights_answer_each_asked_metric_and_leave_a_dropped_one_out(
    fake_threads: FakeThreads, threads_get: Get
) -> None:
    post = fake_threads.add_post(ALICE, views=10, likes=2, replies=3)
    fake_threads.add_reply(post.id, "bob.t")
    fake_threads.drop_metric(post.id, "shares")
    answer = await threads_get(
        f"/v1.0/{post.id}/insights", access_token=fake_threads.grant_token(ALICE), metric="views,replies,shares"
    )
    assert answer.body["data"] == [
        {"name": "views", "period": "lifetime", "values": [{"value": 10}], "title": "Views",
         "description": "The number of views of the post.", "id": f"{post.id}/insights/views/lifetime"},
        {"name": "replies", "period": "lifetime", "values": [{"value": 4}], "title": "Replies",
         "description": "The number of replies of the post.", "id": f"{post.id}/insights/replies/lifetime"},
    ]  # fmt: skip
    with pytest.raises(ValueError, match="listed replies"):
        fake_threads.set_insights(post.id, replies=0)


async def test_replies_are_newest_first_unless_reversed_and_a_hidden_one_has_no_username(
    fake_threads: FakeThreads, threads_get: Get
) -> None:
    post = fake_threads.add_post(ALICE)
    older = fake_threads.add_reply(post.id, "Bob.T", text="hi", created_at=100.0)
    hidden = fake_threads.add_reply(post.id, "", created_at=200.0)
    token = fake_threads.grant_token(ALICE)
    fields = "id,text,username,timestamp"
    newest_first = await threads_get(f"/v1.0/{post.id}/replies", access_token=token, fields=fields)
    assert newest_first.body["data"] == [
        {"id": hidden, "text": "", "timestamp": "1970-01-01T00:03:20+0000"},
        {"id": older, "text": "hi", "timestamp": "1970-01-01T00:01:40+0000", "username": "bob.t"},
    ]
    oldest_first = await threads_get(f"/v1.0/{post.id}/replies", access_token=token, reverse="false", fields=fields)
    assert [item["id"] for item in oldest_first.body["data"]] == [older, hidden]


async def test_tokens_and_objects_are_refused_as_meta_does(fake_threads: FakeThreads, threads_get: Get) -> None:
    token = fake_threads.grant_token(ALICE)
    theirs, gone = fake_threads.add_post(BOB), fake_threads.add_post(ALICE)
    fake_threads.delete_post(gone.id)
    for media_id in (theirs.id, gone.id, "404404"):
        answer = await threads_get(f"/v1.0/{media_id}/insights", access_token=token, metric="views")
        assert (answer.status, _graph_error(answer)) == (400, (100, 33))
    fake_threads.expire_token(token)
    for bad in (token, "not-a-token"):
        answer = await threads_get("/v1.0/me", access_token=bad)
        assert (answer.status, _graph_error(answer)) == (400, (190, 463))


async def test_the_rate_limit_is_code_4_with_usage_headers_for_an_hour(
    fake_threads: FakeThreads, threads_get: Get, clock: FakeClock
) -> None:
    token = fake_threads.grant_token(ALICE)
    fake_threads.set_limit(2)
    assert [(await threads_get("/v1.0/me", access_token=token)).status for _ in range(2)] == [200, 200]
    clock.advance(30 * 60)
    limited = await threads_get("/v1.0/me", access_token=fake_threads.grant_token(BOB))  # the app's limit
    assert _graph_error(limited) == (4, None)
    assert json.loads(limited.headers["x-app-usage"])["call_count"] == 100
    business = json.loads(limited.headers["x-business-use-case-usage"])
    assert business[fake_threads.app_id][0]["estimated_time_to_regain_access"] == 30
    clock.advance(30 * 60)
    assert (await threads_get("/v1.0/me", access_token=token)).status == 200


async def test_faults_hit_the_next_request_only(fake_threads: FakeThreads, threads_get: Get) -> None:
    token = fake_threads.grant_token(ALICE)
    fake_threads.fail_next("500")
    fake_threads.fail_next("malformed")
    broken = await threads_get("/v1.0/me", access_token=token)
    assert (broken.status, _graph_error(broken)) == (500, (1, None))
    malformed = await threads_get("/oauth/access_token", grant_type="client_credentials")
    assert (malformed.status, malformed.body) == (200, "<html>not json")
    assert (await threads_get("/v1.0/me", access_token=token)).body == {"id": ALICE, "username": "alice.t"}
    with pytest.raises(ValueError, match="unknown fault"):
        fake_threads.fail_next("timeout")  # type: ignore[arg-type]


async def test_the_authorize_page_redirects_for_the_chosen_account_or_a_denial(
    fake_threads: FakeThreads, threads_get: Get
) -> None:
    query = {
        "client_id": fake_threads.app_id, "redirect_uri": "https://panel.test/cb", "scope": "threads_basic",
        "response_type": "code", "state": "s1",
    }  # fmt: skip
    fake_threads.authorize_as(BOB)
    approved = await threads_get("/oauth/authorize", **query)
    assert approved.status == 302
    callback = urlsplit(approved.headers["Location"])
    assert (callback.netloc, callback.path, callback.fragment) == ("panel.test", "/cb", "_")  # Meta appends #_
    assert parse_qs(callback.query)["state"] == ["s1"]
    fake_threads.deny_next()
    denied = parse_qs(urlsplit((await threads_get("/oauth/authorize", **query)).headers["Location"]).query)
    assert (denied["error"], denied["state"]) == (["access_denied"], ["s1"])
    other_app = await threads_get("/oauth/authorize", **{**query, "client_id": "123"})
    assert other_app.status == 400


async def test_the_app_token_needs_the_right_secret(fake_threads: FakeThreads, threads_get: Get) -> None:
    grant = {"client_id": fake_threads.app_id, "grant_type": "client_credentials"}
    right = await threads_get("/oauth/access_token", **grant, client_secret=fake_threads.app_secret)
    assert right.body["access_token"].startswith(f"{fake_threads.app_id}|")
    wrong = await threads_get("/oauth/access_token", **grant, client_secret="nope")
    assert (wrong.status, _graph_error(wrong)) == (400, (1, None))
    assert fake_threads.oauth_requests == {"client_credentials": 2}
