"""The communities bench's world (many communities on one fake X, or the same posts in one) and its cycles.

Community c has `members` X accounts, a window of the shared pool that overlaps the next
community's by `shared` accounts (so some people are members of two communities), and `posts`
posts by those members, each submitted in c only. The merged world links every account of the
pool in one community and submits all the same posts there; the movement (which posts get which
new engagement, by whom) is the same in both, so the two are directly comparable.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from redis.asyncio import Redis

from bench._common import BenchFailure, bench_prefix, delete_prefix
from bench._day import DAY_START, SimClock
from bench._seed import UNLIMITED, discord_id, run_bounded
from bench._strategies import BilledXClient
from engagement.batch import COMPLETED, BatchOutcome
from engagement.communities import run_cycle
from engagement.keys import Keys, split_award_log_id
from engagement.settings import Settings
from engagement.store import Store, SubmissionDraft
from engagement.x.models import XUsage
from sandbox.fake_x import FakeX
from tests.fakes.x_tokens import sign_in, stored_tokens

GAP_SECONDS = 45 * 60
SUBMIT_CHUNK = 500  # submissions per pipelined call while populating
Award = tuple[str, str, str]  # (post id, engager X id, kind)


@dataclass(frozen=True)
class Layout:
    communities: int
    posts: int  # per community
    members: int  # per community
    shared: int  # accounts each community shares with the next one

    @property
    def pool(self) -> int:
        """How many distinct X accounts all communities have between them."""
        stride = self.members - self.shared
        return max(self.communities * stride, self.members)

    def accounts(self, community: int) -> list[int]:
        """Community `community`'s accounts (pool indexes); the last one wraps round to share with the first."""
        stride = self.members - self.shared
        return [(community * stride + n) % self.pool for n in range(self.members)]


@asynccontextmanager
async def community_prefixes(client: Redis, count: int) -> AsyncIterator[list[str]]:
    """`count` fresh prefixes (`<base>-<n>`, siblings like a deployment's guild prefixes), all deleted afterwards."""
    base = bench_prefix()
    try:
        yield [f"{base}-{n}" for n in range(count)]
    finally:
        await delete_prefix(client, f"{base}-*")  # the glob matches every `<base>-<n>:` key


@dataclass
class Post:
    tweet_id: str
    author: int  # pool index
    community: int  # the community it belongs to in the many-communities layout


@dataclass
class CommunitiesWorld:
    """The fake X's people and posts, the stores they are submitted to, and the awards the movement owes."""

    fake: FakeX
    stores: list[Store]  # one per community, or one for the merged world
    clock: SimClock
    layout: Layout
    seed: int
    x_ids: list[str] = field(default_factory=list)  # pool index -> X user id
    posts: list[Post] = field(default_factory=list)
    expected: set[Award] = field(default_factory=set)
    expected_in: dict[int, set[Award]] = field(default_factory=dict)  # community -> its awards

    @property
    def merged(self) -> bool:
        return len(self.stores) == 1 and self.layout.communities > 1

    def store_of(self, community: int) -> Store:
        return self.stores[0] if self.merged else self.stores[community]

    def members_of(self, store_index: int) -> list[int]:
        if self.merged:
            return list(range(self.layout.pool))
        return self.layout.accounts(store_index)

    async def populate(self) -> None:
        """People and posts on the fake X (the same ids in both worlds), then links and submissions in Redis."""
        for n in range(self.layout.pool):
            self.x_ids.append(self.fake.add_user(f"cm_{n}"))
        posted = self.fake.now()
        for community in range(self.layout.communities):
            accounts = self.layout.accounts(community)
            for n in range(self.layout.posts):
                author = accounts[n % len(accounts)]
                tweet_id = self.fake.add_tweet(self.x_ids[author], f"post {community}/{n}", created_at=posted)
                self.posts.append(Post(tweet_id, author, community))
        tokens = {n: self.fake.grant_user_token(self.x_ids[n]) for n in range(0, self.layout.pool, 2)}
        await run_bounded(range(len(self.stores)), lambda index: self._link(index, tokens), 8)
        chunks = [
            (index, first)
            for index in range(len(self.stores))
            for first in range(0, self._posts_in(index), SUBMIT_CHUNK)
        ]
        await run_bounded(chunks, self._submit, 4)

    async def _link(self, store_index: int, tokens: dict[int, str]) -> None:
        store = self.stores[store_index]
        for n in self.members_of(store_index):
            await store.link_account(discord_id(n), self.x_ids[n], f"cm_{n}", "bio", DAY_START.isoformat())
            if n in tokens:  # an author who signed in with X (the sign-in is shared by every community)
                await sign_in(self.stores[0], self.x_ids[n], tokens[n], discord_id=discord_id(n))

    def _posts_in(self, store_index: int) -> int:
        return len(self.posts) if self.merged else self.layout.posts

    async def _submit(self, chunk: tuple[int, int]) -> None:
        store_index, first = chunk
        mine = self.posts if self.merged else self.posts[store_index * self.layout.posts :][: self.layout.posts]
        drafts = [self._draft(post) for post in mine[first : first + SUBMIT_CHUNK]]
        refused = [
            o for o in await self.stores[store_index].create_submissions(drafts, UNLIMITED) if isinstance(o, Exception)
        ]
        if refused:
            raise BenchFailure(f"communities: {len(refused)} submissions refused, first: {refused[0]}")

    def _draft(self, post: Post) -> SubmissionDraft:
        url = f"https://x.com/cm_{post.author}/status/{post.tweet_id}"
        return SubmissionDraft(
            post.tweet_id, url, self.x_ids[post.author], f"cm_{post.author}", discord_id(post.author), "general"
        )

    def engage(self, movement: dict[str, float]) -> None:
        """One new engagement of each kind on that kind's share of the posts, by a member of the post's community."""
        rng = random.Random(self.seed)
        act: dict[str, Callable[[str, str], object]] = {
            "like": self.fake.like,
            "retweet": self.fake.retweet,
            "reply": lambda user, tweet: self.fake.reply(user, tweet, created_at=self.fake.now()),
            "quote": lambda user, tweet: self.fake.quote(user, tweet, created_at=self.fake.now()),
        }
        for kind, share in sorted(movement.items()):
            for post in rng.sample(self.posts, round(share * len(self.posts))):
                engager = rng.choice([n for n in self.layout.accounts(post.community) if n != post.author])
                act[kind](self.x_ids[engager], post.tweet_id)
                if kind != "like" or post.author % 2 == 0:  # likes only where the author's token reads them
                    award = (post.tweet_id, self.x_ids[engager], kind)
                    self.expected.add(award)
                    self.expected_in.setdefault(post.community, set()).add(award)

    async def paid_at(self) -> dict[Award, float]:
        """Every award paid so far, with its time (its score in the post's log index)."""
        found: dict[Award, float] = {}

        async def read(post: Post) -> None:
            store = self.store_of(post.community)
            for log in await store.logs_by_id(await store.tweet_log_ids(post.tweet_id)):
                parts = split_award_log_id(log.id)
                if parts:
                    found[parts] = float(log.awarded_at)

        await run_bounded(self.posts, read, 32)
        return found


def stores_for(client: Redis, prefixes: list[str], clock: SimClock) -> list[Store]:
    return [Store(client, Keys(prefix), clock=clock) for prefix in prefixes]


@dataclass
class CycleRow:
    """One cycle's figures, summed over its communities' batches."""

    number: int
    at: float
    outcomes: list[BatchOutcome]
    billed: Counter[str] = field(default_factory=Counter)  # posts/users billed for the first time that UTC day

    @property
    def done(self) -> bool:
        return all(o.status == COMPLETED and not o.tally.carried_over for o in self.outcomes)

    @property
    def usage(self) -> XUsage:
        total = XUsage()
        for outcome in self.outcomes:
            for endpoint, count in outcome.usage.requests.items():
                total.requests[endpoint] = total.requests.get(endpoint, 0) + count
            total.posts_read += outcome.usage.posts_read
            total.users_read += outcome.usage.users_read
        return total

    def as_json(self) -> dict[str, Any]:
        usage = self.usage
        return {
            "cycle": self.number,
            "requests": usage.total_requests,
            "requests_by_endpoint": dict(sorted(usage.requests.items())),
            "posts_read": usage.posts_read,
            "users_read": usage.users_read,
            "read_usd": usage.cost_usd,
            "billed_posts": self.billed["post"],
            "billed_users": self.billed["user"],
            "billed_usd": billed_usd(self.billed),
            "statuses": dict(Counter(o.status for o in self.outcomes)),
            "carried_over": sum(o.tally.carried_over for o in self.outcomes),
            "awards": sum(o.tally.awards for o in self.outcomes),
        }


def billed_usd(billed: Counter[str]) -> float:
    return round(billed["post"] * XUsage.POST_READ_USD + billed["user"] * XUsage.USER_READ_USD, 4)


@dataclass
class Cycles:
    """Cycles of one world, 45 simulated minutes apart, on its one billed X client."""

    stores: list[Store]
    x: BilledXClient
    settings: Settings
    clock: SimClock
    rows: list[CycleRow] = field(default_factory=list)

    async def run(self) -> CycleRow:
        self.clock.now += GAP_SECONDS
        self.x.take_fresh()  # nothing is read between cycles; whatever was is not this cycle's
        number = len(self.rows)
        tokens = stored_tokens(self.stores[0])
        outcomes = await run_cycle(
            self.stores, self.x, self.settings, cycle_number=number, clock=self.clock, tokens=tokens
        )
        row = CycleRow(number, self.clock.now, outcomes, self.x.take_fresh())
        self.rows.append(row)
        return row


def summed(rows: list[CycleRow]) -> dict[str, Any]:
    """The figures of several cycles together (the measured one and its catch-up)."""
    parts = [row.as_json() for row in rows]
    keys = ("requests", "posts_read", "users_read", "billed_posts", "billed_users", "awards")
    total: dict[str, Any] = {key: sum(part[key] for part in parts) for key in keys}
    total["read_usd"] = round(sum(part["read_usd"] for part in parts), 4)
    total["billed_usd"] = round(sum(part["billed_usd"] for part in parts), 4)
    total["cycles"] = len(rows)
    return total
