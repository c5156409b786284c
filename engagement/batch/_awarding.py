"""Score and store: engagers of one tweet -> linked members other than the author -> atomic awards."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from engagement.batch._farming import FarmingFilter
from engagement.batch._record import BatchTally
from engagement.batch._selection import TrackedTweet
from engagement.errors import DamagedData, InvalidInput
from engagement.models import Award
from engagement.seasons import NO_PROGRAMS, Programs
from engagement.store import AWARDED, STALE, MemberForAward, Store
from engagement.validation import account_ref
from engagement.x.models import Tweet
from rules import RuleTable, apply_overrides, default_rules, parse_override, points_for


async def load_rules(store: Store, tally: BatchTally) -> RuleTable:
    """Defaults with the admins' overrides; an unreadable override is recorded and the default kept."""
    overrides: dict[tuple[int, str], int] = {}
    for (tier, kind), raw in (await store.rule_overrides()).items():
        try:
            rule, points = parse_override(tier, kind, raw)
        except InvalidInput as error:
            tally.error(f"rule override {tier}-{kind} ignored: {error}")
            continue
        overrides[rule] = points
    return apply_overrides(default_rules(), overrides)


def _valid_ids(raw_ids: Iterable[str], tally: BatchTally) -> list[str]:
    ids = []
    for raw in raw_ids:
        try:
            ids.append(account_ref(raw))
        except InvalidInput:
            tally.error(f"X sent an engager without a usable id ({str(raw)[:30]!r}); skipped")
    return list(dict.fromkeys(ids))


class Awarder:
    """Pays engagements for one batch. Tiers are read from the connection hash at award time; `programs` (the
    open season, the running campaigns) are read at the batch's start."""

    programs: Programs = NO_PROGRAMS

    def __init__(self, store: Store, rules: RuleTable, batch_id: str, tally: BatchTally) -> None:
        self.store = store
        self.rules = rules
        self.batch_id = batch_id
        self.tally = tally
        self.farming = FarmingFilter(store, tally)

    async def award(
        self, item: TrackedTweet, kind: str, engager_ids: Iterable[str], posts: Sequence[Tweet] = ()
    ) -> None:
        """Pay every linked member among `engager_ids` once for `kind` on this tweet; the author earns nothing.

        A damaged member record costs only that member's award (recorded on the batch); the rest go on.
        `posts`: the engagements as posts, where the caller read them so; the anti-farming rules judge their
        text and time (`_farming`), and an engagement a rule refuses earns nothing.
        """
        engagers = _valid_ids(engager_ids, self.tally)
        self.tally.engagements_seen += len(engagers)
        authors = {item.submission.author_x_id, item.tweet.author_id if item.tweet else ""}
        others = [engager for engager in engagers if engager not in authors]
        members = await self.store.members_for_x_users(others)
        states = await self.store.members_for_awards(sorted(set(members.values())))
        farming = await self.farming.check(item, kind, members, posts)
        for engager, discord_id in members.items():
            state = states[discord_id]
            if isinstance(state, DamagedData):
                self.tally.error(f"no {kind} award to member {discord_id} on tweet {item.tweet_id}: {state.problem}")
                continue
            if farming.refuses(engager):
                continue
            awards_before = self.tally.awards  # `_pay` counts what it paid
            await self._pay(item, kind, engager, discord_id, state)
            farming.settled(engager, discord_id, paid=self.tally.awards > awards_before)
        await farming.save()

    async def _pay(self, item: TrackedTweet, kind: str, engager: str, discord_id: str, state: MemberForAward) -> None:
        try:
            base = points_for(state.tier, kind, self.rules)
            text = item.tweet.text if item.tweet else ""
            found = self.programs.for_award(base, item.tweet_id, item.submission.category, text, self.store.now())
            points, campaigns, multiplier = found
            award = Award(
                item.tweet_id, engager, discord_id, kind, points, state.tier, self.batch_id, state.past_x_ids,
                self.programs.season_id, campaigns, multiplier,
            )  # fmt: skip
            result = await self.store.award_engagement(award)
        except (InvalidInput, DamagedData) as error:
            self.tally.error(f"no {kind} award to member {discord_id} on tweet {item.tweet_id}: {error}")
            return
        if result == AWARDED:
            self.tally.awards += 1
            self.tally.points_awarded += points
        elif result == STALE:  # the member relinked three times while the store retried: very rare, so just say it
            self.tally.error(f"no {kind} award to member {discord_id} on tweet {item.tweet_id}: it raced a relink")
