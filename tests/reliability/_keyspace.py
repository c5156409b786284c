"""The documented key layout (README "Redis keys") as patterns, and a scan for anything outside it."""

from __future__ import annotations

import re

from redis.asyncio import Redis

_ID = r"[1-9][0-9]{0,19}"
_HANDLE = r"[a-z0-9_]{1,15}"
_TYPE = r"(?:like|retweet|reply|quote)"
_DOCUMENTED = (
    rf"connection:{_ID}",
    rf"twitter:{_HANDLE}",
    rf"xuser:{_ID}",
    rf"verify:{_ID}",
    rf"oauth:{_ID}",
    rf"tweet:{_ID}",
    rf"tweetid:{_ID}",
    r"tweets:recent",
    rf"submissions:{_ID}:[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}",
    rf"attempts:submit:{_ID}",
    r"seq:(?:tweet|batch|adjust)",
    rf"log:{_ID}-{_ID}-{_TYPE}",
    rf"log:adj-{_ID}",
    rf"user:{_ID}:logs",
    rf"tweet:{_ID}:logs",
    r"leaderboard:alltime",
    r"leaderboard:weekly:[0-9]{4}-W[0-9]{2}",
    rf"rules:[123]-{_TYPE}",
    rf"batch:{_ID}",
    r"batches",
    r"batch:(?:lock|carryover|requests|next)",
    r"audit",
    r"config",
    r"alerts(?::checked)?",
    r"alert:[a-z_]{1,40}",
    rf"snapshots:{_ID}",
    rf"refused:{_ID}",  # anti-farming
    rf"replies:{_ID}",
    r"roles:(?:rewards|tiers)",
    rf"roles:{_ID}:granted",
    rf"season:{_ID}(?::board|:teams)?",
    r"season:open",
    r"(?:seasons|teams|campaigns)(?::names)?",
    r"teams:members",
    rf"team:{_ID}",
    rf"campaign:{_ID}(?::board|:posts)?",
    r"seq:(?:season|team|campaign)",
    r"analytics:posts",
    r"reports(?::queue)?",
    rf"shop:(?:reward|redemption|member|claims):{_ID}",  # the rewards shop
    r"shop:(?:rewards|names|redemptions|pending|spent|addresses)",
    r"seq:(?:reward|redemption)",
    rf"threadsid:{_ID}",  # Threads
    r"threadsuser:[a-z0-9._]{1,30}",
    r"threadscode:[A-Za-z0-9_-]{5,40}",
    rf"tweetid:threads:{_ID}",
    rf"tweet:threads:{_ID}:logs",
    rf"log:threads:{_ID}-threads:[a-z0-9._]{{1,30}}-reply",
)


# Under `{prefix}-shared`, for every community of a deployment.
_SHARED = (
    rf"proofs:{_ID}",
    r"guilds:left",
    r"web:(?:state|session):[0-9a-f]{64}",
    r"web:rate:[0-9a-f]{64}:[0-9]{1,20}",
    r"api:token:[0-9a-f]{64}",
    r"api:tokens:[0-9]{1,20}",
)


def documented(prefix: str) -> re.Pattern[str]:
    own = rf"{re.escape(prefix)}:(?:{'|'.join(_DOCUMENTED)})"
    shared = rf"{re.escape(prefix)}-shared:(?:{'|'.join(_SHARED)})"
    return re.compile(rf"{own}|{shared}")


async def undocumented_keys(client: Redis, prefix: str, match: str = "*") -> list[str]:
    """Every key matching `match` that is not one of the documented names under `prefix`."""
    pattern = documented(prefix)
    return sorted([key async for key in client.scan_iter(match=match, count=1000) if not pattern.fullmatch(key)])
