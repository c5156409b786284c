"""How many tracked tweets one batch handles inside the standard 15-minute limits, and the catch-up beyond.

For each size N: N submitted tweets by 300 members, a first batch (which records the counters), then
as much new engagement as the simulated day showed between two batches (the same share of tweets per
kind), 45 minutes later the measured batch. Beyond capacity the work is carried over: later batches,
45 minutes apart, run until nothing is left, and every award must then have been paid. Each size
reports the measured batch's wall time (real seconds, on whatever else shares the machine).
"""

from __future__ import annotations

import random
import time
from typing import Any

from redis.asyncio import Redis

from bench._common import BenchFailure, print_table, private_prefix
from bench._day import DAY_START, SimClock
from bench._seed import UNLIMITED, run_bounded
from bench._strategies import x_client
from engagement.batch import COMPLETED, BatchOutcome, run_batch
from engagement.keys import Keys, split_award_log_id
from engagement.settings import load_settings
from engagement.store import Store, SubmissionDraft
from engagement.x import XClient
from sandbox.fake_x import FakeX
from tests.fakes.x_tokens import sign_in, stored_tokens

MEMBERS = 300
GAP_SECONDS = 45 * 60
MAX_CATCH_UP = 30
SUBMIT_CHUNK = 500  # submissions per pipelined call while populating


class CapacityWorld:
    def __init__(self, fake: FakeX, store: Store, clock: SimClock, seed: int) -> None:
        self.fake, self.store, self.clock = fake, store, clock
        self.rng = random.Random(seed)
        self.members: list[tuple[str, str]] = []  # (X user id, Discord id)
        self.tweets: list[tuple[str, str]] = []  # (tweet id, author X id)
        self.tokens: set[str] = set()  # authors whose likes are readable
        self.expected: set[tuple[str, str, str]] = set()

    async def populate(self, tweets: int) -> None:
        for n in range(MEMBERS):
            x_id = self.fake.add_user(f"cap_{n}")
            discord_id = str(10**17 + n)
            await self.store.link_account(discord_id, x_id, f"cap_{n}", "bio", DAY_START.isoformat())
            if n % 2 == 0:
                await sign_in(self.store, x_id, self.fake.grant_user_token(x_id), discord_id=discord_id)
                self.tokens.add(x_id)
            self.members.append((x_id, discord_id))
        posted = self.fake.now()
        for n in range(tweets):
            author = self.members[n % MEMBERS]
            self.tweets.append((self.fake.add_tweet(author[0], f"post {n}", created_at=posted), author[0]))
        await run_bounded(range(0, tweets, SUBMIT_CHUNK), self._submit, 4)

    async def _submit(self, first: int) -> None:
        drafts = [self._draft(index) for index in range(first, min(first + SUBMIT_CHUNK, len(self.tweets)))]
        refused = [o for o in await self.store.create_submissions(drafts, UNLIMITED) if isinstance(o, Exception)]
        if refused:
            raise BenchFailure(f"capacity: {len(refused)} submissions refused, first: {refused[0]}")

    def _draft(self, index: int) -> SubmissionDraft:
        tweet_id, author = self.tweets[index]
        discord_id = self.members[index % MEMBERS][1]
        return SubmissionDraft(tweet_id, f"https://x.com/cap/status/{tweet_id}", author, "cap", discord_id, "general")

    def engage(self, movement: dict[str, float]) -> None:
        """One new engagement of each kind on that kind's share of the tweets, by a member other than the author."""
        for kind, share in movement.items():
            for tweet_id, author in self.rng.sample(self.tweets, round(share * len(self.tweets))):
                engager = self.rng.choice([x for x, _ in self.members[:8] if x != author])
                if kind == "like":
                    self.fake.like(engager, tweet_id)
                elif kind == "retweet":
                    self.fake.retweet(engager, tweet_id)
                elif kind == "reply":
                    self.fake.reply(engager, tweet_id, created_at=self.fake.now())
                elif kind == "quote":
                    self.fake.quote(engager, tweet_id, created_at=self.fake.now())
                if kind != "like" or author in self.tokens:
                    self.expected.add((tweet_id, engager, kind))

    async def paid(self) -> set[tuple[str, str, str]]:
        found: set[tuple[str, str, str]] = set()

        async def read(tweet_id: str) -> None:
            found.update(parts for parts in map(split_award_log_id, await self.store.tweet_log_ids(tweet_id)) if parts)

        await run_bounded((tweet_id for tweet_id, _ in self.tweets), read, 32)
        return found


async def _batch(world: CapacityWorld, x: XClient, prefix: str) -> BatchOutcome:
    world.clock.now += GAP_SECONDS
    settings = load_settings(_env_file=None, key_prefix=prefix)
    return await run_batch(world.store, x, settings, clock=world.clock, tokens=stored_tokens(world.store))


async def one_size(client: Redis, tweets: int, movement: dict[str, float], seed: int) -> dict[str, Any]:
    async with private_prefix(client) as prefix:
        return await _one_size(client, prefix, tweets, movement, seed)


async def _one_size(client: Redis, prefix: str, tweets: int, movement: dict[str, float], seed: int) -> dict[str, Any]:
    clock = SimClock(DAY_START.timestamp())
    fake = FakeX(clock=clock)
    await fake.start()
    x = x_client(fake, clock)
    world = CapacityWorld(fake, Store(client, Keys(prefix), clock=clock), clock, seed)
    try:
        await world.populate(tweets)
        await _batch(world, x, prefix)
        world.engage(movement)
        started = time.perf_counter()
        measured = await _batch(world, x, prefix)
        seconds = time.perf_counter() - started
        catch_up = 0
        outcome = measured
        while (outcome.status != COMPLETED or outcome.tally.carried_over) and catch_up < MAX_CATCH_UP:
            outcome = await _batch(world, x, prefix)
            catch_up += 1
        missing = world.expected - await world.paid()
        return {
            "tracked": tweets,
            "status": measured.status,
            "batch_seconds": round(seconds, 2),
            "carried_over": measured.tally.carried_over,
            "requests": dict(sorted(measured.usage.requests.items())),
            "stopped": [error for error in measured.tally.errors if "rate limit" in error],
            "catch_up_batches": catch_up,
            "awards_expected": len(world.expected),
            "awards_missing_after_catch_up": len(missing),
        }
    finally:
        await x.aclose()
        await fake.close()


async def measure_capacity(client: Redis, day: dict[str, Any], sizes: list[int]) -> dict[str, Any]:
    movement = day["movement_per_batch"]
    rows = []
    for size in sizes:
        print(f"capacity: {size:,} tracked tweets...", flush=True)
        rows.append(await one_size(client, size, movement, seed=size))
    handled = [row["tracked"] for row in rows if row["status"] == COMPLETED and not row["carried_over"]]
    return {"movement_per_batch": movement, "sizes": rows, "largest_without_carry_over": max(handled, default=0)}


def show_capacity(capacity: dict[str, Any]) -> None:
    print_table(
        "one batch under the standard 15-minute limits (target: 50,000 tracked tweets, carry-over beyond)",
        [
            "tracked",
            "status",
            "batch wall s",
            "carried over",
            "requests by endpoint",
            "catch-up batches",
            "awards missing",
        ],
        [
            [
                f"{row['tracked']:,}",
                row["status"],
                f"{row['batch_seconds']:.1f}",
                row["carried_over"],
                " ".join(f"{endpoint}={count}" for endpoint, count in row["requests"].items()),
                row["catch_up_batches"],
                f"{row['awards_missing_after_catch_up']}/{row['awards_expected']}",
            ]
            for row in capacity["sizes"]
        ],
    )
    print(f"largest size finished in one batch: {capacity['largest_without_carry_over']:,}")
