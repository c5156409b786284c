"""Hostile input to every parser of member text: a clear refusal or a correct parse, nothing else."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TypeVar

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engagement import validation
from engagement.errors import EngagementError
from engagement.settings import load_settings
from engagement.stats import parse_board
from engagement.submissions import pick_category
from engagement.urls import parse_tweet_url
from rules.scoring import parse_override
from tests.reliability._hostile import (
    canonical_url_parts,
    handle_like,
    hostile_text,
    id_like,
    join_url,
    tier_like,
    tweet_urls,
)
from tests.reliability._mode import scaled

pytestmark = pytest.mark.reliability

T = TypeVar("T")

EXAMPLES = settings(max_examples=scaled(300, 10_000), deadline=None)
ASCII_ID = re.compile(r"[1-9][0-9]{0,19}")
SETTINGS = load_settings(_env_file=None, categories="general,meme,art")


def refused_or(parse: Callable[..., T], *args: object) -> T | None:
    """The parse result, or None after a refusal the core means (an EngagementError); anything else escapes."""
    try:
        return parse(*args)
    except EngagementError as error:
        message = str(error)
    assert message, "a refusal must say why"
    return None


@EXAMPLES
@given(tweet_urls)
def test_tweet_urls_give_an_ascii_id_that_is_in_the_link_or_a_refusal(url: str) -> None:
    parsed = refused_or(parse_tweet_url, url)
    if parsed is not None:
        assert isinstance(parsed, str)
        assert ASCII_ID.fullmatch(parsed)
        assert f"/{parsed}" in url


@EXAMPLES
@given(canonical_url_parts)
def test_a_well_formed_tweet_link_parses_to_its_id(parts: tuple[str, str, str, str, str, str]) -> None:
    assert parse_tweet_url(join_url(parts)) == parts[4]


@EXAMPLES
@given(handle_like)
def test_handles_are_refused_or_normalised(value: str) -> None:
    parsed = refused_or(validation.handle, value)
    if parsed is not None:
        assert re.fullmatch(r"[a-z0-9_]{1,15}", str(parsed))
        assert parsed == value.strip().removeprefix("@").lower()


@EXAMPLES
@given(id_like, st.sampled_from([validation.discord_id, validation.x_user_id, validation.tweet_id]))
def test_ids_are_refused_or_canonical_ascii(value: str, parse: Callable[[object], str]) -> None:
    parsed = refused_or(parse, value)
    if parsed is not None:
        assert ASCII_ID.fullmatch(str(parsed))
        assert value.strip().isascii()
        assert int(str(parsed)) == int(value.strip())


@EXAMPLES
@given(tier_like)
def test_tiers_are_refused_or_one_two_three(value: object) -> None:
    parsed = refused_or(validation.tier, value)
    if parsed is not None:
        assert parsed in (1, 2, 3)
        assert not isinstance(value, bool)
        assert str(value).strip() == str(parsed)


@EXAMPLES
@given(st.one_of(st.none(), hostile_text, st.sampled_from(["general", " MEME ", "Art", "art\n", "me*"])))
def test_categories_are_refused_or_a_configured_one(value: str | None) -> None:
    parsed = refused_or(pick_category, SETTINGS, value)
    if parsed is not None:
        assert parsed in SETTINGS.categories
        assert value is None or not value.strip() or value.strip().lower() == parsed


@EXAMPLES
@given(st.one_of(st.none(), hostile_text, st.sampled_from(["weekly", "ALLTIME", "all-time", "week"])))
def test_board_names_are_refused_or_understood(value: str | None) -> None:
    assert refused_or(parse_board, value) in (None, True, False)


@EXAMPLES
@given(tier_like, st.one_of(hostile_text, st.sampled_from(["like", "retweet", "reply", "quote", "Like"])), tier_like)
def test_rule_overrides_are_refused_or_in_range(tier_value: object, kind: str, points: object) -> None:
    parsed = refused_or(parse_override, tier_value, kind, points)
    if parsed is not None:
        (tier, parsed_kind), value = parsed
        assert tier in (1, 2, 3)
        assert parsed_kind in validation.ENGAGEMENT_TYPES
        assert 0 <= value <= 1000
