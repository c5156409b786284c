"""Turn X API v2 JSON bodies into the adapter's typed results; entries without a numeric id are skipped."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from engagement.x.errors import XUnavailable
from engagement.x.models import Tweet, TweetMetrics, XUser

logger = logging.getLogger(__name__)

TWEET_FIELDS = [
    "author_id",
    "conversation_id",
    "created_at",
    "in_reply_to_user_id",
    "public_metrics",
    "referenced_tweets",
]
USER_FIELDS = ["created_at", "description", "public_metrics"]
# X's problem type for a resource that does not exist (the spec names it on either API host).
NOT_FOUND_TYPES = frozenset(
    f"https://{host}/2/problems/resource-not-found" for host in ("api.x.com", "api.twitter.com")
)

Json = dict[str, Any]


def _objects(body: Json, key: str) -> list[Json]:
    """`body[key]` as a list of objects; absent means empty (X omits `data` when there is none)."""
    value = body.get(key, [])
    if isinstance(value, dict):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise XUnavailable(f"X sent an unreadable response: {key!r} is not a list of objects")
    return value


def data_objects(body: Json) -> list[Json]:
    return _objects(body, "data")


def included_users(body: Json) -> list[Json]:
    includes = body.get("includes", {})
    return _objects(includes, "users") if isinstance(includes, dict) else []


def _problem_id(problem: Json) -> str | None:
    value = problem.get("resource_id") or problem.get("value")
    return value if isinstance(value, str) else None


def is_not_found(problem: Json) -> bool:
    """Only this problem type says a post is gone (deleted, or never there); any other may pass."""
    return problem.get("type") in NOT_FOUND_TYPES


def lookup_problems(body: Json, missing: set[str]) -> tuple[frozenset[str], dict[str, str]]:
    """Of the `missing` ids, those X reports as not found, and the others' problem titles (to retry).

    A missing id X says nothing about counts as a problem too: it is not known to be gone.
    """
    gone: set[str] = set()
    problems: dict[str, str] = {}
    for problem in _objects(body, "errors"):
        problem_id = _problem_id(problem)
        if problem_id not in missing:
            continue
        if is_not_found(problem):
            gone.add(problem_id)
        else:
            title = problem.get("title") or problem.get("type") or "an unnamed problem"
            problems.setdefault(problem_id, str(title)[:100])
    for problem_id in missing - gone - problems.keys():
        problems[problem_id] = "no data and no problem reported"
    problems = {problem_id: title for problem_id, title in problems.items() if problem_id not in gone}
    return frozenset(gone), problems


def next_token(body: Json) -> str | None:
    meta = body.get("meta")
    token = meta.get("next_token") if isinstance(meta, dict) else None
    return token if isinstance(token, str) and token else None


def parse_time(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def _count(metrics: Json, *names: str) -> int:
    """The first counter present under any of `names` (X renamed retweet_count to repost_count)."""
    for name in names:
        value = metrics.get(name)
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    return 0


def _metrics(item: Json) -> Json:
    value = item.get("public_metrics")
    return value if isinstance(value, dict) else {}


def _text(item: Json, key: str) -> str:
    value = item.get(key)
    return value if isinstance(value, str) else ""


def _has_id(item: Json, what: str) -> bool:
    value = item.get("id")
    if isinstance(value, str) and value.isascii() and value.isdigit():  # X ids are numeric strings
        return True
    logger.warning("skipping a %s without an id in an X response: %.200r", what, item)
    return False


def parse_user(item: Json) -> XUser:
    metrics = _metrics(item)
    return XUser(
        id=item["id"],
        username=_text(item, "username"),
        name=_text(item, "name"),
        description=_text(item, "description"),
        created_at=parse_time(item.get("created_at")),
        followers_count=_count(metrics, "followers_count"),
        following_count=_count(metrics, "following_count"),
        post_count=_count(metrics, "post_count", "tweet_count"),
    )


def parse_users(items: Iterable[Json]) -> list[XUser]:
    return [parse_user(item) for item in items if _has_id(item, "user")]


def _optional_count(metrics: Json, name: str) -> int | None:
    value = metrics.get(name)
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def parse_tweet(item: Json, usernames: dict[str, str], followers: dict[str, int] | None = None) -> Tweet | None:
    created_at = parse_time(item.get("created_at"))
    author_id = _text(item, "author_id")
    if created_at is None or not author_id:
        logger.warning("skipping a post without author_id or created_at in an X response: %.200r", item)
        return None
    metrics = _metrics(item)
    return Tweet(
        id=item["id"],
        author_id=author_id,
        author_username=usernames.get(author_id, ""),
        text=_text(item, "text"),
        conversation_id=_text(item, "conversation_id") or item["id"],
        created_at=created_at,
        metrics=TweetMetrics(
            like_count=_count(metrics, "like_count"),
            repost_count=_count(metrics, "repost_count", "retweet_count"),
            reply_count=_count(metrics, "reply_count"),
            quote_count=_count(metrics, "quote_count"),
            bookmark_count=_count(metrics, "bookmark_count"),
            impression_count=_optional_count(metrics, "impression_count"),
        ),
        in_reply_to_user_id=_text(item, "in_reply_to_user_id") or None,
        reposted_id=_referenced(item, "retweeted"),
        quoted_id=_referenced(item, "quoted"),
        author_followers=(followers or {}).get(author_id),
    )


def _referenced(item: Json, kind: str) -> str | None:
    """The id of the post this one reposts (`retweeted`) or quotes (`quoted`), from `referenced_tweets`."""
    refs = item.get("referenced_tweets")
    for ref in refs if isinstance(refs, list) else []:
        if isinstance(ref, dict) and ref.get("type") == kind and str(ref.get("id", "")).isdigit():
            return str(ref["id"])
    return None


def parse_tweets(body: Json) -> list[Tweet]:
    """The posts in `data`, with author usernames from `includes.users`."""
    included = included_users(body)
    usernames = {user.id: user.username for user in parse_users(included)}
    followers = {
        str(item["id"]): count
        for item in included
        if (count := _optional_count(_metrics(item), "followers_count")) is not None and "id" in item
    }
    tweets = (parse_tweet(item, usernames, followers) for item in data_objects(body) if _has_id(item, "post"))
    return [tweet for tweet in tweets if tweet is not None]
