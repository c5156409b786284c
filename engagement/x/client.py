"""The X API adapter: the only code that talks to X, through tweepy's AsyncClient."""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

from tweepy.asynchronous import AsyncClient

from engagement import validation as check
from engagement.errors import InvalidInput, SettingsError
from engagement.settings import Settings
from engagement.x._billing import BillingBook
from engagement.x._calls import APP_TOKEN, AUTHOR_TOKEN, Caller, Json
from engagement.x._paging import ListRead, collect
from engagement.x._parse import (
    TWEET_FIELDS,
    USER_FIELDS,
    data_objects,
    included_users,
    lookup_problems,
    parse_tweets,
    parse_users,
)
from engagement.x._query import pack_queries, posted_at, text_from_user_query
from engagement.x._ratelimit import RateLimits, budget_key
from engagement.x._session import ENDPOINTS, RewritingSession
from engagement.x.models import SearchResult, Tweet, TweetLookup, XUsage, XUser

__all__ = ["ENDPOINTS", "ListRead", "RateLimits", "XClient"]

# tweepy's DEBUG lines print the request headers, bearer tokens included: keep them out of every log.
logging.getLogger("tweepy.asynchronous.client").setLevel(logging.INFO)

MAX_IDS_PER_LOOKUP = 100
# What search/recent covers, less a margin for clock skew: X refuses a start_time or since_id
# older than 7 days by its own clock, and a worker's clock may run minutes behind.
SEARCH_WINDOW = timedelta(days=7) - timedelta(minutes=15)
EVERYTHING = ListRead()


class XClient:
    """Typed, rate-limit-aware, cost-counting access to the X API v2 endpoints the product uses."""

    def __init__(
        self,
        base_url: str,
        bearer_token: str,
        *,
        timeout: float = 10.0,
        rate_limits: RateLimits | None = None,
        clock: Callable[[], float] = time.time,
        retry_delays: Sequence[float] = (0.5, 1.0),
    ) -> None:
        if not bearer_token:
            raise SettingsError(f"{APP_TOKEN} is not set: the X adapter needs the app's bearer token")
        self.rate_limits = rate_limits if rate_limits is not None else RateLimits(clock)
        self.usage = XUsage()
        self.billing = BillingBook(clock)
        self._clock = clock
        self._session = RewritingSession(base_url, timeout, self.rate_limits, self.usage, bearer_token)
        self._caller = Caller(self.rate_limits, clock, retry_delays)
        self._app = self._tweepy(bearer_token)

    @classmethod
    def from_settings(cls, settings: Settings, **kwargs: Any) -> XClient:
        token = settings.twitter_bearer_token.get_secret_value() if settings.twitter_bearer_token else ""
        return cls(settings.x_api_base_url, token, timeout=settings.x_timeout_seconds, **kwargs)

    def _tweepy(self, token: str) -> AsyncClient:
        client = AsyncClient(bearer_token=token, return_type=dict, wait_on_rate_limit=False)
        client.session = self._session
        return client

    async def aclose(self) -> None:
        await self._session.close()

    # reading and counting

    def _read_users(self, body: Json) -> list[XUser]:
        users = parse_users(data_objects(body))
        self.usage.users_read += len(users) + len(included_users(body))
        self.billing.users_read([user.id for user in users] + _ids(included_users(body)))
        return users

    def _read_tweets(self, body: Json) -> list[Tweet]:
        tweets = parse_tweets(body)
        self.usage.posts_read += len(data_objects(body))
        self.usage.users_read += len(included_users(body))
        self.billing.users_read(_ids(included_users(body)))
        return tweets

    # tweets

    async def lookup_tweets(self, ids: Sequence[str], *, with_authors: bool = True) -> TweetLookup:
        """Counters and authors of up to 100 posts; ones X reports as not found come back in `gone`.

        Any other problem X reports for an id (a transient one, or one this adapter does not know)
        is in `problems`: the post is not known to be gone, so its work is retried.
        `with_authors=False` skips the author expansion (no usernames) when only counters matter:
        X bills each user read, so a batch that knows its authors does not pay for them again.
        """
        wanted = _tweet_ids(ids)
        expansions = ["author_id"] if with_authors else None
        users = ["public_metrics"] if with_authors else None  # the author's followers, for analytics' reach
        request = partial(
            self._app.get_tweets, wanted, expansions=expansions, tweet_fields=TWEET_FIELDS, user_fields=users
        )
        body = await self._caller.call("tweets_lookup", request)
        found = {tweet.id: tweet for tweet in self._read_tweets(body) if tweet.id in wanted}
        gone, problems = lookup_problems(body, set(wanted) - found.keys())
        return TweetLookup(found=found, gone=gone, problems=problems)

    async def _engagers(
        self,
        endpoint: str,
        list_method: Callable[..., Any],
        tweet_id: str,
        read: ListRead,
        user_token: str | None = None,
    ) -> list[XUser]:
        """A paged user list of one post (reposters, likers), on the app's budget or a user token's."""

        def fetch(token: str | None, size: int) -> Any:
            return list_method(tweet_id, max_results=size, pagination_token=token, user_fields=USER_FIELDS)

        token_name = APP_TOKEN if user_token is None else AUTHOR_TOKEN
        budget = budget_key(endpoint, user_token)
        users = await collect(self._caller, endpoint, fetch, self._read_users, read, token_name, budget)
        return users

    async def retweeted_by(self, tweet_id: str, *, read: ListRead = EVERYTHING) -> list[XUser]:
        """Who reposted a post, newest first, paged as far as `read` says."""
        target = check.tweet_id(tweet_id)
        return await self._engagers("retweeted_by", self._app.get_retweeters, target, read)

    async def quote_tweets(self, tweet_id: str, *, read: ListRead = EVERYTHING) -> list[Tweet]:
        target = check.tweet_id(tweet_id)

        def fetch(token: str | None, size: int) -> Any:
            return self._app.get_quote_tweets(
                target,
                max_results=size,
                pagination_token=token,
                exclude=["retweets", "replies"],
                expansions=["author_id"],
                tweet_fields=TWEET_FIELDS,
            )

        quotes = await collect(self._caller, "quote_tweets", fetch, self._read_tweets, read)
        return quotes

    async def liking_users(self, tweet_id: str, user_token: str, *, read: ListRead = EVERYTHING) -> list[XUser]:
        """Who liked a post; X shows likes only to the post's author, so this needs the author's OAuth token."""
        target = check.tweet_id(tweet_id)
        if not isinstance(user_token, str) or not user_token or not user_token.isprintable() or " " in user_token:
            raise InvalidInput("liking_users needs the author's OAuth user token")
        author_client = self._tweepy(user_token)
        likers = author_client.get_liking_users
        return await self._engagers("liking_users", likers, target, read, user_token)

    # search

    def _search_window(self, since_id: str | None, start_time: datetime | None) -> tuple[str | None, datetime | None]:
        """The tighter of `since_id` and `start_time`, inside the 7 days search/recent covers.

        Only one is sent: X refuses a start_time or since_id older than the window.
        """
        earliest = datetime.fromtimestamp(self._clock(), UTC) - SEARCH_WINDOW
        if start_time is not None and start_time.tzinfo is None:
            start_time = start_time.replace(tzinfo=UTC)
        start = max(start_time, earliest) if start_time is not None else None
        if since_id is not None and posted_at(since_id) > (start or earliest):
            return since_id, None
        return None, start

    async def _search(self, query: str, since_id: str | None, start_time: datetime | None) -> list[Tweet]:
        def fetch(token: str | None, size: int) -> Any:
            return self._app.search_recent_tweets(
                query,
                max_results=size,
                next_token=token,
                since_id=since_id,
                start_time=start_time,
                tweet_fields=TWEET_FIELDS,  # no author expansion: engagers count by id, and X bills user reads
            )

        return await collect(self._caller, "search_recent", fetch, self._read_tweets, EVERYTHING)

    async def _packed(
        self,
        operator: str,
        ids: Sequence[str],
        since_id: str | None,
        start_time: datetime | None,
        wanted: Callable[[Tweet], bool],
    ) -> SearchResult:
        """The `wanted` posts matching any `operator:id` (OR-ed per 512-char query), newest first, each query
        paged to the end."""
        since, start = self._search_window(check.tweet_id(since_id) if since_id is not None else None, start_time)
        found: dict[str, Tweet] = {}
        for query in pack_queries(operator, ids):
            found.update((tweet.id, tweet) for tweet in await self._search(query, since, start))
        newest = max(found, key=int, default=None)
        kept = sorted(
            (tweet for tweet in found.values() if wanted(tweet)), key=lambda tweet: int(tweet.id), reverse=True
        )
        if operator.startswith("retweets_of"):
            self.billing.reposters_found(tweet.author_id for tweet in kept)
        return SearchResult(kept, newest)

    async def search_replies(
        self, conversation_ids: Sequence[str], *, since_id: str | None = None, start_time: datetime | None = None
    ) -> SearchResult:
        """Replies in the given conversations (roots left out), newest first, each query paged to the end."""
        ids = _id_list(conversation_ids, "conversation id")
        return await self._packed(
            "conversation_id", ids, since_id, start_time, lambda tweet: tweet.id != tweet.conversation_id
        )

    async def search_reposts(
        self, author_ids: Sequence[str], *, since_id: str | None = None, start_time: datetime | None = None
    ) -> SearchResult:
        """Reposts of any post by these authors (`retweets_of:`), newest first: tracked or not, so it reads more
        than `search_reposts_of` where authors post more than they submit; it packs more posts per query."""
        ids = _id_list(author_ids, "author id")
        return await self._packed("retweets_of", ids, since_id, start_time, lambda tweet: tweet.reposted_id is not None)

    async def search_reposts_of(
        self, tweet_ids: Sequence[str], *, since_id: str | None = None, start_time: datetime | None = None
    ) -> SearchResult:
        """Reposts of exactly these posts (`retweets_of_tweet_id:`), newest first; one request covers many posts,
        where `retweeted_by` takes one per post (75 per 15 minutes)."""
        ids = _id_list(tweet_ids, "tweet id")
        return await self._packed(
            "retweets_of_tweet_id", ids, since_id, start_time, lambda tweet: tweet.reposted_id in ids
        )

    async def search_quotes(
        self, tweet_ids: Sequence[str], *, since_id: str | None = None, start_time: datetime | None = None
    ) -> SearchResult:
        """Quotes of these posts (`quotes_of_tweet_id:`), newest first: one request where `quote_tweets`
        takes one per post (75 per 15 minutes)."""
        ids = _id_list(tweet_ids, "tweet id")
        return await self._packed("quotes_of_tweet_id", ids, since_id, start_time, lambda tweet: tweet.quoted_id in ids)

    async def find_post_with_text(
        self, username: str, text: str, *, start_time: datetime | None = None
    ) -> Tweet | None:
        """The newest recent post by `username` containing `text` (for /connect's proof by tweet)."""
        query = text_from_user_query(username, text)
        wanted = text.strip().lower()
        tweets = await self._search(query, *self._search_window(None, start_time))
        matches = [tweet for tweet in tweets if wanted in tweet.text.lower()]
        return max(matches, key=lambda tweet: int(tweet.id), default=None)

    # users

    async def _one_user(self, endpoint: str, request: Callable[[], Awaitable[Any]]) -> XUser | None:
        users = self._read_users(await self._caller.call(endpoint, request))
        return users[0] if users else None

    async def user_by_username(self, username: str) -> XUser | None:
        """The account behind a handle, with bio, creation date and counters; None if X knows no such user."""
        request = partial(self._app.get_user, username=check.handle(username), user_fields=USER_FIELDS)
        return await self._one_user("user_by_username", request)

    async def user_by_id(self, user_id: str) -> XUser | None:
        request = partial(self._app.get_user, id=check.x_user_id(user_id), user_fields=USER_FIELDS)
        return await self._one_user("user_by_id", request)


def _ids(objects: list[Json]) -> list[str]:
    return [str(item["id"]) for item in objects if isinstance(item, dict) and "id" in item]


def _id_list(ids: Sequence[str], what: str) -> list[str]:
    if isinstance(ids, str) or not isinstance(ids, Sequence):
        raise InvalidInput(f"expected a list of {what}s, got {ids!r:.40}")
    return list(dict.fromkeys(check.tweet_id(value) for value in ids))


def _tweet_ids(ids: Sequence[str]) -> list[str]:
    wanted = _id_list(ids, "tweet id")
    if not wanted or len(wanted) > MAX_IDS_PER_LOOKUP:
        raise InvalidInput(f"a tweet lookup takes 1 to {MAX_IDS_PER_LOOKUP} ids, got {len(wanted)}")
    return wanted
