"""Submissions: atomic create (duplicate check + daily limit), reads, scan state."""

from __future__ import annotations

from engagement.errors import Refused
from engagement.models import Submission, SubmissionDraft
from engagement.store._base import ArgT, StoreBase, as_int, text, text_map, texts

DAILY_COUNTER_TTL = 2 * 24 * 3600
SUBMISSION_FIELDS = (
    "id",
    "tweet_id",
    "url",
    "author_x_id",
    "author_handle",
    "submitter_discord_id",
    "category",
    "submitted_at",
)

# Duplicate check, daily limit and the writes in one step: two members racing
# with the same tweet, or one member racing with their last slot, cannot both win.
CREATE_SUBMISSION_LUA = """
local first = redis.call('GET', KEYS[1])
if first then return {'duplicate', first} end
local used = tonumber(redis.call('GET', KEYS[4]) or '0')
if used >= tonumber(ARGV[9]) then return {'limit', tostring(used)} end
redis.call('SET', KEYS[1], ARGV[1])
redis.call('HSET', KEYS[2], 'id', ARGV[1], 'tweet_id', ARGV[2], 'url', ARGV[3], 'author_x_id', ARGV[4],
  'author_handle', ARGV[5], 'submitter_discord_id', ARGV[6], 'category', ARGV[7], 'submitted_at', ARGV[8])
redis.call('ZADD', KEYS[3], ARGV[8], ARGV[1])
used = redis.call('INCR', KEYS[4])
redis.call('EXPIRE', KEYS[4], ARGV[10])
return {'ok', tostring(used)}
"""


def submission_from_hash(raw: dict[str, str]) -> Submission:
    """Build a Submission; raises KeyError/ValueError on a damaged hash."""
    return Submission(
        id=raw["id"],
        tweet_id=raw["tweet_id"],
        url=raw["url"],
        author_x_id=raw["author_x_id"],
        author_handle=raw["author_handle"],
        submitter_discord_id=raw["submitter_discord_id"],
        category=raw["category"],
        submitted_at=int(raw["submitted_at"]),
    )


# An admin may delete the submission while a batch runs: never recreate a partial hash.
UPDATE_IF_PRESENT_LUA = """
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], unpack(ARGV))
return 1
"""


class SubmissionLimitReached(Refused):
    def __init__(self, used: int) -> None:
        if used == 0:
            message = "Your tier cannot submit tweets at the moment (its daily limit is 0). Ask an admin."
        else:
            message = f"You have used all {used} of today's submissions; the count resets at 00:00 UTC."
        super().__init__(message)
        self.used = used


class DuplicateSubmission(Refused):
    def __init__(self, first: Submission | None) -> None:
        who = f" by <@{first.submitter_discord_id}>" if first else ""
        super().__init__(f"That tweet was already submitted{who}.")
        self.first = first


class SubmissionsMixin(StoreBase):
    def utc_day(self) -> str:
        from datetime import UTC, datetime

        return datetime.fromtimestamp(self.now(), UTC).strftime("%Y-%m-%d")

    async def daily_submissions_used(self, discord_id: str) -> int:
        return as_int(await self.redis.get(self.keys.daily_submissions(discord_id, self.utc_day())))

    async def create_submission(self, draft: SubmissionDraft, daily_limit: int) -> tuple[Submission, int]:
        """Store a submission; returns it and how many the member has used today."""
        submission_id = str(await self.redis.incr(self.keys.submission_sequence()))
        now = int(self.now())
        k = self.keys
        keys = [k.tweet_id(draft.tweet_id), k.tweet(submission_id), k.tweets_recent()]
        keys.append(k.daily_submissions(draft.submitter_discord_id, self.utc_day()))
        args: list[ArgT] = [submission_id, draft.tweet_id, draft.url, draft.author_x_id, draft.author_handle]
        args += [draft.submitter_discord_id, draft.category, now, daily_limit, DAILY_COUNTER_TTL]
        status, detail = texts(await self.script(CREATE_SUBMISSION_LUA)(keys=keys, args=args))
        if status == "duplicate":
            raise DuplicateSubmission(await self.get_submission(detail))
        if status == "limit":
            raise SubmissionLimitReached(int(detail))
        return submission_from_hash(dict(zip(SUBMISSION_FIELDS, map(str, args[:8]), strict=True))), int(detail)

    async def get_submission(self, submission_id: str) -> Submission | None:
        raw = text_map(await self.redis.hgetall(self.keys.tweet(submission_id)))
        try:
            return submission_from_hash(raw)
        except (KeyError, ValueError):
            return None

    async def submission_for_tweet(self, tweet_id: str) -> Submission | None:
        submission_id = text(await self.redis.get(self.keys.tweet_id(tweet_id)))
        return await self.get_submission(submission_id) if submission_id else None

    async def recent_submission_ids(self, since: float) -> list[str]:
        """Ids of submissions tracked since `since` (epoch seconds), oldest first."""
        return texts(await self.redis.zrangebyscore(self.keys.tweets_recent(), since, "+inf"))

    async def submission_hashes(self, submission_ids: list[str]) -> list[dict[str, str]]:
        async with self.redis.pipeline(transaction=False) as pipe:
            for submission_id in submission_ids:
                pipe.hgetall(self.keys.tweet(submission_id))
            return [text_map(raw) for raw in await pipe.execute()]

    async def update_submission_fields(self, submission_id: str, fields: dict[str, ArgT]) -> None:
        """Scan state the worker keeps on the tweet hash (last metrics, since ids); a deleted one stays deleted."""
        if fields:
            args: list[ArgT] = [part for pair in fields.items() for part in pair]
            await self.script(UPDATE_IF_PRESENT_LUA)(keys=[self.keys.tweet(submission_id)], args=args)

    async def expire_from_scan(self, before: float) -> int:
        """Drop submissions older than `before` from the scan set; their hashes and logs stay."""
        return int(await self.redis.zremrangebyscore(self.keys.tweets_recent(), "-inf", f"({before}"))
