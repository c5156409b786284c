"""How far the adapter pages a newest-first list: down to what was read last time, and never forever."""

from __future__ import annotations

import pytest

from engagement.x import ListRead, PagingStopped, XClient
from engagement.x._paging import MAX_PAGES, PAGE_CAP
from sandbox.fake_x import FakeX


def _reposted_by_crowd(fake: FakeX, post: str, count: int, prefix: str = "fan") -> list[str]:
    """`count` accounts that repost `post`, oldest repost first (the fake lists newest first)."""
    fans = [fake.add_user(f"{prefix}{i}") for i in range(count)]
    for fan in fans:
        fake.retweet(fan, post)
    return fans


async def test_the_page_cap_covers_the_counter_at_the_page_sizes_used() -> None:
    assert ListRead(counter=250).max_pages("retweeted_by") == 3 + 2, "100 + 100 + 100, then the slack"
    assert ListRead(new=1, counter=250).max_pages("retweeted_by") == 9 + 2, "1, 2, 4, ... 64, 100, 100"
    assert ListRead(new=0, counter=0).max_pages("quote_tweets") == 0 + 2
    assert ListRead().max_pages("search_recent") == MAX_PAGES


async def test_paging_stops_at_the_entries_read_last_time(fake_x: FakeX, x_client: XClient) -> None:
    post = fake_x.add_tweet(fake_x.add_user("author"))
    fans = _reposted_by_crowd(fake_x, post, 250)
    read_last_time = (fans[199], fans[198], fans[197])  # the list's top when it held 200

    users = await x_client.retweeted_by(post, read=ListRead(read_last_time, new=50, counter=250))

    assert [user.id for user in users] == fans[:197:-1], "the 50 new, then the two old entries that end it"
    assert fake_x.request_counts["retweeted_by"] == 1
    assert x_client.usage.users_read == 52, "the first page is sized to the new entries plus two markers"


async def test_new_entries_beyond_the_counters_move_are_all_read(fake_x: FakeX, x_client: XClient) -> None:
    """Two reposts undone and five made: the counter moved by 3, yet all five are new and all are read."""
    author = fake_x.add_user("author")
    post = fake_x.add_tweet(author)
    old = _reposted_by_crowd(fake_x, post, 10)
    read_last_time = (old[9], old[8], old[7])
    for gone in old[:2]:
        fake_x.unretweet(gone, post)
    new = _reposted_by_crowd(fake_x, post, 5, prefix="late")

    users = await x_client.retweeted_by(post, read=ListRead(read_last_time, new=3, counter=13))

    assert [user.id for user in users][:5] == new[::-1]
    assert {old[9], old[8]} <= {user.id for user in users}
    assert fake_x.request_counts["retweeted_by"] == 2, "a short first page, then a twice as long one"


async def test_a_marker_undone_and_redone_does_not_end_the_paging(fake_x: FakeX, x_client: XClient) -> None:
    post = fake_x.add_tweet(fake_x.add_user("author"))
    old = _reposted_by_crowd(fake_x, post, 5)
    read_last_time = (old[4], old[3], old[2])
    fake_x.unretweet(old[4], post)
    newcomer = fake_x.add_user("newcomer")
    fake_x.retweet(newcomer, post)
    fake_x.retweet(old[4], post)  # back on top, above the newcomer

    users = await x_client.retweeted_by(post, read=ListRead(read_last_time, new=1, counter=6))

    assert [user.id for user in users] == [old[4], newcomer, old[3]], "two markers met: the rest is old"


async def test_without_markers_the_whole_list_is_read(fake_x: FakeX, x_client: XClient) -> None:
    post = fake_x.add_tweet(fake_x.add_user("author"))
    fans = _reposted_by_crowd(fake_x, post, 150)

    users = await x_client.retweeted_by(post, read=ListRead(new=150, counter=150))

    assert len(users) == 150
    assert fake_x.request_counts["retweeted_by"] == 2
    assert users[-1].id == fans[0]


async def test_a_repeated_next_token_stops_paging_with_a_typed_error(fake_x: FakeX, x_client: XClient) -> None:
    post = fake_x.add_tweet(fake_x.add_user("author"))
    _reposted_by_crowd(fake_x, post, 3)
    fake_x.inject_paging_fault("retweeted_by", "repeat_token")

    with pytest.raises(PagingStopped, match="same retweeted_by next_token twice"):
        await x_client.retweeted_by(post, read=ListRead(new=3, counter=3))

    assert fake_x.request_counts["retweeted_by"] == 2, "the second page repeats the token: stop there"


async def test_an_endless_list_stops_at_the_page_cap_its_counter_gives(fake_x: FakeX, x_client: XClient) -> None:
    post = fake_x.add_tweet(fake_x.add_user("author"))
    _reposted_by_crowd(fake_x, post, 3)
    fake_x.inject_paging_fault("retweeted_by", "endless")

    read = ListRead(new=3, counter=3)
    with pytest.raises(PagingStopped, match="more pages than its cap of 3"):
        await x_client.retweeted_by(post, read=read)

    assert fake_x.request_counts["retweeted_by"] == read.max_pages("retweeted_by") == 3, "one page holds 3; 2 more"


async def test_an_endless_search_stops_at_the_default_cap(fake_x: FakeX, x_client: XClient) -> None:
    author, fan = fake_x.add_user("author"), fake_x.add_user("fan")
    root = fake_x.add_tweet(author)
    fake_x.reply(fan, root)
    fake_x.inject_paging_fault("search_recent", "endless")

    with pytest.raises(PagingStopped, match=f"cap of {MAX_PAGES}"):
        await x_client.search_replies([root])

    assert fake_x.request_counts["search_recent"] == MAX_PAGES
    fake_x.inject_paging_fault("search_recent", None)
    assert len((await x_client.search_replies([root])).tweets) == 1, "the fault is gone: paging ends as it should"


async def test_a_huge_counter_still_caps_the_pages_of_an_endless_list(fake_x: FakeX, x_client: XClient) -> None:
    """X's counter is no bound of its own: a (wrong or hostile) billion still pages at most PAGE_CAP times."""
    post = fake_x.add_tweet(fake_x.add_user("author"))
    _reposted_by_crowd(fake_x, post, 3)
    fake_x.inject_paging_fault("retweeted_by", "endless")
    fake_x.set_limit("retweeted_by", 2 * PAGE_CAP)  # so the cap, not X's 75 per window, is what stops it
    read = ListRead(new=10**9, counter=10**9)
    assert read.max_pages("retweeted_by") == PAGE_CAP == 100

    with pytest.raises(PagingStopped, match=f"more pages than its cap of {PAGE_CAP}"):
        await x_client.retweeted_by(post, read=read)

    assert fake_x.request_counts["retweeted_by"] == PAGE_CAP
