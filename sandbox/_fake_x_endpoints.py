"""The fake X's endpoint handlers: validate like X, answer in X's response shapes, page newest first."""

from __future__ import annotations

import base64
import binascii
import re
import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeVar

from sandbox._fake_x_query import QueryError, compile_query
from sandbox._fake_x_world import FakePost, FakeUser, Json, World, posted_at

PROBLEMS = "https://api.x.com/2/problems/"
MAX_QUERY_CHARS = 512
SEARCH_WINDOW = timedelta(days=7)
_USERNAME = re.compile(r"[A-Za-z0-9_]{1,15}")
_ID = re.compile(r"[0-9]{1,19}")

T = TypeVar("T")
Keyed = Sequence[tuple[tuple[int, ...], T]]


@dataclass(frozen=True)
class ApiRequest:
    params: Mapping[str, str]
    path: Mapping[str, str]
    caller: str | None  # the user id behind a user token; None for the app's bearer token
    now: datetime


class Problem(Exception):
    """An answer that ends a handler early: HTTP status and body (a missing post is 200 with `errors`)."""

    def __init__(self, status: int, body: Json) -> None:
        super().__init__(status, body)
        self.status = status
        self.body = body


def invalid(parameter: str, value: str, message: str) -> Problem:
    return Problem(
        400,
        {
            "errors": [{"parameters": {parameter: [value]}, "message": message}],
            "title": "Invalid Request",
            "detail": "One or more parameters to your request was invalid.",
            "type": PROBLEMS + "invalid-request",
        },
    )


def not_found(resource_type: str, parameter: str, value: str) -> Json:
    return {
        "value": value,
        "detail": f"Could not find {resource_type} with {parameter}: [{value}].",
        "title": "Not Found Error",
        "resource_type": resource_type,
        "parameter": parameter,
        "resource_id": value,
        "type": PROBLEMS + "resource-not-found",
    }


APP_ONLY_FORBIDDEN = Problem(
    403,
    {
        "title": "Unsupported Authentication",
        "detail": "Authenticating with OAuth 2.0 Application-Only is forbidden for this endpoint.  Supported "
        "authentication types are [OAuth 1.0a User Context, OAuth 2.0 User Context].",
        "type": PROBLEMS + "unsupported-authentication",
        "status": 403,
    },
)


def _fields(request: ApiRequest, name: str) -> set[str]:
    return {part for part in request.params.get(name, "").split(",") if part}


def _max_results(request: ApiRequest, low: int, high: int, default: int) -> int:
    raw = request.params.get("max_results", str(default))
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise invalid(
            "max_results", raw, f"The `max_results` query parameter value [{raw}] is not between {low} and {high}"
        )
    return int(raw)


def _encode_token(scope: str, key: tuple[int, ...]) -> str:
    payload = f"{scope}|{'.'.join(map(str, key))}".encode()
    return base64.b32hexencode(payload).decode().lower().rstrip("=")


def _decode_token(token: str, scope: str, parameter: str) -> tuple[int, ...]:
    try:
        padded = token.upper() + "=" * (-len(token) % 8)
        token_scope, _, key = base64.b32hexdecode(padded).decode().partition("|")
        if token_scope == scope:
            return tuple(int(part) for part in key.split("."))
    except (binascii.Error, UnicodeDecodeError, ValueError):
        pass
    raise invalid(parameter, token, f"The `{parameter}` query parameter value [{token}] is not valid")


def page(
    items: Keyed[T], request: ApiRequest, scope: str, limits: tuple[int, int, int], cursor: str
) -> tuple[list[T], Json]:
    """One page of `items` (newest first, each with a cursor key) and its `meta`; tokens survive new arrivals."""
    size = _max_results(request, *limits)
    after = request.params.get(cursor)
    if after is not None:
        last = _decode_token(after, scope, cursor)
        items = [(key, item) for key, item in items if key < last]
    chosen = list(items[:size])
    meta: Json = {"result_count": len(chosen)}
    if len(items) > size:
        meta["next_token"] = _encode_token(scope, chosen[-1][0])
    return [item for _, item in chosen], meta


def _users_body(world: World, request: ApiRequest, users: list[FakeUser], meta: Json | None = None) -> Json:
    fields = _fields(request, "user.fields")
    body: Json = {"data": [world.user_json(user, fields) for user in users]} if users else {}
    if meta is not None:
        body["meta"] = meta
    return body


def _posts_body(world: World, request: ApiRequest, posts: list[FakePost], meta: Json | None = None) -> Json:
    body: Json = {}
    if posts:
        body["data"] = [world.post_json(post, _fields(request, "tweet.fields")) for post in posts]
    if posts and "author_id" in _fields(request, "expansions"):
        authors = dict.fromkeys(post.author_id for post in posts)
        users = [world.users[author] for author in authors]
        body["includes"] = {"users": _users_body(world, request, users)["data"]}
    if meta is not None:
        body["meta"] = meta
    return body


def tweets_lookup(world: World, request: ApiRequest) -> Json:
    raw = request.params.get("ids", "")
    ids = raw.split(",") if raw else []
    if not 1 <= len(ids) <= 100 or not all(_ID.fullmatch(value) for value in ids):
        raise invalid("ids", raw, "The `ids` query parameter value must be 1 to 100 comma-separated post ids")
    problems = {value: problem for value in ids if (problem := world.take_problem(value)) is not None}
    posts = [post for value in ids if value not in problems and (post := world.visible(value)) is not None]
    body = _posts_body(world, request, posts)
    missing = [not_found("tweet", "ids", value) for value in ids if world.visible(value) is None]
    errors = [*missing, *({"resource_id": value, **problem} for value, problem in problems.items())]
    if errors:
        body["errors"] = errors
    return body


def _target(world: World, request: ApiRequest) -> FakePost:
    post = world.visible(request.path["id"])
    if post is None:
        raise Problem(200, {"errors": [not_found("tweet", "id", request.path["id"])]})
    return post


def retweeted_by(world: World, request: ApiRequest) -> Json:
    post = _target(world, request)
    users, meta = page(world.reposters(post.id), request, f"rt{post.id}", (1, 100, 100), "pagination_token")
    return _users_body(world, request, users, meta)


def liking_users(world: World, request: ApiRequest) -> Json:
    if request.caller is None:
        raise APP_ONLY_FORBIDDEN
    post = _target(world, request)
    # Since June 2024 likes are private: only the post's author sees who liked it; anyone else is refused.
    if request.caller != post.author_id:
        raise Problem(403, {"title": "Forbidden", "type": "about:blank", "status": 403, "detail": "Forbidden"})
    users, meta = page(world.likers(post.id), request, f"lk{post.id}", (1, 100, 100), "pagination_token")
    return _users_body(world, request, users, meta)


def quote_tweets(world: World, request: ApiRequest) -> Json:
    post = _target(world, request)
    quotes = [(quote.order, quote) for quote in world.quotes_of(post.id)]
    if "replies" in request.params.get("exclude", "").split(","):
        quotes = [(key, quote) for key, quote in quotes if quote.in_reply_to is None]
    posts, meta = page(quotes, request, f"qt{post.id}", (10, 100, 10), "pagination_token")
    return _posts_body(world, request, posts, meta)


def _parse_start(request: ApiRequest) -> datetime:
    earliest = request.now - SEARCH_WINDOW
    raw = request.params.get("start_time")
    if raw is None:
        return earliest
    try:
        start = datetime.fromisoformat(raw)
    except ValueError:
        raise invalid("start_time", raw, "Invalid 'start_time':'" + raw + "'.") from None
    if start.tzinfo is None or start < earliest:
        raise invalid(
            "start_time", raw, f"Invalid 'start_time':'{raw}'. 'start_time' must be on or after the last 7 days."
        )
    return start


def _search(world: World, request: ApiRequest) -> list[FakePost]:
    """What the search asks for, newest first, or `Problem` for an invalid request."""
    query = request.params.get("query", "")
    if not query or len(query) > MAX_QUERY_CHARS:
        raise invalid(
            "query", query, f"There were errors processing your request: query length must be 1 to {MAX_QUERY_CHARS}"
        )
    try:
        compiled = compile_query(query, world)
    except QueryError as error:
        raise invalid("query", query, f"There were errors processing your request: {error}") from None
    since = request.params.get("since_id", "0")
    if not _ID.fullmatch(since) or (since != "0" and posted_at(since) < request.now - SEARCH_WINDOW):
        raise invalid(
            "since_id", since, f"Invalid 'since_id':'{since}'. 'since_id' must be a post id from the last 7 days."
        )
    window = (_parse_start(request), request.now)
    return world.search(compiled.matches, compiled.pool, int(since), window)


def search_recent(world: World, request: ApiRequest) -> Json:
    found = [(post.order, post) for post in _search(world, request)]
    scope = f"sr{zlib.crc32(request.params.get('query', '').encode())}"
    posts, meta = page(found, request, scope, (10, 100, 10), "next_token")
    if posts:
        meta = {"newest_id": posts[0].id, "oldest_id": posts[-1].id, **meta}
    return _posts_body(world, request, posts, meta)


def _one_user(world: World, request: ApiRequest, user: FakeUser | None, parameter: str, value: str) -> Json:
    if user is None:
        return {"errors": [not_found("user", parameter, value)]}
    return {"data": world.user_json(user, _fields(request, "user.fields"))}


def user_by_username(world: World, request: ApiRequest) -> Json:
    username = request.path["username"]
    if not _USERNAME.fullmatch(username):
        raise invalid(
            "username",
            username,
            f"The `username` query parameter value [{username}] does not match ^[A-Za-z0-9_]{{1,15}}$",
        )
    return _one_user(world, request, world.user_named(username), "username", username)


def users_me(world: World, request: ApiRequest) -> Json:
    """The user a user token belongs to; the app's bearer token is refused."""
    if request.caller is None:
        raise APP_ONLY_FORBIDDEN
    return {"data": world.user_json(world.users[request.caller], _fields(request, "user.fields"))}


def user_by_id(world: World, request: ApiRequest) -> Json:
    user_id = request.path["id"]
    if not _ID.fullmatch(user_id):
        raise invalid("id", user_id, f"The `id` query parameter value [{user_id}] is not valid")
    return _one_user(world, request, world.users.get(user_id), "id", user_id)


Handler = Callable[[World, ApiRequest], Json]
HANDLERS: dict[str, tuple[str, Handler]] = {
    "tweets_lookup": ("/2/tweets", tweets_lookup),
    "search_recent": ("/2/tweets/search/recent", search_recent),
    "retweeted_by": (r"/2/tweets/{id:\d+}/retweeted_by", retweeted_by),
    "quote_tweets": (r"/2/tweets/{id:\d+}/quote_tweets", quote_tweets),
    "liking_users": (r"/2/tweets/{id:\d+}/liking_users", liking_users),
    "user_by_username": ("/2/users/by/username/{username}", user_by_username),
    "users_me": ("/2/users/me", users_me),  # before /2/users/{id}, which "me" would match
    "user_by_id": ("/2/users/{id}", user_by_id),
}
