from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engagement.errors import InvalidInput
from engagement.urls import parse_tweet_url, tweet_url

ID = "1850123456789012345"


@pytest.mark.parametrize(
    "url",
    [
        f"https://x.com/alice/status/{ID}",
        f"https://twitter.com/alice/status/{ID}",
        f"https://mobile.twitter.com/alice/status/{ID}",
        f"https://www.x.com/alice/status/{ID}",
        f"https://www.twitter.com/Alice_99/status/{ID}",
        f"https://fxtwitter.com/alice/status/{ID}",
        f"https://vxtwitter.com/alice/status/{ID}",
        f"https://fixupx.com/alice/status/{ID}",
        f"https://x.com/alice/statuses/{ID}",
        f"https://x.com/alice/status/{ID}?s=20&t=abcDEF",
        f"https://x.com/alice/status/{ID}/",
        f"https://x.com/alice/status/{ID}/photo/1",
        f"https://x.com/alice/status/{ID}#reply",
        f"https://x.com/i/web/status/{ID}",
        f"http://X.COM/alice/status/{ID}",
        f"x.com/alice/status/{ID}",
        f"  <https://x.com/alice/status/{ID}>  ",
    ],
)
def test_accepted_forms_give_the_numeric_id(url: str) -> None:
    assert parse_tweet_url(url) == ID


@pytest.mark.parametrize(
    "url",
    [
        "",
        "   ",
        "not a url",
        "https://x.com/alice",  # a profile
        "https://x.com/alice/",
        "https://x.com/i/lists/1234567890",  # a list
        "https://x.com/alice/lists",
        "https://x.com/i/spaces/1YqKDqWqdPLxV",  # a space
        "https://x.com/i/web/status/",  # i/web without an id
        "https://x.com/alice/status/",
        "https://x.com/alice/status/abc",
        "https://x.com/alice/status/0",
        f"https://x.com/alice/status/{ID}9999",  # more than 20 digits
        "https://x.com/hashtag/python",
        "https://x.com/search?q=status/123",
        f"https://x.com.evil.example/alice/status/{ID}",
        f"https://evilx.com/alice/status/{ID}",
        f"https://example.com/alice/status/{ID}",
        f"https://alice@x.com/alice/status/{ID}",
        f"https://x.com:8443/alice/status/{ID}",
        f"ftp://x.com/alice/status/{ID}",
        f"javascript://x.com/alice/status/{ID}",
        f"https://x.com/this_name_is_too_long/status/{ID}",
        f"https://x.com/alice/status/{ID} https://x.com/bob/status/{ID}",
        "https://x.com/" + "a" * 600,
    ],
)
def test_everything_else_is_refused_with_a_clear_message(url: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_tweet_url(url)
    assert "link" in str(refused.value)


@given(st.text(max_size=200))
def test_arbitrary_text_either_parses_to_digits_or_is_invalid_input(text: str) -> None:
    try:
        result = parse_tweet_url(text)
    except InvalidInput:
        return
    assert result.isdigit()


def test_canonical_url() -> None:
    assert tweet_url("alice", ID) == f"https://x.com/alice/status/{ID}"
    assert parse_tweet_url(tweet_url("alice", ID)) == ID
