"""Both strategies on their own fake X (so neither spends the other's rate limits), fed the same day."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from typing import Any

from bench._day import Event, SimClock, apply_to_fake, copy_people
from bench._naive import NaiveStrategy
from bench._seed import submit_scenario_tweet
from engagement.batch import run_batch
from engagement.keys import split_award_log_id
from engagement.settings import Settings
from engagement.store import Store
from engagement.x import XClient
from engagement.x._parse import USER_FIELDS, data_objects, included_users
from engagement.x.models import Tweet, XUsage, XUser
from sandbox.fake_x import FakeX
from sandbox.scenario import Award, Scenario
from tests.fakes.x_tokens import stored_tokens

RETRY_DELAYS = (0.01, 0.02)  # real seconds; the simulated clock does not move while a batch retries


@dataclass
class BatchRow:
    at: float
    usage: XUsage
    status: str = ""
    tracked: int = 0
    carried_over: int = 0
    billed: Counter[str] = field(default_factory=Counter)  # "post" / "user" -> resources this batch billed first

    @property
    def billed_usd(self) -> float:
        return round(self.billed["post"] * XUsage.POST_READ_USD + self.billed["user"] * XUsage.USER_READ_USD, 4)

    def as_json(self) -> dict[str, Any]:
        return {
            "at": self.at,
            "status": self.status,
            "tracked": self.tracked,
            "carried_over": self.carried_over,
            "requests": dict(self.usage.requests),
            "posts_read": self.usage.posts_read,
            "users_read": self.usage.users_read,
            "billed_posts": self.billed["post"],
            "billed_users": self.billed["user"],
        }


@dataclass
class Fakes:
    ours: FakeX
    naive: FakeX

    @classmethod
    async def start(cls, scenario: Scenario, clock: SimClock) -> Fakes:
        fakes = cls(FakeX(clock=clock), FakeX(clock=clock))
        for fake in (fakes.ours, fakes.naive):
            copy_people(scenario, fake)
            await fake.start()
        return fakes

    async def close(self) -> None:
        await self.ours.close()
        await self.naive.close()


class BilledXClient(XClient):
    """Also notes what pay-per-use bills: each post and each user once per UTC day (X_API.md)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.billed: set[tuple[str, str, str]] = set()  # (UTC day, "post" or "user", id)
        self.fresh: Counter[str] = Counter()  # entries added to `billed` since the last `take_fresh`

    def _bill(self, kind: str, objects: list[dict[str, Any]]) -> None:
        day = datetime.fromtimestamp(self._clock(), UTC).date().isoformat()
        entries = {(day, kind, str(item.get("id"))) for item in objects}
        self.fresh[kind] += len(entries - self.billed)
        self.billed |= entries

    def take_fresh(self) -> Counter[str]:
        """What was billed for the first time (that UTC day) since the last call: one batch's new bills."""
        fresh, self.fresh = self.fresh, Counter()
        return fresh

    def _read_users(self, body: dict[str, Any]) -> list[XUser]:
        self._bill("user", data_objects(body) + included_users(body))
        return super()._read_users(body)

    def _read_tweets(self, body: dict[str, Any]) -> list[Tweet]:
        self._bill("post", data_objects(body))
        self._bill("user", included_users(body))
        return super()._read_tweets(body)

    async def first_page_of_reposters(self, tweet_id: str, size: int) -> list[XUser]:
        """The naive strategy's read: one page of `retweeted_by`, whatever follows it."""
        request = partial(self._app.get_retweeters, tweet_id, max_results=size, user_fields=USER_FIELDS)
        return self._read_users(await self._caller.call("retweeted_by", request))

    def billed_usd(self, day: str) -> float:
        posts = sum(1 for billed_day, kind, _ in self.billed if billed_day == day and kind == "post")
        users = sum(1 for billed_day, kind, _ in self.billed if billed_day == day and kind == "user")
        return round(posts * XUsage.POST_READ_USD + users * XUsage.USER_READ_USD, 2)


def x_client(fake: FakeX, clock: SimClock) -> BilledXClient:
    return BilledXClient(fake.base_url, fake.bearer_token, clock=clock, retry_delays=RETRY_DELAYS)


@dataclass
class DayRun:
    """One simulated day: events applied in order, then at each batch moment our batch and the naive one."""

    scenario: Scenario
    store: Store
    settings: Settings
    clock: SimClock
    fakes: Fakes
    ours_x: BilledXClient
    naive: NaiveStrategy
    submitted_at: dict[str, float] = field(default_factory=dict)
    ours_rows: list[BatchRow] = field(default_factory=list)
    naive_rows: list[BatchRow] = field(default_factory=list)

    async def apply(self, event: Event) -> None:
        self.clock.now = event.at
        if event.kind == "submit":
            await submit_scenario_tweet(self.store, self.scenario, event.payload)
            self.naive.submit(event.at, event.payload, self.scenario.tweets[event.payload])
            self.submitted_at[event.payload] = event.at
        else:
            apply_to_fake(event, self.fakes.ours)
            apply_to_fake(event, self.fakes.naive)

    async def batch(self, at: float) -> None:
        self.clock.now = at
        self.ours_x.take_fresh()  # whatever was read between batches (nothing, today) is not this batch's
        outcome = await run_batch(
            self.store, self.ours_x, self.settings, clock=self.clock, tokens=stored_tokens(self.store)
        )
        tally = outcome.tally
        row = BatchRow(at, outcome.usage, outcome.status, tally.tweets_scanned, tally.carried_over)
        row.billed = self.ours_x.take_fresh()
        self.ours_rows.append(row)
        usage = await self.naive.run_batch(at, self.settings.batch_window_hours * 3600)
        self.naive_rows.append(BatchRow(at, usage, "completed", min(len(self.naive.tracked), 60)))

    async def ours_found(self) -> dict[Award, int | None]:
        """Each award our batches paid, with its time (the score in the tweet's log index; None if its log is gone)."""
        log_ids = [log_id for tweet_id in self.scenario.tweets for log_id in await self.store.tweet_log_ids(tweet_id)]
        times = {log.id: log.awarded_at for log in await self.store.logs_by_id(log_ids)}
        return {parts: times.get(log_id) for log_id in log_ids if (parts := split_award_log_id(log_id))}
