"""The anti-farming rules in the batch: which engagements earn nothing, judged from what the batch read already.

The rules are read once per batch, at its first award. With none of the batch's rules on, nothing else is
read or written. Otherwise each award step makes one pipelined read (the engagers already paid, the
refusals recorded before, the member's awards that UTC day and their recent replies, each member read once
a batch and then counted here: one batch runs at a time per community, so this count is exact) and at most
one pipelined write (the refusals, for /why, and the fingerprints of paid replies).

Only engagements read as posts carry a text and a time: replies, and quotes and reposts found by search. Likes
and reposts read from X's lists come as users, so only the daily cap applies to them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from engagement.batch._record import BatchTally
from engagement.batch._selection import TrackedTweet
from engagement.errors import DamagedData
from engagement.store import Store
from engagement.store._farming import FarmingAsk, FarmingState, Refusal, ReplyMark
from engagement.x.models import Tweet
from rules.farming import (
    COOLDOWN,
    DAILY_CAP,
    DAY_SECONDS,
    REPEAT_WINDOW_SECONDS,
    REPEATED_REPLY,
    FarmingRules,
    day_start,
    farming_rules,
    fingerprint,
    reply_refusal,
    too_soon,
)

REPLY = "reply"
DAMAGED = "damaged"  # a verdict: a key the rules need is damaged, so the engagement waits (recorded as an error)


@dataclass
class _Verdict:
    rule: str = ""  # the rule it breaks, DAMAGED, or '' when it may be paid
    recorded: bool = False  # the same refusal is on record already (a re-read): neither written nor counted
    reply: Tweet | None = None  # the reply it is paid for, whose fingerprint is remembered
    mark: str = ""


class FarmingFilter:
    """One batch's view of its community's anti-farming rules, and what it counted so far."""

    def __init__(self, store: Store, tally: BatchTally) -> None:
        self.store = store
        self.tally = tally
        self.rules: FarmingRules | None = None
        self.day_awards: dict[tuple[str, float], int] = {}  # (member, UTC day start) -> awards that day
        self.replies: dict[str, dict[str, set[str]]] = {}  # member -> fingerprint -> posts they said it on

    async def check(
        self, item: TrackedTweet, kind: str, members: Mapping[str, str], posts: Sequence[Tweet]
    ) -> FarmingCheck:
        """The verdicts on the linked engagers `members` (X id -> member) of one post and kind."""
        rules = await self._rules()
        if not rules.in_batch or not members:
            return FarmingCheck(self, item, kind, {})
        state = await self.store.farming_state(self._ask(rules, item, kind, members))
        self._remember(state)
        judge = _Judge(self, rules, item, kind, posts, state)
        return FarmingCheck(self, item, kind, {x: judge.verdict(x, member) for x, member in members.items()})

    async def _rules(self) -> FarmingRules:
        if self.rules is None:
            try:
                self.rules, problems = farming_rules(await self.store.farming_config())
            except DamagedData as error:
                self.rules, problems = FarmingRules(), [f"{error}"]
            for problem in problems:
                self.tally.error(f"anti-farming rule ignored: {problem}")
        return self.rules

    def today(self) -> float:
        return day_start(self.store.now())

    def _ask(self, rules: FarmingRules, item: TrackedTweet, kind: str, members: Mapping[str, str]) -> FarmingAsk:
        today = self.today()
        ids = sorted(set(members.values()))
        day_members = [m for m in ids if (m, today) not in self.day_awards] if rules.daily_award_cap else []
        repeats = rules.reject_repeated_replies and kind == REPLY
        reply_members = [m for m in ids if m not in self.replies] if repeats else []
        since = self.store.now() - REPEAT_WINDOW_SECONDS
        day = (today, today + DAY_SECONDS)
        return FarmingAsk(item.tweet_id, kind, list(members), day, day_members, reply_members, since)

    def _remember(self, state: FarmingState) -> None:
        """Counts read for members not seen yet this batch (a damaged key is reported where it is used)."""
        today = self.today()
        for member, count in state.day_awards.items():
            if not isinstance(count, DamagedData):
                self.day_awards[(member, today)] = count
        for member, marks in state.replies.items():
            if not isinstance(marks, DamagedData):
                said = self.replies.setdefault(member, {})
                for mark, tweet_id in marks:
                    said.setdefault(mark, set()).add(tweet_id)


@dataclass
class _Judge:
    """The rules applied to one post's engagers of one kind."""

    owner: FarmingFilter
    rules: FarmingRules
    item: TrackedTweet
    kind: str
    posts: Sequence[Tweet]
    state: FarmingState

    def verdict(self, engager: str, member: str) -> _Verdict:
        if engager in self.state.awarded:
            return _Verdict()  # paid before: the award step finds it so and pays nothing
        refused = self.state.refused
        if isinstance(refused, DamagedData):
            return self._damaged(member, refused)
        found = self._own_posts(engager, member)
        if not found.rule and self.rules.daily_award_cap:
            found = self._capped(member, refused.get(engager, ""), found)
        found.recorded = bool(found.rule) and refused.get(engager) == found.rule
        return found

    def _own_posts(self, engager: str, member: str) -> _Verdict:
        """The engager's own posts of this kind: paid when one of them keeps every rule, else the first one's rule."""
        own = [post for post in self.posts if post.author_id == engager]
        first = ""
        for post in own:
            rule = self._post_rule(post, member)
            if rule == DAMAGED:
                return self._damaged(member, self.state.replies[member])
            if not rule:
                return _Verdict(reply=post, mark=fingerprint(post.text)) if self.kind == REPLY else _Verdict()
            first = first or rule
        return _Verdict(rule=first)

    def _post_rule(self, post: Tweet, member: str) -> str:
        if too_soon(self.rules, self.item.submission.submitted_at, post.created_at.timestamp()):
            return COOLDOWN
        if self.kind != REPLY:
            return ""
        rule = reply_refusal(self.rules, post.text)
        if rule or not self.rules.reject_repeated_replies:
            return rule
        if isinstance(self.state.replies.get(member), DamagedData):
            return DAMAGED
        mark = fingerprint(post.text)
        elsewhere = self.owner.replies.get(member, {}).get(mark, set()) - {self.item.tweet_id}
        return REPEATED_REPLY if mark and elsewhere else ""

    def _capped(self, member: str, recorded: str, found: _Verdict) -> _Verdict:
        """The daily cap: a refusal stands once made (a list read again the next day must not pay it then)."""
        count = self.state.day_awards.get(member)
        if isinstance(count, DamagedData):
            return self._damaged(member, count)
        if recorded == DAILY_CAP:
            return _Verdict(rule=DAILY_CAP)
        if self.owner.day_awards.get((member, self.owner.today()), 0) >= self.rules.daily_award_cap:
            return _Verdict(rule=DAILY_CAP)
        return found

    def _damaged(self, member: str, error: object) -> _Verdict:
        self.owner.tally.error(f"no {self.kind} award to member {member} on tweet {self.item.tweet_id}: {error}")
        return _Verdict(rule=DAMAGED)


@dataclass
class FarmingCheck:
    """The verdicts of one award step, and the writes they lead to (sent by `save`)."""

    owner: FarmingFilter
    item: TrackedTweet
    kind: str
    verdicts: dict[str, _Verdict]
    refusals: list[Refusal] = field(default_factory=list)
    marks: list[ReplyMark] = field(default_factory=list)

    def refuses(self, engager: str) -> bool:
        """Whether a rule makes this engagement earn nothing (recorded for /why and counted, once)."""
        verdict = self.verdicts.get(engager)
        if verdict is None or not verdict.rule:
            return False
        if verdict.rule != DAMAGED and not verdict.recorded:
            self.refusals.append(Refusal(self.item.tweet_id, engager, self.kind, verdict.rule))
            self.owner.tally.awards_refused_by_rule += 1
        return True

    def settled(self, engager: str, discord_id: str, *, paid: bool) -> None:
        """After the award step: a paid award counts towards the member's day, a paid reply's text is remembered."""
        verdict = self.verdicts.get(engager)
        if verdict is None or not paid:
            return
        owner = self.owner
        day = (discord_id, owner.today())
        if day in owner.day_awards:
            owner.day_awards[day] += 1
        if verdict.reply is not None and verdict.mark and owner.rules and owner.rules.reject_repeated_replies:
            owner.replies.setdefault(discord_id, {}).setdefault(verdict.mark, set()).add(self.item.tweet_id)
            at = verdict.reply.created_at.timestamp()
            self.marks.append(ReplyMark(discord_id, verdict.mark, self.item.tweet_id, at))

    async def save(self) -> None:
        """Write the refusals and reply marks of this step in one pipeline; a damaged key is recorded."""
        for problem in await self.owner.store.save_farming(self.refusals, self.marks):
            self.owner.tally.error(f"anti-farming record not saved on tweet {self.item.tweet_id}: {problem}")
        self.refusals, self.marks = [], []
