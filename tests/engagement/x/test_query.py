"""Search query building: packing conversation terms under X's 512-character limit."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engagement.errors import InvalidInput
from engagement.x._query import MAX_QUERY_CHARS, pack_conversation_queries, text_from_user_query

ids = st.lists(st.integers(min_value=1, max_value=10**19 - 1).map(str), max_size=200)


@given(ids)
def test_packed_queries_fit_and_cover_every_id_once(conversation_ids: list[str]) -> None:
    queries = pack_conversation_queries(conversation_ids)
    terms = [term for query in queries for term in query.split(" OR ")]
    assert all(len(query) <= MAX_QUERY_CHARS for query in queries)
    assert terms == [f"conversation_id:{cid}" for cid in dict.fromkeys(conversation_ids)]


def test_queries_are_filled_before_a_new_one_starts() -> None:
    queries = pack_conversation_queries([str(10**18 + i) for i in range(40)])
    assert len(queries) == 4
    assert all(len(query) > MAX_QUERY_CHARS - 40 for query in queries[:-1])


def test_proof_query_quotes_the_phrase_and_lowercases_the_handle() -> None:
    assert text_from_user_query("@Member_1", " ENG-42 ") == 'from:member_1 "ENG-42" -is:retweet'
    with pytest.raises(InvalidInput):
        text_from_user_query("member", "line\nbreak")
