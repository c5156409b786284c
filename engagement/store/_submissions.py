"""Submissions: atomic create (duplicate check + daily limit), reads, scan state."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from redis.exceptions import ResponseError

from engagement.errors import DamagedData, EngagementError, Refused
from engagement.models import Submission, SubmissionDraft
from engagement.store._base import ArgT, StoreBase, as_int, hash_or_damage, text, texts
from engagement.store._lua import DAMAGED, checked

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
CREATE_SUBMISSION_LUA = checked("""
local bad = want(KEYS[1], 'string') or want(KEYS[2], 'hash') or want(KEYS[3], 'zset') or want_int_string(KEYS[4])
if not bad and KEYS[5] then bad = want(KEYS[5], 'string') end
if bad then return {'damaged', bad} end
local first = redis.call('GET', KEYS[1])
if first then return {'duplicate', first} end
local used = tonumber(redis.call('GET', KEYS[4]) or '0')
if used >= tonumber(ARGV[9]) then return {'limit', tostring(used)} end
redis.call('SET', KEYS[1], ARGV[1])
redis.call('HSET', KEYS[2], 'id', ARGV[1], 'tweet_id', ARGV[2], 'url', ARGV[3], 'author_x_id', ARGV[4],
  'author_handle', ARGV[5], 'submitter_discord_id', ARGV[6], 'category', ARGV[7], 'submitted_at', ARGV[8])
if #ARGV > 10 then redis.call('HSET', KEYS[2], unpack(ARGV, 11)) end
redis.call('ZADD', KEYS[3], ARGV[8], ARGV[1])
used = redis.call('INCR', KEYS[4])
redis.call('EXPIRE', KEYS[4], ARGV[10])
if KEYS[5] then redis.call('SET', KEYS[5], ARGV[1]) end  -- a Threads post's shortcode -> the submission
return {'ok', tostring(used)}
""")


# Reserves a block of ids at once (the last one is returned) for `create_submissions`.
NEXT_IDS_LUA = checked("""
local bad = want_int_string(KEYS[1])
if bad then return {'damaged', bad} end
return redis.call('INCRBY', KEYS[1], ARGV[1])
""")


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
        platform=raw.get("platform", "x"),
        shortcode=raw.get("shortcode", ""),
    )


# An admin may delete the submission while a batch runs: never recreate a partial hash.
UPDATE_IF_PRESENT_LUA = checked("""
local bad = want(KEYS[1], 'hash')
if bad then return {'damaged', bad} end
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], unpack(ARGV))
return 1
""")


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
        super().__init__(f"That post was already submitted{who}.")
        self.first = first


class SubmissionsMixin(StoreBase):
    def utc_day(self) -> str:
        from datetime import UTC, datetime

        return datetime.fromtimestamp(self.now(), UTC).strftime("%Y-%m-%d")

    async def daily_submissions_used(self, discord_id: str) -> int:
        return as_int(await self.redis.get(self.keys.daily_submissions(discord_id, self.utc_day())))

    async def create_submission(
        self, draft: SubmissionDraft, daily_limit: int, details: Mapping[str, ArgT] | None = None
    ) -> tuple[Submission, int]:
        """Store a submission (with `details` such as `published_at` in its hash); returns it and how many the
        member has used today."""
        submission_id = await self.next_id(self.keys.submission_sequence())
        keys, args = self._creation(submission_id, draft, daily_limit)
        args += _flat(details or {})
        return await self._created(args, texts(await self.run(CREATE_SUBMISSION_LUA, keys, args)))

    async def create_submissions(
        self, drafts: Sequence[SubmissionDraft], daily_limit: int
    ) -> list[tuple[Submission, int] | EngagementError]:
        """`create_submission` for many drafts in two round trips (ids, then writes), for seeding many at once.

        Each draft is still its own checked script call: a duplicate, a spent limit or damage refuses
        only that draft, returned in its place instead of raised.
        """
        if not drafts:
            return []
        last = int(await self.run(NEXT_IDS_LUA, [self.keys.submission_sequence()], [len(drafts)]))
        calls = [self._creation(str(last - len(drafts) + n), d, daily_limit) for n, d in enumerate(drafts, 1)]
        script = self.script(CREATE_SUBMISSION_LUA)
        async with self.redis.pipeline(transaction=False) as pipe:
            for keys, args in calls:
                await script(keys=keys, args=args, client=pipe)
            replies = await pipe.execute()
        outcomes: list[tuple[Submission, int] | EngagementError] = []
        for (_, args), reply in zip(calls, replies, strict=True):
            try:
                outcomes.append(await self._created(args, texts(reply)))
            except EngagementError as refused:
                outcomes.append(refused)
        return outcomes

    def _creation(self, submission_id: str, draft: SubmissionDraft, daily_limit: int) -> tuple[list[str], list[ArgT]]:
        """The keys and arguments of CREATE_SUBMISSION_LUA for one draft."""
        k = self.keys
        keys = [k.tweet_id(draft.tweet_id), k.tweet(submission_id), k.tweets_recent()]
        keys.append(k.daily_submissions(draft.submitter_discord_id, self.utc_day()))
        args: list[ArgT] = [submission_id, draft.tweet_id, draft.url, draft.author_x_id, draft.author_handle]
        args += [draft.submitter_discord_id, draft.category, int(self.now()), daily_limit, DAILY_COUNTER_TTL]
        if draft.platform != "x":  # absent means X (every submission before Threads)
            args += ["platform", draft.platform]
        if draft.shortcode:
            keys.append(k.threads_post(draft.shortcode))
            args += ["shortcode", draft.shortcode]
        return keys, args

    async def _created(self, args: list[ArgT], reply: list[str]) -> tuple[Submission, int]:
        """The created submission and the member's count today, or the refusal CREATE_SUBMISSION_LUA answered."""
        status, detail = reply
        if status == DAMAGED:
            raise DamagedData(detail)
        if status == "duplicate":
            raise DuplicateSubmission(await self.get_submission(detail))
        if status == "limit":
            raise SubmissionLimitReached(int(detail))
        fields = dict(zip(SUBMISSION_FIELDS, map(str, args[:8]), strict=True))
        extra = [str(arg) for arg in args[10:]]
        fields.update(zip(extra[::2], extra[1::2], strict=True))
        return submission_from_hash(fields), int(detail)

    async def submission_for_threads_code(self, shortcode: str) -> Submission | None:
        """The submission of the Threads post with that shortcode (from its link), if it was submitted."""
        submission_id = await self.read_string(self.keys.threads_post(shortcode))
        return await self.get_submission(submission_id) if submission_id else None

    async def get_submission(self, submission_id: str) -> Submission | None:
        try:
            return submission_from_hash(await self.read_hash(self.keys.tweet(submission_id)))
        except (KeyError, ValueError, DamagedData):
            return None

    async def submission_for_tweet(self, tweet_id: str) -> Submission | None:
        submission_id = await self.read_string(self.keys.tweet_id(tweet_id))
        return await self.get_submission(submission_id) if submission_id else None

    async def recent_submission_ids(self, since: float) -> list[str]:
        """Ids of submissions tracked since `since` (epoch seconds), oldest first."""
        return texts(await self.redis.zrangebyscore(self.keys.tweets_recent(), since, "+inf"))

    async def submission_hashes(self, submission_ids: list[str]) -> list[dict[str, str]]:
        """Each submission's hash; an unreadable one reads as empty."""
        raws = await self.submission_hashes_or_damage(submission_ids)
        return [{} if isinstance(raw, DamagedData) else raw for raw in raws]

    async def submission_hashes_or_damage(self, submission_ids: list[str]) -> list[dict[str, str] | DamagedData]:
        """Each submission's hash; a wrong-typed one as DamagedData, so one bad key costs only its own tweet."""
        async with self.redis.pipeline(transaction=False) as pipe:
            for submission_id in submission_ids:
                pipe.hgetall(self.keys.tweet(submission_id))
            raws = await pipe.execute(raise_on_error=False)
        return [hash_or_damage(key, raw) for key, raw in zip(map(self.keys.tweet, submission_ids), raws, strict=True)]

    async def update_submission_fields(self, submission_id: str, fields: dict[str, ArgT]) -> bool:
        """Scan state the worker keeps on the tweet hash (last metrics, since ids); a deleted one stays deleted."""
        if not fields:
            return True
        return bool(await self.run(UPDATE_IF_PRESENT_LUA, [self.keys.tweet(submission_id)], _flat(fields)))

    async def update_submissions_fields(self, updates: Mapping[str, Mapping[str, ArgT]]) -> dict[str, DamagedData]:
        """`update_submission_fields` for many submissions in one round trip; returns the damaged ones, unwritten.

        Each submission still gets its own script call, checked before its first write, so one damaged
        hash costs only its own update. Any other error from Redis is raised after the rest were sent.
        """
        wanted = {submission_id: fields for submission_id, fields in updates.items() if fields}
        if not wanted:
            return {}
        script = self.script(UPDATE_IF_PRESENT_LUA)
        async with self.redis.pipeline(transaction=False) as pipe:
            for submission_id, fields in wanted.items():
                await script(keys=[self.keys.tweet(submission_id)], args=_flat(fields), client=pipe)
            results = await pipe.execute(raise_on_error=False)
        failed = next((result for result in results if isinstance(result, ResponseError)), None)
        if failed is not None:
            raise failed
        return {
            submission_id: DamagedData(str(text(result[1])))
            for submission_id, result in zip(wanted, results, strict=True)
            if isinstance(result, list) and len(result) == 2 and text(result[0]) == DAMAGED
        }

    async def expire_from_scan(self, before: float) -> int:
        """Drop submissions older than `before` from the scan set; their hashes and logs stay."""
        return int(await self.redis.zremrangebyscore(self.keys.tweets_recent(), "-inf", f"({before}"))


def _flat(fields: Mapping[str, ArgT]) -> list[ArgT]:
    """HSET's arguments: field, value, field, value..."""
    return [part for pair in fields.items() for part in pair]
