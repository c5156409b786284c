"""Awards: the one atomic, exactly-once write, and the reads behind /stats and /leaderboard."""

from __future__ import annotations

from datetime import UTC, datetime

from engagement.errors import DamagedData
from engagement.keys import award_log_id, iso_week, split_award_log_id
from engagement.models import Award, AwardLog, LeaderboardEntry
from engagement.platforms import X, platform_of
from engagement.store._base import ArgT, StoreBase, as_int, hash_or_damage, text, texts
from engagement.store._lua import checked

WEEKLY_BOARD_TTL = 8 * 7 * 24 * 3600
MAX_PAST_ACCOUNTS = 50  # past X accounts a member may have linked; each adds one guard key to an award

# One TYPE per key and one HMGET of the member check everything before the first write (the award is
# the hottest script, so it does not use the generic guards' extra reads).
# Exactly once per (tweet, X account, type): the log key, whose id is that triple. Exactly once per
# (tweet, member, type): the logs of the member's earlier X accounts (KEYS[9..], built from the
# connection's `past_x_ids` as the caller read it; a stale read returns STALE and is redone).
# Nothing is paid for an engager no longer linked to that member, or for a tweet no longer tracked.
# Then, optionally: the open season (its record, board, team board and the member -> team hash: the award
# counts for the season, and for the member's team at that moment, only inside the season's [start, end),
# read here to the second), and the boards of the campaigns the post is in (the points already carry their
# multiplier, which the log records with the campaigns).
# The log keeps only what its id and indexes do not say (tweet and type are in the id, the time is
# its score in both indexes), and the tweet's index stores `{xUser}-{type}` (the tweet is in the
# index's name): all to keep a log small.
AWARD_LUA = checked("""
local npast = tonumber(ARGV[12]) or 0
local wanted = {'hash', 'zset', 'zset', 'hash', 'zset', 'zset', 'string', 'string'}
local at = 9 + npast
if ARGV[13] ~= '' then  -- a season is open: its record, board, team board, the member -> team hash
  wanted[at], wanted[at + 1], wanted[at + 2], wanted[at + 3] = 'hash', 'zset', 'zset', 'hash'
end
local types = {}
for i = 1, #KEYS do
  local found, kind = redis.call('TYPE', KEYS[i])['ok'], wanted[i] or (i < at and 'hash' or 'zset')
  if found ~= 'none' and found ~= kind then return {'damaged', KEYS[i] .. ' is a ' .. found .. ', not a ' .. kind} end
  types[i] = found
end
if types[1] ~= 'none' then return 0 end
if redis.call('GET', KEYS[7]) ~= ARGV[1] then return -1 end
if types[8] == 'none' then return -2 end
local member = redis.call('HMGET', KEYS[4], 'discord_id', 'points', 'count_' .. ARGV[3], 'past_x_ids')
if not member[1] then return {'damaged', KEYS[4] .. ' has no discord_id'} end
if member[2] and not is_int(member[2]) then return {'damaged', KEYS[4] .. ' field points is not an integer'} end
if member[3] and not is_int(member[3]) then
  return {'damaged', KEYS[4] .. ' field count_' .. ARGV[3] .. ' is not an integer'}
end
if (member[4] or '') ~= ARGV[10] then return -3 end
for i = 9, 8 + npast do
  if types[i] ~= 'none' then return 0 end
end
local season, team = nil, nil
if ARGV[13] ~= '' then  -- counted in the season only inside [start, end), to the second of the award
  local s = redis.call('HMGET', KEYS[at], 'start', 'end')
  local now = tonumber(ARGV[7])
  if tonumber(s[1] or '') and tonumber(s[2] or '') and tonumber(s[1]) <= now and now < tonumber(s[2]) then
    season = ARGV[13]
    team = redis.call('HGET', KEYS[at + 3], ARGV[1])
  end
  at = at + 4
end
redis.call('HSET', KEYS[1], 'discord_id', ARGV[1], 'points', ARGV[4], 'tier', ARGV[5], 'batch_id', ARGV[6])
if ARGV[14] ~= '' then redis.call('HSET', KEYS[1], 'multiplier', ARGV[14], 'campaigns', ARGV[15]) end
redis.call('ZADD', KEYS[2], ARGV[7], ARGV[8])
redis.call('ZADD', KEYS[3], ARGV[7], ARGV[11])
redis.call('HINCRBY', KEYS[4], 'points', ARGV[4])
redis.call('HINCRBY', KEYS[4], 'count_' .. ARGV[3], 1)
redis.call('ZINCRBY', KEYS[5], ARGV[4], ARGV[1])
redis.call('ZINCRBY', KEYS[6], ARGV[4], ARGV[1])
redis.call('EXPIRE', KEYS[6], ARGV[9])
if season then
  redis.call('ZINCRBY', KEYS[at - 3], ARGV[4], ARGV[1])
  redis.call('HSET', KEYS[1], 'season', season)
  if team then
    redis.call('ZINCRBY', KEYS[at - 2], ARGV[4], team)
    redis.call('HSET', KEYS[1], 'team', team)
  end
end
for i = at, #KEYS do redis.call('ZINCRBY', KEYS[i], ARGV[4], ARGV[1]) end
return 1
""")

AWARDED = 1
ALREADY_AWARDED = 0  # this X account, or this member through another account, was paid for it already
NOT_LINKED = -1
NOT_TRACKED = -2  # the submission was deleted by an admin while a batch was running
STALE = -3  # the member's past accounts changed since they were read (a relink raced the award)


def past_accounts(raw: str | None) -> tuple[str, ...]:
    """The connection's `past_x_ids` field: the X accounts the member linked before the current one."""
    return tuple(part for part in (raw or "").split(",") if part)


def tweet_log_entry(log_id: str) -> str:
    """What `{p}:tweet:{tweetId}:logs` stores for an award log id: the id without its tweet."""
    return log_id.split("-", 1)[1]


def full_log_ids(tweet_id: str, entries: list[str]) -> list[str]:
    """The award log ids behind a tweet's index entries (older awards stored the whole id)."""
    return [entry if split_award_log_id(entry) else f"{tweet_id}-{entry}" for entry in entries]


def _log_from_hash(log_id: str, raw: dict[str, str]) -> AwardLog:
    # Logs since the per-member guard keep tweet and type only in their id; older ones hold both fields.
    tweet_id, _, kind = split_award_log_id(log_id) or ("", "", "")
    return AwardLog(
        id=log_id,
        discord_id=raw.get("discord_id", ""),
        tweet_id=raw.get("tweet_id", tweet_id),
        type=raw.get("type", kind),
        points=as_int(raw.get("points")),
        tier=as_int(raw.get("tier")),
        batch_id=raw.get("batch_id", ""),
        awarded_at=as_int(raw.get("awarded_at")),
        reason=raw.get("reason", ""),
        revoked_at=as_int(raw.get("revoked_at")),
        multiplier=raw.get("multiplier", ""),
        campaigns=raw.get("campaigns", ""),
        season=raw.get("season", ""),
        team=raw.get("team", ""),
    )


class AwardsMixin(StoreBase):
    def week(self, at: float | None = None) -> str:
        return iso_week(datetime.fromtimestamp(self.now() if at is None else at, UTC))

    async def award_engagement(self, award: Award) -> int:
        """Pay one engagement exactly once, atomically.

        Returns AWARDED, ALREADY_AWARDED, NOT_LINKED when the X account is no longer
        linked to that member, or NOT_TRACKED when the tweet's submission was deleted
        (nothing is written then). Raises DamagedData, having written nothing, when a key
        it needs is damaged.
        """
        past = award.past_x_ids
        for _ in range(3):
            result = await self._award_once(award, past)
            if result != STALE:
                return result
            past = past_accounts(text(await self.redis.hget(self.keys.connection(award.discord_id), "past_x_ids")))
        return STALE

    async def _award_once(self, award: Award, past: tuple[str, ...]) -> int:
        log_id = award_log_id(award.tweet_id, award.x_user_id, award.type)
        now = int(self.now())
        k = self.keys
        keys = [
            k.log(log_id),
            k.user_logs(award.discord_id),
            k.tweet_logs(award.tweet_id),
            k.connection(award.discord_id),
            k.leaderboard_alltime(),
            k.leaderboard_weekly(self.week(now)),
            k.account(award.x_user_id),
            k.tweet_id(award.tweet_id),
        ]
        # The member's earlier X accounts guard X posts; a Threads award's guard is its (post, username, type).
        earlier = past if platform_of(award.tweet_id) == X else ()
        guards = [k.log(award_log_id(award.tweet_id, x, award.type)) for x in earlier if x != award.x_user_id]
        keys += guards
        args: list[ArgT] = [award.discord_id, award.tweet_id, award.type, award.points, award.tier]
        args += [award.batch_id, now, log_id, WEEKLY_BOARD_TTL, ",".join(past), tweet_log_entry(log_id)]
        args += [len(guards), award.season_id, award.multiplier, ",".join(award.campaign_ids)]
        if award.season_id:
            season = award.season_id
            keys += [k.season(season), k.season_board(season), k.season_teams(season), k.member_teams()]
        keys += [k.campaign_board(campaign) for campaign in award.campaign_ids]
        return int(await self.run(AWARD_LUA, keys, args))

    async def is_awarded(self, tweet_id: str, x_user_id: str, engagement_type: str) -> bool:
        key = self.keys.log(award_log_id(tweet_id, x_user_id, engagement_type))
        return bool(await self.redis.exists(key))

    async def recent_logs(self, discord_id: str, count: int = 5) -> list[AwardLog]:
        """The member's newest logs; a damaged one is left out rather than failing /stats."""
        ids = await self.redis.zrevrange(self.keys.user_logs(discord_id), 0, count - 1)
        return await self.logs_by_id(texts(ids), skip_damaged=True)

    async def member_logs_between(self, discord_id: str, start: float, end: float) -> list[AwardLog]:
        """The member's award logs (and adjustments) made in [start, end)."""
        ids = await self.redis.zrangebyscore(self.keys.user_logs(discord_id), start, f"({end}")
        return await self.logs_by_id(texts(ids), skip_damaged=True)

    async def logs_by_id(self, ids: list[str], *, skip_damaged: bool = False) -> list[AwardLog]:
        """The logs that exist among `ids`; a wrong-typed one raises DamagedData unless `skip_damaged`."""
        awards = [(log_id, parts[0]) for log_id in ids if (parts := split_award_log_id(log_id))]
        async with self.redis.pipeline(transaction=False) as pipe:
            for log_id in ids:
                pipe.hgetall(self.keys.log(log_id))
            for log_id, tweet_id in awards:  # an award's time is its score in the tweet's index (kept when revoked)
                pipe.zscore(self.keys.tweet_logs(tweet_id), tweet_log_entry(log_id))
            replies = await pipe.execute(raise_on_error=False)
        times = dict(zip((log_id for log_id, _ in awards), replies[len(ids) :], strict=True))
        logs = []
        for log_id, raw in zip(ids, replies[: len(ids)], strict=True):
            try:
                log = self._parsed_log(log_id, hash_or_damage(self.keys.log(log_id), raw), times.get(log_id))
            except DamagedData:
                if skip_damaged:
                    continue
                raise
            if log:
                logs.append(log)
        return logs

    def _parsed_log(self, log_id: str, found: dict[str, str] | DamagedData, score: object) -> AwardLog | None:
        if isinstance(found, DamagedData):
            raise found
        if found and "awarded_at" not in found and isinstance(score, float):  # newer awards: time in the index
            found = {**found, "awarded_at": str(int(score))}
        try:
            return _log_from_hash(log_id, found) if found else None
        except ValueError as error:
            raise DamagedData(f"{self.keys.log(log_id)} has a number field that is not a number") from error

    async def tweet_log_ids(self, tweet_id: str) -> list[str]:
        """The tweet's award log ids (its index holds `{xUser}-{type}`, or the whole id for older awards)."""
        return full_log_ids(tweet_id, await self.zset_members(self.keys.tweet_logs(tweet_id)))

    def _board(self, weekly: bool) -> str:
        return self.keys.leaderboard_weekly(self.week()) if weekly else self.keys.leaderboard_alltime()

    async def leaderboard_page(self, weekly: bool, start: int, count: int) -> tuple[list[LeaderboardEntry], int]:
        """`count` entries from rank `start` (0-based), and the board's size."""
        return await self.board_page(self._board(weekly), start, count)

    async def board_page(self, board: str, start: int, count: int) -> tuple[list[LeaderboardEntry], int]:
        """`count` entries of any board (a zset of member -> points) from rank `start`, and its size."""
        async with self.redis.pipeline(transaction=False) as pipe:
            pipe.zrevrange(board, start, start + count - 1, withscores=True)
            pipe.zcard(board)
            rows, total = await pipe.execute()
        entries = [
            LeaderboardEntry(rank=start + i + 1, discord_id=str(member), points=int(score))
            for i, (member, score) in enumerate(rows)
        ]
        return entries, int(total)

    async def rank_and_points(self, discord_id: str, weekly: bool) -> tuple[int | None, int]:
        """1-based rank (None when absent) and points on one board."""
        return await self.board_rank(self._board(weekly), discord_id)

    async def board_rank(self, board: str, discord_id: str) -> tuple[int | None, int]:
        """1-based rank (None when absent) and points of a member on any board."""
        async with self.redis.pipeline(transaction=False) as pipe:
            pipe.zrevrank(board, discord_id)
            pipe.zscore(board, discord_id)
            rank, score = await pipe.execute()
        return (None if rank is None else int(rank) + 1), int(score or 0)
