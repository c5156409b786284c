"""Post links: accept the forms members paste (X and Threads), return what names the post, refuse the rest."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import SplitResult, urlsplit

from engagement.errors import InvalidInput
from engagement.validation import tweet_id

MAX_URL_LENGTH = 500

# Embed-fixing mirrors serve the same paths as x.com, so their links carry the same id.
TWEET_HOSTS = frozenset(
    {
        "x.com",
        "twitter.com",
        "mobile.twitter.com",
        "mobile.x.com",
        "fxtwitter.com",
        "vxtwitter.com",
        "fixupx.com",
        "fixvx.com",
    }
)

# /{user}/status/{id}, /{user}/statuses/{id}, /i/web/status/{id}, /i/status/{id},
# optionally followed by a media suffix such as /photo/1 or /video/1.
_TWEET_PATH = re.compile(
    r"/(?:(?P<user>[A-Za-z0-9_]{1,15})|i/web|i)/status(?:es)?/(?P<id>[1-9][0-9]{0,19})"
    r"(?:/(?:photo|video)/[1-4]|/analytics|/quotes|/retweets|/likes)?/?"
)

THREADS_HOSTS = frozenset({"threads.net", "threads.com"})
# /@{username}/post/{shortcode}, optionally followed by /media; usernames as on Instagram.
_THREADS_PATH = re.compile(r"/@(?P<user>[A-Za-z0-9._]{1,30})/post/(?P<code>[A-Za-z0-9_-]{5,40})(?:/media)?/?")
_NOT_A_THREADS_POST = (
    "That is not a link to a single Threads post. Paste the post's own link, like "
    "https://www.threads.com/@name/post/DAbc123xyz."
)

_NOT_A_LINK = "Please give one post link, like https://x.com/name/status/1234567890."
_NOT_A_TWEET = (
    "That is not a link to a single post on X. Paste the post's own link, like https://x.com/name/status/1234567890."
)


def _host(netloc: str) -> str:
    host = netloc.lower()
    return host[4:] if host.startswith("www.") else host


@dataclass(frozen=True)
class PostLink:
    """What a pasted link names: on X the tweet id; on Threads the post's shortcode and its author's username."""

    platform: str
    post_id: str
    username: str = ""


def _split(text: str) -> SplitResult:
    candidate = text.strip().strip("<>") if isinstance(text, str) else ""
    if not candidate or len(candidate) > MAX_URL_LENGTH or any(ch.isspace() for ch in candidate):
        raise InvalidInput(_NOT_A_LINK)
    if "://" not in candidate:
        candidate = "https://" + candidate
    try:
        parts = urlsplit(candidate)
        port = parts.port
    except ValueError:
        raise InvalidInput(_NOT_A_TWEET) from None
    if parts.scheme.lower() not in {"http", "https"} or parts.username or parts.password or port is not None:
        raise InvalidInput(_NOT_A_TWEET)
    return parts


def parse_post_url(text: str) -> PostLink:
    """The X or Threads post `text` links to; `InvalidInput` for anything else."""
    parts = _split(text)
    host = _host(parts.netloc)
    if host not in THREADS_HOSTS:
        return PostLink("x", _tweet_id(parts))
    match = _THREADS_PATH.fullmatch(parts.path)
    if match is None:
        raise InvalidInput(_NOT_A_THREADS_POST)
    return PostLink("threads", match["code"], match["user"].lower())


def parse_tweet_url(text: str) -> str:
    """The numeric id of the tweet `text` links to; `InvalidInput` for anything else."""
    return _tweet_id(_split(text))


def _tweet_id(parts: SplitResult) -> str:
    host = _host(parts.netloc)
    if host not in TWEET_HOSTS:
        raise InvalidInput("That link is not on x.com, twitter.com or threads." if "." in host else _NOT_A_LINK)
    match = _TWEET_PATH.fullmatch(parts.path)
    if match is None:
        raise InvalidInput(_NOT_A_TWEET)
    return tweet_id(match["id"])


def tweet_url(author_handle: str, tweet_id_value: str) -> str:
    """The canonical link stored and shown for a tweet."""
    return f"https://x.com/{author_handle}/status/{tweet_id_value}"
