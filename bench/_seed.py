"""Load members and awards through the store's own code paths, so the keys are exactly the product's."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Awaitable, Callable, Iterable
from typing import TypeVar

from bench._common import BenchFailure
from engagement.models import Award
from engagement.store import ALREADY_AWARDED, AWARDED, NOT_LINKED, NOT_TRACKED, STALE, Store, SubmissionDraft
from sandbox.scenario import Scenario
from tests.fakes.x_tokens import sign_in

T = TypeVar("T")

FIRST_DISCORD_ID = 100_000_000_000_000_000
FIRST_X_USER_ID = 1_000_000_000
FIRST_AWARDED_TWEET = 10**15
ENGAGEMENT_CYCLE = ("retweet", "reply", "like", "quote")
POINTS_BY_TYPE = {"like": 1, "retweet": 2, "reply": 3, "quote": 3}
UNLIMITED = 1_000_000
OUTCOME_NAMES = {
    AWARDED: "AWARDED",
    ALREADY_AWARDED: "ALREADY_AWARDED",
    NOT_LINKED: "NOT_LINKED",
    NOT_TRACKED: "NOT_TRACKED",
    STALE: "STALE",
}


def discord_id(index: int) -> str:
    return str(FIRST_DISCORD_ID + index)


def x_user_id(index: int) -> str:
    return str(FIRST_X_USER_ID + index)


def tier_of(index: int) -> int:
    """A realistic tier mix: most members Basic, a few Power."""
    return 3 if index % 20 == 0 else 2 if index % 5 == 0 else 1


async def run_bounded(items: Iterable[T], work: Callable[[T], Awaitable[object]], concurrency: int) -> None:
    """Run `work` over `items` with at most `concurrency` in flight."""
    queue = iter(items)

    async def drain() -> None:
        for item in queue:
            await work(item)

    await asyncio.gather(*(drain() for _ in range(concurrency)))


async def link_member(store: Store, index: int) -> None:
    member = discord_id(index)
    await store.link_account(member, x_user_id(index), f"m{index}", "bio", "2026-11-01T00:00:00+00:00")
    tier = tier_of(index)
    if tier != 1:
        await store.set_tier("1", member, tier)


async def seed_members(store: Store, count: int, concurrency: int = 64) -> None:
    await run_bounded(range(count), lambda index: link_member(store, index), concurrency)


def awarded_tweets(awards: int, engagers_per_tweet: int) -> int:
    """How many tweets the first `awards` of `award_for` are spread over."""
    return -(-awards // engagers_per_tweet)


async def submit_awarded_tweets(store: Store, tweets: int, members: int, concurrency: int = 64) -> None:
    """Submit the first `tweets` tweets `award_for` pays for (only a tracked tweet's engagement is paid).

    Tweet N is submitted by member N mod `members`, so no member nears a daily limit while tweets <= members.
    """

    async def submit(index: int) -> None:
        await submit_as_member(store, str(FIRST_AWARDED_TWEET + index), index % members)

    await run_bounded(range(tweets), submit, concurrency)


async def submit_as_member(store: Store, tweet_id: str, author: int) -> None:
    """Member `author` submits their tweet `tweet_id` (no daily limit in a bench)."""
    url = f"https://x.com/m{author}/status/{tweet_id}"
    draft = SubmissionDraft(tweet_id, url, x_user_id(author), f"m{author}", discord_id(author), "general")
    await store.create_submission(draft, daily_limit=UNLIMITED)


async def pay_awards(
    store: Store,
    award_of: Callable[[int], Award],
    sequences: range,
    concurrency: int,
    on_paid: Callable[[int], None] | None = None,
) -> Counter[int]:
    """Pay `award_of(n)` for each n in `sequences` through `Store.award_engagement`; counts of each outcome."""
    outcomes: Counter[int] = Counter()

    async def pay(sequence: int) -> None:
        outcomes[await store.award_engagement(award_of(sequence))] += 1
        if on_paid is not None:
            on_paid(sequence)

    await run_bounded(sequences, pay, concurrency)
    return outcomes


def require_all_paid(outcomes: Counter[int], expected: int, what: str) -> None:
    """BenchFailure unless all `expected` awards came back AWARDED, naming what the others returned."""
    paid = outcomes[AWARDED]
    if paid == expected and sum(outcomes.values()) == expected:
        return
    refused = ", ".join(
        f"{count:,} {OUTCOME_NAMES.get(code, 'unknown')} ({code})"
        for code, count in sorted(outcomes.items())
        if code != AWARDED
    )
    raise BenchFailure(f"{what}: {paid:,} of {expected:,} new awards were paid; refused: {refused or 'none'}")


def award_for(sequence: int, members: int, engagers_per_tweet: int, batch_id: str = "1") -> Award:
    """The `sequence`-th award: consecutive awards share a tweet, each by a different member, so all are new."""
    tweet = FIRST_AWARDED_TWEET + sequence // engagers_per_tweet
    member = (sequence * 7919) % members  # a prime stride spreads one tweet's engagers over the membership
    kind = ENGAGEMENT_CYCLE[(sequence // engagers_per_tweet) % len(ENGAGEMENT_CYCLE)]
    tier = tier_of(member)
    return Award(
        tweet_id=str(tweet),
        x_user_id=x_user_id(member),
        discord_id=discord_id(member),
        type=kind,
        points=POINTS_BY_TYPE[kind] * tier,
        tier=tier,
        batch_id=batch_id,
    )


async def enrol_scenario_members(store: Store, scenario: Scenario, connected_at: str) -> None:
    """Link every scenario member with their tier, and store the OAuth token of those who signed in with X."""
    for member in scenario.members:
        verified_by = "oauth" if member.user_token else "bio"
        await store.link_account(member.discord_id, member.x_user_id, member.username, verified_by, connected_at)
        if member.tier != 1:
            await store.set_tier("1", member.discord_id, member.tier)
        if member.user_token:  # signed in with X: the token stored through the real vault (a test key)
            await sign_in(store, member.x_user_id, member.user_token, discord_id=member.discord_id)


async def submit_scenario_tweet(store: Store, scenario: Scenario, tweet_id: str) -> None:
    """The author submits their own tweet (no daily limit in a simulation)."""
    member = scenario.member(scenario.tweets[tweet_id])
    assert member is not None
    handle = member.username.lower()
    url = f"https://x.com/{handle}/status/{tweet_id}"
    draft = SubmissionDraft(tweet_id, url, member.x_user_id, handle, member.discord_id, "general")
    await store.create_submission(draft, daily_limit=UNLIMITED)
