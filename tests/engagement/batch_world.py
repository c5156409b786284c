"""A small world for batch tests: members on the fake X and in the store, submitted tweets, the awards paid."""

from __future__ import annotations

from dataclasses import dataclass, field

from engagement.batch import COMPLETED, BatchOutcome, run_batch
from engagement.communities import run_cycle
from engagement.settings import Settings, load_settings
from engagement.store import Store, SubmissionDraft
from engagement.threads import ThreadsAccess
from engagement.x import XClient
from sandbox.fake_x import FakeX
from tests.conftest import FakeClock
from tests.fakes.x_tokens import sign_in, stored_tokens, with_token_key

AwardRow = tuple[str, str, str, int]  # (tweet id, discord id, type, points)


@dataclass
class Member:
    name: str
    x_id: str
    discord_id: str | None


@dataclass
class BatchWorld:
    store: Store
    fake: FakeX
    x: XClient
    clock: FakeClock
    settings: Settings = field(default_factory=lambda: with_token_key(load_settings()))
    members: dict[str, Member] = field(default_factory=dict)
    tweets: dict[str, str] = field(default_factory=dict)  # label -> tweet id
    # Other communities on the same Redis and X client: the world's batch then runs last in a cycle after
    # theirs (they track nothing, so they ask X nothing), and must leave them as they were.
    neighbours: list[Store] = field(default_factory=list)
    threads: ThreadsAccess | None = None  # the fake Threads, for worlds with Threads posts (tests/engagement/threads)

    async def member(self, name: str, tier: int = 1, *, linked: bool = True) -> Member:
        """An X account; linked to a new Discord member (with `tier`) unless `linked` is False."""
        x_id = self.fake.add_user(name)
        discord_id = str(900_000 + len(self.members)) if linked else None
        if discord_id:
            await self.store.link_account(discord_id, x_id, name, "bio", "2026-11-18T00:00:00+00:00")
            if tier != 1:
                await self.store.set_tier("1", discord_id, tier)
        self.members[name] = member = Member(name, x_id, discord_id)
        return member

    async def submit(self, label: str, author: str, submitter: str | None = None) -> str:
        """`author` posts a tweet and a member (the author by default) submits it."""
        who = self.members[author]
        tweet_id = self.fake.add_tweet(who.x_id, f"{label} by {author}")
        submitted_by = self.members[submitter or author].discord_id
        assert submitted_by is not None
        url = f"https://x.com/{author}/status/{tweet_id}"
        draft = SubmissionDraft(tweet_id, url, who.x_id, author, submitted_by, "general")
        await self.store.create_submission(draft, daily_limit=1000)
        self.tweets[label] = tweet_id
        return tweet_id

    async def posts_engaged(self, count: int, kind: str, fan: str = "bob", author: str = "alice") -> list[str]:
        """`author` posts and submits `count` tweets, and `fan` replies to or quotes each (both members)."""
        await self.member(author)
        engager = await self.member(fan)
        ids = [await self.submit(f"t{i}", author) for i in range(count)]
        engage = self.fake.reply if kind == "reply" else self.fake.quote
        for tweet_id in ids:
            engage(engager.x_id, tweet_id)
        return ids

    async def run_reading(self, scanned: int, resting: int) -> BatchOutcome:
        """A batch that must have read `scanned` tracked tweets and left `resting` quiet ones unread."""
        outcome = await self.run()
        assert (outcome.tally.tweets_scanned, outcome.tally.tweets_resting) == (scanned, resting), outcome.summary()
        return outcome

    def x_id(self, name: str) -> str:
        return self.members[name].x_id

    def discord(self, name: str) -> str:
        discord_id = self.members[name].discord_id
        assert discord_id is not None
        return discord_id

    async def grant_likes(self, author: str) -> None:
        """The author connected with OAuth: their token is stored where the batch looks for it."""
        token = self.fake.grant_user_token(self.x_id(author))
        await sign_in(self.store, self.x_id(author), token)

    async def run(self) -> BatchOutcome:
        if not self.neighbours:
            return await run_batch(self.store, self.x, self.settings, clock=self.clock, threads=self.threads)
        stores = [*self.neighbours, self.store]
        tokens = stored_tokens(self.store)  # the tokens sit next to this world's store, not the first one's
        *theirs, ours = await run_cycle(
            stores, self.x, self.settings, clock=self.clock, tokens=tokens, threads=self.threads
        )
        for store, outcome in zip(self.neighbours, theirs, strict=True):
            assert outcome.status == COMPLETED, outcome.summary()
            assert (outcome.usage.total_requests, outcome.tally.awards) == (0, 0)
            kinds = {
                key.removeprefix(store.keys.prefix + ":").split(":")[0]
                async for key in store.redis.scan_iter(match=f"{store.keys.prefix}:*")
            }
            assert kinds <= {"batch", "batches", "seq"}, kinds  # its own batch records, nothing of this world
        return ours

    async def awards(self) -> set[AwardRow]:
        """Every award paid on the world's tweets, read back from the award logs."""
        rows: set[AwardRow] = set()
        for tweet_id in self.tweets.values():
            logs = await self.store.logs_by_id(await self.store.tweet_log_ids(tweet_id))
            rows |= {(log.tweet_id, log.discord_id, log.type, log.points) for log in logs}
        return rows

    def row(self, label: str, name: str, kind: str, points: int) -> AwardRow:
        return (self.tweets[label], self.discord(name), kind, points)
