"""Anti-farming: what the batch reads before it pays (the member's awards that day, their recent replies, the
engagements refused before) and what it remembers (refusals for /why, the fingerprints of paid replies)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from redis.exceptions import ResponseError

from engagement.errors import DamagedData
from engagement.keys import award_log_id, split_award_log_id
from engagement.settings import MAX_WINDOW_HOURS
from engagement.store._base import ArgT, StoreBase, damage_from, text, text_map, texts
from engagement.store._lua import checked

# A refusal is read by /why while its post is tracked and for a week after; the longest window there can be.
REFUSED_TTL = MAX_WINDOW_HOURS * 3600 + 7 * 86400
REPLY_MARKS_TTL = 7 * 86400

# KEYS: the post's refusals. ARGV: field (`{xUserId}-{type}`), rule code, TTL.
REFUSE_LUA = checked("""
local bad = want(KEYS[1], 'hash')
if bad then return {'damaged', bad} end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('EXPIRE', KEYS[1], ARGV[3])
return 1
""")

# KEYS: the member's reply marks. ARGV: reply time, `{fingerprint}:{tweetId}`, forget before, TTL.
MARK_REPLY_LUA = checked("""
local bad = want(KEYS[1], 'zset')
if bad then return {'damaged', bad} end
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[3])
redis.call('EXPIRE', KEYS[1], ARGV[4])
return 1
""")


@dataclass(frozen=True)
class FarmingAsk:
    """What one award step needs to know: about its engagers, and about members not read yet this batch."""

    tweet_id: str
    kind: str
    engagers: Sequence[str]
    day: tuple[float, float] = (0.0, 0.0)  # [start, end) of the UTC day whose awards are counted
    day_members: Sequence[str] = ()
    reply_members: Sequence[str] = ()
    replies_since: float = 0.0


@dataclass
class FarmingState:
    awarded: set[str] = field(default_factory=set)  # engagers already paid for this kind on this post
    refused: dict[str, str] | DamagedData = field(default_factory=dict)  # engager -> rule recorded before
    day_awards: dict[str, int | DamagedData] = field(default_factory=dict)  # member -> awards that day
    # member -> (fingerprint, tweet id) of each of their replies paid since `replies_since`
    replies: dict[str, list[tuple[str, str]] | DamagedData] = field(default_factory=dict)


@dataclass(frozen=True)
class Refusal:
    tweet_id: str
    x_user_id: str
    kind: str
    rule: str


@dataclass(frozen=True)
class ReplyMark:
    discord_id: str
    fingerprint: str
    tweet_id: str
    at: float


def _replies(raw: list[str]) -> list[tuple[str, str]]:
    return [(mark, tweet) for mark, _, tweet in (entry.partition(":") for entry in raw)]


class FarmingMixin(StoreBase):
    async def farming_config(self) -> dict[str, str]:
        """The community's run-time config (the rules are part of it); DamagedData when it is not a hash."""
        return await self.read_hash(self.keys.config())

    async def farming_state(self, ask: FarmingAsk) -> FarmingState:
        """Everything `ask` needs, in one round trip; a wrong-typed key is DamagedData where it is used."""
        k = self.keys
        refused_key = k.refused(ask.tweet_id)
        names = [f"{engager}-{ask.kind}" for engager in ask.engagers]
        async with self.redis.pipeline(transaction=False) as pipe:
            for engager in ask.engagers:
                pipe.exists(k.log(award_log_id(ask.tweet_id, engager, ask.kind)))
            pipe.hgetall(refused_key)
            for member in ask.day_members:
                pipe.zrangebyscore(k.user_logs(member), ask.day[0], f"({ask.day[1]}")
            for member in ask.reply_members:
                pipe.zrangebyscore(k.reply_marks(member), ask.replies_since, "+inf")
            replies = await pipe.execute(raise_on_error=False)
        count = len(ask.engagers)
        paid = zip(ask.engagers, replies[:count], strict=True)
        state = FarmingState(awarded={engager for engager, found in paid if found == 1})
        raw_refused = replies[count]
        if isinstance(raw_refused, ResponseError):
            state.refused = damage_from(refused_key, "hash", raw_refused)
        else:
            stored = text_map(raw_refused)
            pairs = zip(ask.engagers, names, strict=True)
            state.refused = {engager: stored[name] for engager, name in pairs if name in stored}
        split = count + 1 + len(ask.day_members)
        day_replies, reply_replies = replies[count + 1 : split], replies[split:]
        for member, raw in zip(ask.day_members, day_replies, strict=True):
            if isinstance(raw, ResponseError):
                state.day_awards[member] = damage_from(k.user_logs(member), "sorted set", raw)
            else:  # award logs only: a manual adjustment is not an award
                state.day_awards[member] = sum(1 for log_id in texts(raw) if split_award_log_id(log_id))
        for member, raw in zip(ask.reply_members, reply_replies, strict=True):
            if isinstance(raw, ResponseError):
                state.replies[member] = damage_from(k.reply_marks(member), "sorted set", raw)
            else:
                state.replies[member] = _replies(texts(raw))
        return state

    async def save_farming(self, refusals: Sequence[Refusal], marks: Sequence[ReplyMark]) -> list[str]:
        """Record refusals and paid replies' fingerprints in one pipeline; the problem of each one not written."""
        if not refusals and not marks:
            return []
        refuse, mark = self.script(REFUSE_LUA), self.script(MARK_REPLY_LUA)
        forget_before = self.now() - REPLY_MARKS_TTL
        async with self.redis.pipeline(transaction=False) as pipe:
            for refusal in refusals:
                args: list[ArgT] = [f"{refusal.x_user_id}-{refusal.kind}", refusal.rule, REFUSED_TTL]
                await refuse(keys=[self.keys.refused(refusal.tweet_id)], args=args, client=pipe)
            for reply in marks:
                args = [reply.at, f"{reply.fingerprint}:{reply.tweet_id}", forget_before, REPLY_MARKS_TTL]
                await mark(keys=[self.keys.reply_marks(reply.discord_id)], args=args, client=pipe)
            results = await pipe.execute(raise_on_error=False)
        return [_problem(result) for result in results if _problem(result)]

    async def refused_engagements(self, tweet_id: str, x_user_ids: Sequence[str]) -> dict[tuple[str, str], str]:
        """(X account, type) -> the rule that made it earn nothing on this post, for the accounts asked."""
        raw = await self.read_hash(self.keys.refused(tweet_id))
        wanted = set(x_user_ids)
        found = {}
        for name, rule in raw.items():
            x_user, _, kind = name.partition("-")
            if x_user in wanted:
                found[(x_user, kind)] = rule
        return found


def _problem(result: object) -> str:
    if isinstance(result, ResponseError):
        return str(result)
    if isinstance(result, list) and len(result) == 2 and text(result[0]) == "damaged":
        return str(text(result[1]))
    return ""
