"""The pooled steps of a cycle: lookups and searches done once for every community's batch together.

One community's batch packs 100 posts to a lookup and a dozen to a search; a hundred small
communities would each send their own part-empty requests. Pooled, the cycle looks every post up
once (a post submitted in two communities too) and packs every community's searches together, in
the order of their bounds, exactly as one community's would be. Each request's X usage is shared
out to the communities whose posts it served, in proportion to their posts in it (so each batch
record shows its part). A pooled request goes through the cycle's own gatekeeper (the app's
budget; no community's share caps it); what it reports goes on every batch's record.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Awaitable, Callable
from functools import partial

from engagement.batch._calls import Requests
from engagement.batch._run import BatchRun
from engagement.batch._scan import LOOKUP_CHUNK, LOOKUP_ENDPOINT, SEARCHES, Scanner, chunks
from engagement.batch._searched import SearchedWork, search_groups
from engagement.batch._searching import SEARCH, search_group
from engagement.batch._selection import LOOKUP, TrackedTweet
from engagement.x import XClient
from engagement.x.models import SearchResult, TweetLookup, XUsage

Owned = list[tuple[BatchRun, TrackedTweet]]


def _split(count: int, weights: Counter[int]) -> dict[int, int]:
    """`count` split in proportion to `weights` (largest remainders get the rest), by key."""
    total = sum(weights.values())
    shares = {key: count * weight / total for key, weight in weights.items()}
    whole = {key: int(share) for key, share in shares.items()}
    for key in sorted(shares, key=lambda key: whole[key] - shares[key])[: count - sum(whole.values())]:
        whole[key] += 1
    return whole


def share_usage(delta: XUsage, owned: Owned) -> None:
    """Add each batch's part of `delta` (a pooled request's usage) to its own usage."""
    runs = {id(run): run for run, _ in owned}
    weights = Counter(id(run) for run, _ in owned)
    requests = {endpoint: _split(count, weights) for endpoint, count in delta.requests.items()}
    posts, users = _split(delta.posts_read, weights), _split(delta.users_read, weights)
    for key, run in runs.items():
        part = XUsage({endpoint: split[key] for endpoint, split in requests.items() if split[key]})
        part.posts_read, part.users_read = posts[key], users[key]
        run.usage = run.usage.plus(part)


async def _guarded(run: BatchRun, work: Callable[[Scanner], Awaitable[None]]) -> None:
    """`work` on the batch's scanner; a batch that fails there fails alone."""
    if run.active and run.scanner is not None:
        try:
            await work(run.scanner)
        except Exception as error:  # recorded on that batch; see BatchRun.fail
            run.fail(error)


Step = Callable[[Scanner], Awaitable[None]]


def _looked_up(item: TrackedTweet, result: TweetLookup) -> Step:
    return lambda scanner: scanner.looked_up(item, result)


def _settled(work: SearchedWork, item: TrackedTweet, found: SearchResult, at: float) -> Step:
    return lambda scanner: scanner.searcher.settle(work, item, found, at)


async def pooled_lookup(runs: list[BatchRun], x: XClient, requests: Requests) -> None:
    by_id: dict[str, Owned] = {}
    for run in runs:
        if run.active and run.tweets is not None:
            for item in run.tweets:
                if LOOKUP in item.pending:
                    by_id.setdefault(item.tweet_id, []).append((run, item))
    for ids in chunks(list(by_id), LOOKUP_CHUNK):
        owned = [pair for tweet_id in ids for pair in by_id[tweet_id]]
        before = x.usage.copy()
        request = partial(x.lookup_tweets, ids, with_authors=False)
        result = await requests.call(LOOKUP_ENDPOINT, LOOKUP, [item for _, item in owned], request)
        share_usage(x.usage.since(before), owned)
        if result is not None:
            for run, item in owned:
                await _guarded(run, _looked_up(item, result))
    for run in runs:
        await _guarded(run, lambda scanner: scanner.writes.flush())


async def pooled_search(step: str, runs: list[BatchRun], x: XClient, requests: Requests, now: float) -> None:
    work = SEARCHES[step]
    owner: dict[int, BatchRun] = {}
    for run in runs:
        if run.active and run.tweets is not None:
            owner |= {id(item): run for item in run.tweets if work.kind in item.pending and item.tweet}
    todo = [item for run in runs if run.tweets for item in run.tweets if id(item) in owner]
    for group in search_groups(work, todo, now):
        if not requests.available(SEARCH):
            return  # the rest stays pending: each batch's list fallback, or the next cycle
        owned = [(owner[id(item)], item) for item in group.items]
        before = x.usage.copy()
        found = await search_group(x, requests, work, group)
        share_usage(x.usage.since(before), owned)
        if found is not None:
            for run, item in owned:
                await _guarded(run, _settled(work, item, found, now))
