"""Refs: `<id>` on X, `<platform>:<id>` elsewhere (see the package docstring)."""

from __future__ import annotations

from engagement.errors import InvalidInput

X = "x"
THREADS = "threads"
PLATFORMS = (X, THREADS)
_TITLES = {X: ("X", "impressions"), THREADS: ("Threads", "views")}


def platform_title(platform: str) -> str:
    """How a platform is named to people (an unknown one by its own name)."""
    return _TITLES.get(platform, (platform, "impressions"))[0]


def seen_word(platform: str) -> str:
    """What the platform calls the times a post was shown: impressions on X, views on Threads."""
    return _TITLES.get(platform, (platform, "impressions"))[1]


def _known(platform: str) -> str:
    if platform not in PLATFORMS:
        raise InvalidInput(f"unknown platform {platform[:20]!r}; the platforms are {', '.join(PLATFORMS)}")
    return platform


def post_ref(platform: str, post_id: str) -> str:
    """The ref of a post: its id on X, `threads:<media id>` on Threads."""
    return post_id if _known(platform) == X else f"{platform}:{post_id}"


def account_ref(platform: str, account_id: str) -> str:
    """The ref of an engaging account: the X user id, or `threads:<username>` (Threads' replies name usernames)."""
    return account_id if _known(platform) == X else f"{platform}:{account_id.lower()}"


def platform_of(ref: str) -> str:
    """The platform a post or account ref belongs to."""
    head, colon, _ = ref.partition(":")
    return _known(head) if colon else X


def native_id(ref: str) -> str:
    """The platform's own id inside a ref."""
    return ref.partition(":")[2] if ":" in ref else ref
