"""Running the packed searches of one kind of work (replies, reposts, quotes) and paying what they find."""

from __future__ import annotations

from engagement.batch._cadence import MOVED_AT
from engagement.batch._calls import Requests
from engagement.batch._lists import counter, new_markers
from engagement.batch._parts import ScanParts
from engagement.batch._searched import SearchedWork, SearchGroup, newer_since, search_groups
from engagement.batch._selection import TrackedTweet
from engagement.batch._writes import Fields
from engagement.x import XClient
from engagement.x.models import SearchResult

SEARCH = "search_recent"


class Searcher:
    def __init__(self, parts: ScanParts) -> None:
        self.store, self.x, self.awarder, self.requests = parts.store, parts.x, parts.awarder, parts.requests
        self.writes = parts.writes

    async def run(self, work: SearchedWork, tweets: list[TrackedTweet]) -> None:
        todo = [item for item in tweets if work.kind in item.pending and item.tweet]
        for group in search_groups(work, todo, self.store.now()):
            if not self.requests.available(SEARCH):
                return  # the rest stays pending: a list fallback, or the next batch
            searched_at = self.store.now()
            found = await search_group(self.x, self.requests, work, group)
            if found is not None:
                for item in group.items:
                    await self.settle(work, item, found, searched_at)

    async def settle(self, work: SearchedWork, item: TrackedTweet, found: SearchResult, searched_at: float) -> None:
        """Pay what the search found for `item` and remember how far it read."""
        posts = [post for post in found.tweets if work.belongs(post, item)]
        await self.awarder.award(item, work.kind, [post.author_id for post in posts], posts)
        extra: Fields = {work.searched_field: round(searched_at, 3)}
        extra |= newer_since(item, work.since_field, found.newest_id)
        if posts:
            extra[MOVED_AT] = round(searched_at, 3)
        if work.list_kind:  # what the list fallback would find first: the newest entries
            entries = list(dict.fromkeys(work.list_entry(post) for post in posts))
            extra |= new_markers(item, work.list_kind, entries, keep_old=True)
        assert item.tweet is not None
        await self.writes.finish(item, work.kind, counter(item.tweet, work.kind), extra)


async def search_group(x: XClient, requests: Requests, work: SearchedWork, group: SearchGroup) -> SearchResult | None:
    """One packed search for the group's posts (through `requests`: None when not made or failed)."""
    terms = list(dict.fromkeys(work.term(item) for item in group.items))
    search = work.search(x)

    async def request() -> SearchResult:
        return await search(terms, since_id=group.since_id, start_time=group.start_time)

    return await requests.call(SEARCH, work.kind, group.items, request)
