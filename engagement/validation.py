"""Checks on untrusted text before it reaches a Redis key or an X request."""

from __future__ import annotations

import base64
import re
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from engagement.errors import InvalidInput

__all__ = ["InvalidInput"]

ENGAGEMENT_TYPES: tuple[str, ...] = ("like", "retweet", "reply", "quote")
TIERS: tuple[int, ...] = (1, 2, 3)

_DIGITS = re.compile(r"[0-9]{1,20}")
_HANDLE = re.compile(r"[A-Za-z0-9_]{1,15}")
_PREFIX = re.compile(r"[A-Za-z0-9_.-]{1,32}")


def numeric_id(value: object, what: str) -> str:
    """Return `value` as a canonical decimal id string, or refuse it."""
    text = str(value).strip() if isinstance(value, (str, int)) else ""
    if isinstance(value, bool) or not _DIGITS.fullmatch(text) or int(text) == 0:
        raise InvalidInput(f"{what} must be a positive number of at most 20 digits, got {value!r:.40}")
    return str(int(text))


def discord_id(value: object) -> str:
    return numeric_id(value, "Discord id")


def x_user_id(value: object) -> str:
    return numeric_id(value, "X user id")


MAX_X_ID = 2**63 - 1  # X ids are signed 64-bit snowflakes: at most 19 digits


def tweet_id(value: object) -> str:
    """A tweet id X could have issued; anything longer or larger is refused before it reaches X or a key."""
    try:
        canonical = numeric_id(value, "tweet id")
    except InvalidInput:
        canonical = ""
    if not canonical or int(canonical) > MAX_X_ID:
        raise InvalidInput(f"tweet id must be a positive number of at most 19 digits, got {value!r:.40}")
    return canonical


_THREADS_USERNAME = re.compile(r"[a-z0-9._]{1,30}")


def post_ref(value: object) -> str:
    """A post's ref (`engagement.platforms`): a tweet id, or `threads:` and a Threads media id."""
    text = value if isinstance(value, str) else str(value) if isinstance(value, int) else ""
    if text.startswith("threads:"):
        return "threads:" + numeric_id(text[8:], "Threads post id")
    return tweet_id(value)


def account_ref(value: object) -> str:
    """An engaging account's ref: an X user id, or `threads:` and a Threads username (lower case)."""
    text = value if isinstance(value, str) else str(value) if isinstance(value, int) else ""
    if text.startswith("threads:"):
        if not _THREADS_USERNAME.fullmatch(text[8:]):
            raise InvalidInput(
                f"Threads username must be 1-30 letters, digits, dots or underscores, got {text[8:]!r:.40}"
            )
        return text
    return x_user_id(value)


_SHORTCODE = re.compile(r"[A-Za-z0-9_-]{5,40}")


def threads_shortcode(value: object) -> str:
    """The code in a Threads post's link (`/@name/post/<code>`)."""
    if not isinstance(value, str) or not _SHORTCODE.fullmatch(value):
        raise InvalidInput(f"Threads post code must be 5-40 letters, digits, - or _, got {value!r:.40}")
    return value


def handle(value: object) -> str:
    """An X username: 1-15 letters, digits or underscores; returned lower case without @."""
    text = value.strip() if isinstance(value, str) else ""
    if text.startswith("@"):
        text = text[1:]
    if not _HANDLE.fullmatch(text) or not text.isascii():
        raise InvalidInput(f"{str(value)[:40]!r} is not an X username (1-15 letters, digits or _)")
    return text.lower()


def tier(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise InvalidInput(f"tier must be 1, 2 or 3, got {value!r:.20}")
    text = str(value).strip()
    if text not in {str(t) for t in TIERS}:
        raise InvalidInput(f"tier must be 1, 2 or 3, got {text[:20]!r}")
    return int(text)


def engagement_type(value: object) -> str:
    if value not in ENGAGEMENT_TYPES:
        raise InvalidInput(f"engagement type must be one of {', '.join(ENGAGEMENT_TYPES)}, got {value!r:.20}")
    return str(value)


def key_prefix(value: str) -> str:
    if not _PREFIX.fullmatch(value):
        raise InvalidInput("KEY_PREFIX must be 1-32 letters, digits, '_', '-' or '.'")
    return value


def token_cipher_keys(value: str) -> list[bytes]:
    """TOKEN_ENCRYPTION_KEYS: comma-separated Fernet keys (32 url-safe base64 bytes each), the first one encrypts."""
    keys = [part.strip().encode() for part in value.split(",") if part.strip()]
    if not keys:
        raise ValueError("TOKEN_ENCRYPTION_KEYS is empty; make one with: python -m engagement.x_oauth new-key")
    for number, key in enumerate(keys, 1):
        try:
            if len(base64.urlsafe_b64decode(key)) != 32:
                raise ValueError
        except ValueError:
            raise ValueError(
                f"TOKEN_ENCRYPTION_KEYS key {number} is not a Fernet key (32 url-safe base64 bytes)"
            ) from None
    return keys


def time_zone(value: str) -> str:
    """An IANA time zone name (`Europe/Berlin`, `UTC`), as the weekly report and best posting times use it."""
    name = value.strip()
    try:
        if not name or len(name) > 64 or name.startswith(("/", ".")) or ".." in name:
            raise ValueError(name)
        ZoneInfo(name)
    except (ValueError, ZoneInfoNotFoundError):
        raise InvalidInput(
            f"the time zone must be an IANA name such as Europe/Berlin or UTC, got {value[:40]!r}"
        ) from None
    return name
