"""Contract: the fake X answers in the shapes X API v2 defines (X_API.md; spec v2.167 response schemas).

Models forbid unknown keys, so the fake cannot drift into something X never sends.
"""

from __future__ import annotations

from typing import Annotated, Literal, TypeVar

import pytest
from pydantic import BaseModel, ConfigDict, StringConstraints

from sandbox.fake_x import FakeX
from tests.sandbox.conftest import Answer, Get

Id = Annotated[str, StringConstraints(pattern=r"^[0-9]{1,19}$")]
Time = Annotated[str, StringConstraints(pattern=r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")]
Token = Annotated[str, StringConstraints(min_length=16)]
PROBLEMS = "https://api.x.com/2/problems/"
ALL_TWEET_FIELDS = "author_id,conversation_id,created_at,in_reply_to_user_id,public_metrics,referenced_tweets"
ALL_USER_FIELDS = "created_at,description,public_metrics"


class Shape(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


S = TypeVar("S", bound=Shape)


class PostMetrics(Shape):
    repost_count: int
    reply_count: int
    like_count: int
    quote_count: int
    bookmark_count: int
    impression_count: int
    retweet_count: int | None = None


class Reference(Shape):
    type: Literal["retweeted", "quoted", "replied_to"]
    id: Id


class Post(Shape):
    id: Id
    text: str
    edit_history_tweet_ids: list[Id]
    author_id: Id | None = None
    conversation_id: Id | None = None
    created_at: Time | None = None
    in_reply_to_user_id: Id | None = None
    public_metrics: PostMetrics | None = None
    referenced_tweets: list[Reference] | None = None


class UserMetrics(Shape):
    """User.public_metrics; the current spec says post_count, older answers tweet_count."""

    followers_count: int
    following_count: int
    listed_count: int
    post_count: int | None = None
    tweet_count: int | None = None
    like_count: int | None = None


class User(Shape):
    id: Id
    name: str
    username: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_]{1,15}$")]
    created_at: Time | None = None
    description: str | None = None
    public_metrics: UserMetrics | None = None


class Problem(Shape):
    """X's problem object, in both of its places: an entry of `errors` and an HTTP error's body.

    The spec requires only type and title. An `errors` entry of type resource-not-found also names
    the resource; an error body has its status.
    """

    type: str
    title: str
    detail: str | None = None
    status: int | None = None
    resource_type: Literal["tweet", "user"] | None = None
    parameter: str | None = None
    resource_id: str | None = None
    value: str | None = None


def _not_found(problem: Problem, resource_id: str) -> None:
    """What makes a resource-not-found entry: the adapter reads only this type as "gone"."""
    assert problem.type == PROBLEMS + "resource-not-found"
    assert problem.detail
    assert problem.resource_type
    assert problem.resource_id == resource_id
    assert problem.status is None


class Includes(Shape):
    users: list[User]


class ListMeta(Shape):
    result_count: int
    next_token: Token | None = None


class SearchMeta(ListMeta):
    newest_id: Id | None = None
    oldest_id: Id | None = None


class PostsAnswer(Shape):
    data: list[Post] | None = None
    includes: Includes | None = None
    errors: list[Problem] | None = None


class PostListAnswer(PostsAnswer):
    meta: ListMeta


class SearchAnswer(PostsAnswer):
    meta: SearchMeta


class UserListAnswer(Shape):
    data: list[User] | None = None
    errors: list[Problem] | None = None
    meta: ListMeta


class UserAnswer(Shape):
    data: User | None = None
    errors: list[Problem] | None = None


class InvalidRequest(Shape):
    class Detail(Shape):
        parameters: dict[str, list[str]]
        message: str

    errors: list[Detail]
    title: str
    detail: str
    type: Literal["https://api.x.com/2/problems/invalid-request"]


def _check(answer: Answer, shape: type[S], status: int = 200) -> S:
    """Status, rate-limit headers and body shape; `data` is absent rather than empty, and counts match."""
    assert answer.status == status, answer.body
    for header in ("x-rate-limit-limit", "x-rate-limit-remaining", "x-rate-limit-reset"):
        assert answer.headers[header].isdigit(), header
    assert answer.headers["Content-Type"].startswith("application/json")
    parsed = shape.model_validate(answer.body)
    if isinstance(parsed, Problem):
        assert parsed.status == status, "an error body repeats its HTTP status"
        assert parsed.detail
    data = answer.body.get("data")
    assert data != [], "X omits `data` when there is none"
    if "meta" in answer.body:
        assert answer.body["meta"]["result_count"] == len(data or [])
    return parsed


async def _posts_with_authors(x_get: Get, path: str, **params: str) -> Answer:
    """Posts with every field the adapter asks for and their authors expanded."""
    return await x_get(path, expansions="author_id", **{"tweet.fields": ALL_TWEET_FIELDS}, **params)


@pytest.fixture
def world(fake_x: FakeX) -> dict[str, str]:
    author, fan = fake_x.add_user("author", description="bio"), fake_x.add_user("fan")
    post = fake_x.add_tweet(author, "root")
    fake_x.reply(fan, post, "reply")
    fake_x.quote(fan, post, "quote")
    for name in ("a", "b", "c"):
        fan_id = fake_x.add_user(f"fan_{name}")
        fake_x.retweet(fan_id, post)
        fake_x.like(fan_id, post)
    gone = fake_x.add_tweet(author)
    fake_x.delete_tweet(gone)
    return {"author": author, "post": post, "gone": gone, "token": fake_x.grant_user_token(author)}


async def test_tweet_lookup_with_a_deleted_id(x_get: Get, world: dict[str, str]) -> None:
    answer = await _posts_with_authors(x_get, "/2/tweets", ids=f"{world['post']},{world['gone']}")
    parsed = _check(answer, PostsAnswer)
    assert parsed.data
    assert parsed.data[0].public_metrics
    assert parsed.data[0].created_at
    assert parsed.includes
    assert parsed.includes.users[0].id == world["author"]
    assert parsed.errors
    _not_found(parsed.errors[0], world["gone"])
    assert "meta" not in answer.body


async def test_a_problem_other_than_not_found_in_a_lookup(x_get: Get, fake_x: FakeX, world: dict[str, str]) -> None:
    """What the adapter must not read as a deleted post (the fake injects it, as X sends one when it falters)."""
    operational = {"title": "Service Unavailable", "type": PROBLEMS + "operational"}
    fake_x.inject_problem(world["post"], operational)
    parsed = _check(await x_get("/2/tweets", ids=world["post"]), PostsAnswer)
    assert parsed.data is None
    assert parsed.errors == [Problem.model_validate({"resource_id": world["post"], **operational})]
    assert _check(await x_get("/2/tweets", ids=world["post"]), PostsAnswer).data, "once only"


async def test_only_requested_fields_are_sent(x_get: Get, world: dict[str, str]) -> None:
    answer = await x_get("/2/tweets", ids=world["post"])
    assert set(answer.body["data"][0]) == {"id", "text", "edit_history_tweet_ids"}
    assert "includes" not in answer.body


@pytest.mark.parametrize("endpoint", ["retweeted_by", "liking_users"])
async def test_user_lists(x_get: Get, world: dict[str, str], endpoint: str) -> None:
    first = await x_get(
        f"/2/tweets/{world['post']}/{endpoint}", world["token"], max_results="2", **{"user.fields": ALL_USER_FIELDS}
    )
    parsed = _check(first, UserListAnswer)
    assert parsed.meta.next_token
    last = await x_get(f"/2/tweets/{world['post']}/{endpoint}", world["token"], pagination_token=parsed.meta.next_token)
    assert _check(last, UserListAnswer).meta.next_token is None


async def test_empty_list_and_missing_post(x_get: Get, fake_x: FakeX, world: dict[str, str]) -> None:
    lonely = fake_x.add_tweet(world["author"])
    _check(await x_get(f"/2/tweets/{lonely}/retweeted_by"), UserListAnswer)
    missing = await x_get(f"/2/tweets/{world['gone']}/retweeted_by")
    assert missing.status == 200
    _not_found(Problem.model_validate(missing.body["errors"][0]), world["gone"])


async def test_quote_tweets(x_get: Get, world: dict[str, str]) -> None:
    answer = await _posts_with_authors(x_get, f"/2/tweets/{world['post']}/quote_tweets", exclude="retweets,replies")
    assert len(_check(answer, PostListAnswer).data or []) == 1


async def test_search(x_get: Get, world: dict[str, str]) -> None:
    query = f"conversation_id:{world['post']} OR conversation_id:1"
    answer = await _posts_with_authors(x_get, "/2/tweets/search/recent", query=query)
    parsed = _check(answer, SearchAnswer)
    assert parsed.meta.newest_id
    assert parsed.meta.oldest_id
    assert {post.text for post in parsed.data or []} == {"root", "reply"}


async def test_user_lookups(x_get: Get, world: dict[str, str]) -> None:
    by_name = await x_get("/2/users/by/username/AUTHOR", **{"user.fields": ALL_USER_FIELDS})
    by_id = await x_get(f"/2/users/{world['author']}", **{"user.fields": ALL_USER_FIELDS})
    assert _check(by_name, UserAnswer) == _check(by_id, UserAnswer)
    unknown = _check(await x_get("/2/users/by/username/nobody"), UserAnswer)
    assert unknown.data is None
    assert unknown.errors
    assert unknown.errors[0].parameter == "username"


async def test_error_answers(x_get: Get, fake_x: FakeX, world: dict[str, str]) -> None:
    _check(await x_get("/2/tweets/search/recent", query="x" * 513), InvalidRequest, 400)
    _check(await x_get("/2/tweets", ids="abc"), InvalidRequest, 400)
    _check(await x_get(f"/2/tweets/{world['post']}/retweeted_by", pagination_token="garbage"), InvalidRequest, 400)
    forbidden = _check(await x_get(f"/2/tweets/{world['post']}/liking_users"), Problem, 403)
    assert forbidden.type == PROBLEMS + "unsupported-authentication"
    fake_x.set_limit("user_by_id", 0)
    _check(await x_get(f"/2/users/{world['author']}"), Problem, 429)
    fake_x.inject_fault("tweets_lookup", "500")
    _check(await x_get("/2/tweets", ids=world["post"]), Problem, 500)
    unauthorized = await x_get("/2/tweets", "wrong-token", ids=world["post"])
    assert unauthorized.status == 401
    assert Problem.model_validate(unauthorized.body).status == 401


async def test_search_for_reposts_of_an_author(x_get: Get, world: dict[str, str]) -> None:
    answer = await x_get(
        "/2/tweets/search/recent",
        query=f"retweets_of:{world['author']} OR retweets_of:1",
        **{"tweet.fields": ALL_TWEET_FIELDS},
    )
    reposts = _check(answer, SearchAnswer).data or []
    assert len(reposts) == 3
    for repost in reposts:
        assert repost.text == "RT @author: root"
        assert repost.referenced_tweets == [Reference(type="retweeted", id=world["post"])]
        assert repost.conversation_id == repost.id  # a repost is not part of the post's conversation
