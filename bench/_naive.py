"""The original system's strategy, as the reference: every batch, the newest 60 tweets of the window,
each with the first page of `retweeted_by` and one `conversation_id:` search; no quotes, no likes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from engagement.x import XError
from engagement.x.models import XUsage
from sandbox.scenario import Award

if TYPE_CHECKING:
    from bench._strategies import BilledXClient

MAX_TWEETS_PER_BATCH = 60


class NaiveStrategy:
    """Finds engagements the way the original batch did; remembers what it paid so nothing is paid twice."""

    def __init__(self, x: BilledXClient, members: dict[str, str]) -> None:
        self.x = x
        self.members = members  # X user id -> Discord id: only members' engagements pay
        self.tracked: list[tuple[float, str, str]] = []  # (submitted at, tweet id, author X id)
        self.found: set[Award] = set()
        self.errors = 0

    def submit(self, at: float, tweet_id: str, author_x_id: str) -> None:
        self.tracked.append((at, tweet_id, author_x_id))

    def _pays(self, tweet_id: str, author: str, engager: str, kind: str) -> None:
        if engager in self.members and engager != author:
            self.found.add((tweet_id, engager, kind))

    async def run_batch(self, now: float, window_seconds: float) -> XUsage:
        before = self.x.usage.copy()
        in_window = [item for item in self.tracked if item[0] >= now - window_seconds]
        for _, tweet_id, author in sorted(in_window, reverse=True)[:MAX_TWEETS_PER_BATCH]:
            try:
                # One page of one entry: the reference figures in BASELINE.md were measured so.
                for user in await self.x.first_page_of_reposters(tweet_id, size=1):
                    self._pays(tweet_id, author, user.id, "retweet")
                for reply in (await self.x.search_replies([tweet_id])).tweets:
                    self._pays(tweet_id, author, reply.author_id, "reply")
            except XError:
                self.errors += 1  # the original logged and went on with the next tweet
        return self.x.usage.since(before)
