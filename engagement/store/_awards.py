"""Awards: the one atomic, exactly-once write, and the reads behind /stats and /leaderboard."""

from __future__ import annotations

from datetime import UTC, datetime

from engagement.keys import award_log_id, iso_week
from engagement.models import Award, AwardLog, LeaderboardEntry
from engagement.store._base import ArgT, StoreBase, as_int, text_map, texts

WEEKLY_BOARD_TTL = 8 * 7 * 24 * 3600

# The log key doubles as the exactly-once guard: its id is (tweet, X user, type).
# Everything an award touches is written here or not at all; nothing is paid for an
# engager no longer linked to that member, or for a tweet no longer tracked.
AWARD_LUA = """
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
if redis.call('GET', KEYS[7]) ~= ARGV[1] then return -1 end
if redis.call('EXISTS', KEYS[8]) == 0 then return -2 end
redis.call('HSET', KEYS[1], 'discord_id', ARGV[1], 'tweet_id', ARGV[2], 'type', ARGV[3],
  'points', ARGV[4], 'tier', ARGV[5], 'batch_id', ARGV[6], 'awarded_at', ARGV[7])
redis.call('ZADD', KEYS[2], ARGV[7], ARGV[8])
redis.call('ZADD', KEYS[3], ARGV[7], ARGV[8])
redis.call('HINCRBY', KEYS[4], 'points', ARGV[4])
redis.call('HINCRBY', KEYS[4], 'count_' .. ARGV[3], 1)
redis.call('ZINCRBY', KEYS[5], ARGV[4], ARGV[1])
redis.call('ZINCRBY', KEYS[6], ARGV[4], ARGV[1])
redis.call('EXPIRE', KEYS[6], ARGV[9])
return 1
"""

AWARDED = 1
ALREADY_AWARDED = 0
NOT_LINKED = -1
NOT_TRACKED = -2  # the submission was deleted by an admin while a batch was running


def _log_from_hash(log_id: str, raw: dict[str, str]) -> AwardLog:
    return AwardLog(
        id=log_id,
        discord_id=raw.get("discord_id", ""),
        tweet_id=raw.get("tweet_id", ""),
        type=raw.get("type", ""),
        points=as_int(raw.get("points")),
        tier=as_int(raw.get("tier")),
        batch_id=raw.get("batch_id", ""),
        awarded_at=as_int(raw.get("awarded_at")),
        reason=raw.get("reason", ""),
    )


class AwardsMixin(StoreBase):
    def week(self, at: float | None = None) -> str:
        return iso_week(datetime.fromtimestamp(self.now() if at is None else at, UTC))

    async def award_engagement(self, award: Award) -> int:
        """Pay one engagement exactly once, atomically.

        Returns AWARDED, ALREADY_AWARDED, NOT_LINKED when the X account is no longer
        linked to that member, or NOT_TRACKED when the tweet's submission was deleted
        (nothing is written then).
        """
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
            k.x_user(award.x_user_id),
            k.tweet_id(award.tweet_id),
        ]
        args: list[ArgT] = [award.discord_id, award.tweet_id, award.type, award.points, award.tier]
        args += [award.batch_id, now, log_id, WEEKLY_BOARD_TTL]
        return int(await self.script(AWARD_LUA)(keys=keys, args=args))

    async def is_awarded(self, tweet_id: str, x_user_id: str, engagement_type: str) -> bool:
        key = self.keys.log(award_log_id(tweet_id, x_user_id, engagement_type))
        return bool(await self.redis.exists(key))

    async def recent_logs(self, discord_id: str, count: int = 5) -> list[AwardLog]:
        ids = await self.redis.zrevrange(self.keys.user_logs(discord_id), 0, count - 1)
        return await self.logs_by_id(texts(ids))

    async def logs_by_id(self, ids: list[str]) -> list[AwardLog]:
        async with self.redis.pipeline(transaction=False) as pipe:
            for log_id in ids:
                pipe.hgetall(self.keys.log(log_id))
            raws = await pipe.execute()
        return [_log_from_hash(log_id, text_map(raw)) for log_id, raw in zip(ids, raws, strict=True) if raw]

    async def tweet_log_ids(self, tweet_id: str) -> list[str]:
        return texts(await self.redis.zrange(self.keys.tweet_logs(tweet_id), 0, -1))

    def _board(self, weekly: bool) -> str:
        return self.keys.leaderboard_weekly(self.week()) if weekly else self.keys.leaderboard_alltime()

    async def leaderboard_page(self, weekly: bool, start: int, count: int) -> tuple[list[LeaderboardEntry], int]:
        """`count` entries from rank `start` (0-based), and the board's size."""
        board = self._board(weekly)
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
        board = self._board(weekly)
        async with self.redis.pipeline(transaction=False) as pipe:
            pipe.zrevrank(board, discord_id)
            pipe.zscore(board, discord_id)
            rank, score = await pipe.execute()
        return (None if rank is None else int(rank) + 1), int(score or 0)
