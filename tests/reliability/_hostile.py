"""Hypothesis strategies for hostile member input: separators, control characters, look-alikes, huge strings."""

from __future__ import annotations

from hypothesis import strategies as st

from engagement.urls import TWEET_HOSTS

# Characters that break key names, queries or parsers: globs, separators, braces, newlines, NUL.
SEPARATORS = "*:{}[]?\\/\n\r\t\x00 @#%&=+'\"<>`|$;,.-_"
# Look-alikes of ASCII letters and digits: Cyrillic, Greek, fullwidth, roman numeral, superscripts,
# Arabic-Indic and N'Ko digits (Python's int() accepts several of them), zero-width and RTL marks.
LOOKALIKES = "хаеорсуХАЕΧΟхⅹｘｓｔ０１９٠١٣۴߂²¹₁\u200b\u200d\u202e\ufeff"
ASCII_BITS = "ax09_Z"

short_hostile = st.text(alphabet=st.sampled_from(SEPARATORS + LOOKALIKES + ASCII_BITS), max_size=40)
very_long = st.builds(lambda piece, times: piece * times, st.text(min_size=1, max_size=8), st.integers(100, 1500))
hostile_text = st.one_of(short_hostile, st.text(max_size=60), very_long)

ascii_id = st.integers(1, 10**20 - 1).map(str)
x_id = st.integers(1, 2**63 - 1).map(str)  # what X's ids can be: at most 19 digits, a signed 64-bit number
id_like = st.one_of(
    ascii_id,
    hostile_text,
    st.sampled_from(["0", "007", "-5", "1e9", "١٢٣", "１２３", "²", "1" * 21, " 42 ", "42\n", "4*2", "{1}"]),
)
valid_handle = st.from_regex(r"[A-Za-z0-9_]{1,15}", fullmatch=True)
handle_like = st.one_of(valid_handle, valid_handle.map(lambda h: f"@{h}"), hostile_text)
tier_like = st.one_of(
    st.sampled_from([1, 2, 3, "1", " 2 ", "3\n", 0, 4, -1, True, False, None, 2.0, "２", "³", "1:2", "*"]),
    st.integers(),
    hostile_text,
)

GOOD_SUFFIXES = ("", "/", "/photo/1", "/video/4", "?s=20", "#top", "/analytics")
BAD_SUFFIXES = ("/video/5", "/../../status/1", "/status/2", ":8080", "%0A", "/*")
hosts = st.one_of(
    st.sampled_from(sorted(TWEET_HOSTS)),
    st.sampled_from(["www.x.com", "X.COM", "www.twitter.com"]),
    st.sampled_from(["х.com", "x.com.evil.io", "evil.io", "x.com:8080", "u:p@x.com", "xn--x-com", "", "localhost"]),
    short_hostile,
)
schemes = st.sampled_from(["https://", "http://", "", "HTTPS://", "ftp://", "javascript:", "//", "https:/"])
url_parts = st.tuples(
    schemes,
    hosts,
    st.one_of(valid_handle, st.sampled_from(["i", "i/web"]), short_hostile),
    st.sampled_from(["status", "statuses", "Status", "stat\nus"]),
    id_like,
    st.sampled_from(GOOD_SUFFIXES + BAD_SUFFIXES),
)


def join_url(parts: tuple[str, str, str, str, str, str]) -> str:
    scheme, host, user, status, tweet, suffix = parts
    return f"{scheme}{host}/{user}/{status}/{tweet}{suffix}"


tweet_urls = st.one_of(url_parts.map(join_url), hostile_text)
canonical_url_parts = st.tuples(
    st.sampled_from(["https://", "http://", "", "HTTPS://"]),
    st.one_of(st.sampled_from(sorted(TWEET_HOSTS)), st.sampled_from(["www.x.com", "X.COM", "www.twitter.com"])),
    st.one_of(valid_handle, st.sampled_from(["i", "i/web"])),
    st.sampled_from(["status", "statuses"]),
    x_id,
    st.sampled_from(GOOD_SUFFIXES),
)
