"""Anti-farming rules, pure: their settings, the link gate, and what a reply's text must hold to earn.

Every rule is off (0 or false) until a community's admins set it (`/admin config`).
"""

from __future__ import annotations

import hashlib
import html
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from datetime import datetime
from types import MappingProxyType

from engagement.errors import InvalidInput
from rules.wording import plural

# Why an engagement earned nothing: what the batch records (`{p}:refused:{tweetId}`) and /why words.
SHORT_REPLY = "short_reply"
LOW_EFFORT_REPLY = "low_effort_reply"
REPEATED_REPLY = "repeated_reply"
DAILY_CAP = "daily_cap"
COOLDOWN = "cooldown"
RULE_CODES = (SHORT_REPLY, LOW_EFFORT_REPLY, REPEATED_REPLY, DAILY_CAP, COOLDOWN)

REPEAT_WINDOW_SECONDS = 7 * 86400  # a reply repeats one of the member's replies on another post within it
DAY_SECONDS = 86400

# X handles are 1-15 of these; the lookbehind keeps `me@example.com` from reading as a mention.
_MENTION = re.compile(r"(?<![A-Za-z0-9_])@[A-Za-z0-9_]{1,15}")
_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_SPACE = re.compile(r"\s+")

_TRUE = frozenset({"true", "on", "yes", "1"})
_FALSE = frozenset({"false", "off", "no", "0"})


@dataclass(frozen=True)
class FarmingRules:
    """One community's anti-farming rules; 0 and False mean off."""

    min_account_age_days: int = 0
    min_followers: int = 0
    min_reply_chars: int = 0
    reject_low_effort_replies: bool = False
    reject_repeated_replies: bool = False
    daily_award_cap: int = 0
    engagement_cooldown_seconds: int = 0

    @property
    def gates_links(self) -> bool:
        """Whether linking an X account is checked (its age, its followers)."""
        return bool(self.min_account_age_days or self.min_followers)

    @property
    def in_batch(self) -> bool:
        """Whether the batch checks anything before it pays."""
        return bool(self.checks_replies or self.daily_award_cap or self.engagement_cooldown_seconds)

    @property
    def checks_replies(self) -> bool:
        return bool(self.min_reply_chars or self.reject_low_effort_replies or self.reject_repeated_replies)


def _whole(name: str, high: int) -> Callable[[str], str]:
    def check(value: str) -> str:
        text = value.strip()
        if not (text.isascii() and text.isdigit()) or int(text) > high:
            raise InvalidInput(
                f"{name} must be a whole number from 0 to {high:,} (0 turns the rule off), got {value[:20]!r}"
            )
        return str(int(text))

    return check


def _switch(name: str) -> Callable[[str], str]:
    def check(value: str) -> str:
        text = value.strip().lower()
        if text not in _TRUE | _FALSE:
            raise InvalidInput(f"{name} must be true or false (false turns the rule off), got {value[:20]!r}")
        return "true" if text in _TRUE else "false"

    return check


def _on(text: str) -> bool:
    return text == "true"


# name -> its check, which returns the text stored (`true`/`false`, a whole number): what `/admin config` takes.
SETTINGS: Mapping[str, Callable[[str], str]] = MappingProxyType(
    {
        "min_account_age_days": _whole("min_account_age_days", 3650),
        "min_followers": _whole("min_followers", 1_000_000),
        "min_reply_chars": _whole("min_reply_chars", 280),
        "reject_low_effort_replies": _switch("reject_low_effort_replies"),
        "reject_repeated_replies": _switch("reject_repeated_replies"),
        "daily_award_cap": _whole("daily_award_cap", 10_000),
        "engagement_cooldown_seconds": _whole("engagement_cooldown_seconds", 3600),
    }
)
DEFAULTS: Mapping[str, str] = MappingProxyType(
    {field.name: str(field.default).lower() for field in fields(FarmingRules)}
)


def farming_rules(config: Mapping[str, str]) -> tuple[FarmingRules, list[str]]:
    """The rules from a community's stored config, and a problem for each stored value that is not valid
    (that rule stays off)."""
    valid: dict[str, str] = {}
    problems = []
    for name, check in SETTINGS.items():
        if name in config:
            try:
                valid[name] = check(config[name])
            except InvalidInput as error:
                problems.append(str(error))

    def whole(name: str) -> int:
        return int(valid.get(name, "0"))

    def on(name: str) -> bool:
        return _on(valid.get(name, "false"))

    rules = FarmingRules(
        min_account_age_days=whole("min_account_age_days"),
        min_followers=whole("min_followers"),
        min_reply_chars=whole("min_reply_chars"),
        reject_low_effort_replies=on("reject_low_effort_replies"),
        reject_repeated_replies=on("reject_repeated_replies"),
        daily_award_cap=whole("daily_award_cap"),
        engagement_cooldown_seconds=whole("engagement_cooldown_seconds"),
    )
    return rules, problems


def link_refusal(rules: FarmingRules, handle: str, created_at: datetime | None, followers: int, now: datetime) -> str:
    """Why this X account may not be linked here ('' when it may), naming the rule and the account's figure."""
    if rules.min_account_age_days:
        if created_at is None:
            return f"X did not say when @{handle} was created, and this server needs accounts of a certain age."
        age = int((now - created_at).total_seconds() // DAY_SECONDS)
        if age < rules.min_account_age_days:
            need = plural(rules.min_account_age_days, "day")
            return f"@{handle} is {plural(max(age, 0), 'day')} old; this server needs accounts at least {need} old."
    if followers < rules.min_followers:
        need = plural(rules.min_followers, "follower")
        return f"@{handle} has {plural(followers, 'follower')}; this server needs accounts with at least {need}."
    return ""


def visible_text(text: str) -> str:
    """What a reply says: X's HTML escapes undone, @mentions and links taken out, spaces collapsed."""
    plain = _URL.sub(" ", _MENTION.sub(" ", html.unescape(text)))
    return _SPACE.sub(" ", plain).strip()


def has_words(text: str) -> bool:
    """Whether the text holds a letter or a digit, in any script (not only emoji, punctuation, mentions, links)."""
    return any(unicodedata.category(char)[0] in "LN" for char in visible_text(text))


def reply_refusal(rules: FarmingRules, text: str) -> str:
    """The text rule a reply breaks ('' when none): no words at all, then too short."""
    if rules.reject_low_effort_replies and not has_words(text):
        return LOW_EFFORT_REPLY
    if rules.min_reply_chars and len(visible_text(text)) < rules.min_reply_chars:
        return SHORT_REPLY
    return ""


def fingerprint(text: str) -> str:
    """A short digest of the reply's normalised text (case-folded), '' when nothing is left: what two replies
    that say the same share, without keeping what they say."""
    normalised = visible_text(text).casefold()
    return hashlib.blake2b(normalised.encode(), digest_size=8).hexdigest() if normalised else ""


def too_soon(rules: FarmingRules, submitted_at: float, engaged_at: float) -> bool:
    """Whether an engagement came within the cool-down after the post's submission (one before it is not
    a reaction to the announcement)."""
    cooldown = rules.engagement_cooldown_seconds
    return bool(cooldown) and submitted_at <= engaged_at < submitted_at + cooldown


def day_start(at: float) -> float:
    """The start of the UTC day `at` falls in (epoch seconds)."""
    return at - at % DAY_SECONDS
