"""How far to page a newest-first list: to its end, or to the entries read last time, and never forever."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import Any, Protocol, TypeVar

from engagement.x._calls import APP_TOKEN, Caller, Json
from engagement.x._parse import next_token
from engagement.x.errors import PagingStopped

PAGE_SIZE = 100
# X's smallest max_results per endpoint; X bills per entry returned, so ask for no more than needed.
MIN_PAGE_SIZE = {"quote_tweets": 10, "search_recent": 10}
MAX_PAGES = 50  # with no counter to go by (a search), a request pages at most this far
MARKERS_TO_MEET = 2  # one marker may have been undone and redone (it moved to the top); two rarely both are
PAGE_SLACK = 2  # pages beyond what the counter needs: the list may grow while it is read
PAGE_CAP = 100  # whatever a counter says (X's own can be huge, or wrong): one request never pages further


class _Identified(Protocol):
    @property
    def id(self) -> str: ...


Item = TypeVar("Item", bound=_Identified)
PageFetch = Callable[[str | None, int], Any]  # (pagination token, page size) -> a tweepy coroutine (untyped)


@dataclass(frozen=True)
class ListRead:
    """Where to stop paging a newest-first list. By default: at its end, within MAX_PAGES.

    With `seen_before` (the ids of the newest entries read last time), paging stops once
    MARKERS_TO_MEET of them are met: everything below them was read before. The count of new
    entries only sizes the first page (later pages double, as X bills per entry returned); it
    never stops the paging, since engagers nobody is paid for move the counter too. `counter`
    (how long the list should be) caps the pages at what reading that many entries takes, plus
    PAGE_SLACK; a list that goes on past the cap, or repeats a next_token, raises PagingStopped.
    """

    seen_before: tuple[str, ...] = ()
    new: int | None = None
    counter: int | None = None

    def markers_to_meet(self) -> int:
        return min(MARKERS_TO_MEET, len(self.seen_before))

    def page_sizes(self, endpoint: str) -> Iterator[int]:
        size = PAGE_SIZE if self.new is None else max(self.new, 0) + self.markers_to_meet()
        while True:
            yield max(MIN_PAGE_SIZE.get(endpoint, 1), min(PAGE_SIZE, size))
            size *= 2

    def max_pages(self, endpoint: str) -> int:
        if self.counter is None:
            return MAX_PAGES
        pages, covered = 0, 0
        sizes = self.page_sizes(endpoint)
        while covered < self.counter and pages < PAGE_CAP:
            pages, covered = pages + 1, covered + next(sizes)
        return min(pages + PAGE_SLACK, PAGE_CAP)


class _Pager:
    """One paging run: page sizes, markers met, tokens used."""

    def __init__(self, endpoint: str, read: ListRead) -> None:
        self.endpoint = endpoint
        self.markers = set(read.seen_before)
        self.to_meet = read.markers_to_meet()
        self.max_pages = read.max_pages(endpoint)
        self.sizes = read.page_sizes(endpoint)
        self.met: set[str] = set()
        self.tokens: set[str] = set()
        self.pages = 0

    def reached_old_entries(self) -> bool:
        return bool(self.markers) and len(self.met) >= self.to_meet

    def follow(self, token: str) -> None:
        """Accept `token` for the next page, or stop: X repeats itself, or the list outgrew its cap."""
        if token in self.tokens:
            raise PagingStopped(f"X sent the same {self.endpoint} next_token twice; stopped after {self.pages} pages")
        if self.pages >= self.max_pages:
            raise PagingStopped(f"{self.endpoint} had more pages than its cap of {self.max_pages}; stopped there")
        self.tokens.add(token)


async def collect(
    caller: Caller,
    endpoint: str,
    fetch: PageFetch,
    parse: Callable[[Json], list[Item]],
    read: ListRead,
    token_name: str = APP_TOKEN,
    budget: str | None = None,
) -> list[Item]:
    """Every entry of the pages read, newest first, each once."""
    pager = _Pager(endpoint, read)
    found: dict[str, Item] = {}
    token: str | None = None
    while True:
        request = partial(fetch, token, next(pager.sizes))
        body = await caller.call(endpoint, request, token_name=token_name, budget=budget)
        pager.pages += 1
        for item in parse(body):
            found.setdefault(item.id, item)
            if item.id in pager.markers:
                pager.met.add(item.id)
        token = next_token(body)
        if token is None or pager.reached_old_entries():
            return list(found.values())
        pager.follow(token)
