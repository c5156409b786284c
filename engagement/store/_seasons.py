"""Seasons, teams and campaigns: named, audited records with their own boards (the awards feed the boards)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from engagement.store._base import AUDIT_MAXLEN, ArgT, StoreBase, text, text_map, texts
from engagement.store._lua import audit_lua, checked

# Create a named record (season, team, campaign) once: its name is unique (case-folded); a season also needs
# no other open season. KEYS: names hash, record hash, index zset, audit, [open-season string].
# ARGV: name key, id, score, audit maxlen, actor, action, audit text, now, record fields...
CREATE_NAMED_LUA = checked(
    """
local bad = want(KEYS[1], 'hash') or want(KEYS[2], 'hash') or want(KEYS[3], 'zset') or want(KEYS[4], 'stream')
  or (KEYS[5] and want(KEYS[5], 'string'))
if bad then return {'damaged', bad} end
local taken = redis.call('HGET', KEYS[1], ARGV[1])
if taken then return {'taken', taken} end
if KEYS[5] then
  local open = redis.call('GET', KEYS[5])
  if open then return {'open', open} end
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('HSET', KEYS[2], unpack(ARGV, 9))
redis.call('ZADD', KEYS[3], ARGV[3], ARGV[2])
if KEYS[5] then redis.call('SET', KEYS[5], ARGV[2]) end
"""
    + audit_lua("KEYS[4]", "ARGV[4]", "ARGV[5]", "ARGV[6]", "ARGV[2]", "''", "ARGV[7]", "ARGV[8]")
    + """)
return {'ok', ARGV[2]}
"""
)

# End a season or campaign now (or record that it ended on its own): its end becomes now if later, `ended_at`
# is set once, and the open-season pointer goes. KEYS: record, audit, [open-season string].
# ARGV: id, now, actor, audit maxlen, action.
END_LUA = checked(
    """
local bad = want(KEYS[1], 'hash') or want(KEYS[2], 'stream') or (KEYS[3] and want(KEYS[3], 'string'))
if bad then return {'damaged', bad} end
if redis.call('HGET', KEYS[1], 'id') ~= ARGV[1] then return 'missing' end
if redis.call('HEXISTS', KEYS[1], 'ended_at') == 1 then return 'ended' end
local ends = tonumber(redis.call('HGET', KEYS[1], 'end') or '') or tonumber(ARGV[2])
if ends > tonumber(ARGV[2]) then redis.call('HSET', KEYS[1], 'end', ARGV[2]) end
redis.call('HSET', KEYS[1], 'ended_at', ARGV[2])
if KEYS[3] and redis.call('GET', KEYS[3]) == ARGV[1] then redis.call('DEL', KEYS[3]) end
"""
    + audit_lua("KEYS[2]", "ARGV[4]", "ARGV[3]", "ARGV[5]", "ARGV[1]", "''", "'ended'", "ARGV[2]")
    + """)
return 'ok'
"""
)

# A member's team: join, leave ('' ) or an admin's assignment. KEYS: member -> team hash, the team (when
# joining), audit. ARGV: member, team id or '', actor, now, audit maxlen, audited ('1' for an admin).
SET_TEAM_LUA = checked(
    """
local bad = want(KEYS[1], 'hash') or want(KEYS[2], 'hash') or want(KEYS[3], 'stream')
if bad then return {'damaged', bad} end
if ARGV[2] ~= '' and redis.call('HGET', KEYS[2], 'id') ~= ARGV[2] then return {'missing', ''} end
local old = redis.call('HGET', KEYS[1], ARGV[1]) or ''
if ARGV[2] == '' then redis.call('HDEL', KEYS[1], ARGV[1]) else redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) end
if ARGV[6] == '1' then
"""
    + audit_lua("KEYS[3]", "ARGV[5]", "ARGV[3]", "'team-assign'", "ARGV[1]", "old", "ARGV[2]", "ARGV[4]")
    + """)
end
return {'ok', old}
"""
)

# An admin picks a post for a campaign that matches `posts`. KEYS: campaign, its posts set, audit.
# ARGV: campaign id, tweet id, actor, now, audit maxlen.
ADD_CAMPAIGN_POST_LUA = checked(
    """
local bad = want(KEYS[1], 'hash') or want(KEYS[2], 'set') or want(KEYS[3], 'stream')
if bad then return {'damaged', bad} end
local c = redis.call('HMGET', KEYS[1], 'id', 'match')
if c[1] ~= ARGV[1] then return 'missing' end
if c[2] ~= 'posts' then return 'not-picked' end
if redis.call('SADD', KEYS[2], ARGV[2]) == 0 then return 'already' end
"""
    + audit_lua("KEYS[3]", "ARGV[5]", "ARGV[3]", "'campaign-post'", "ARGV[1]", "''", "ARGV[2]", "ARGV[4]")
    + """)
return 'ok'
"""
)


class SeasonsMixin(StoreBase):
    async def create_named(
        self, kind: str, name: str, fields: Mapping[str, ArgT], score: float, actor: str, summary: str
    ) -> tuple[str, str]:
        """Create a season, team or campaign (`kind`); ('ok', id), ('taken', its id) or ('open', season id)."""
        k = self.keys
        sequence, names, index, record = {
            "season": (k.season_sequence(), k.season_names(), k.seasons(), k.season),
            "team": (k.team_sequence(), k.team_names(), k.teams(), k.team),
            "campaign": (k.campaign_sequence(), k.campaign_names(), k.campaigns(), k.campaign),
        }[kind]
        taken = text(await self.redis.hget(names, name.casefold()))
        opened = text(await self.redis.get(k.season_open())) if kind == "season" else None
        if taken or opened:  # refused before an id is taken, so a refusal writes nothing; the script checks again
            return ("taken", taken) if taken else ("open", str(opened))
        new_id = await self.next_id(sequence)
        keys = [names, record(new_id), index, k.audit(), *([k.season_open()] if kind == "season" else [])]
        args: list[ArgT] = [name.casefold(), new_id, score, AUDIT_MAXLEN, actor, f"{kind}-create", summary]
        args += [int(self.now()), "id", new_id, "name", name, *[part for pair in fields.items() for part in pair]]
        status, found = texts(await self.run(CREATE_NAMED_LUA, keys, args))
        return status, found

    async def end_named(self, kind: str, record_id: str, actor: str) -> str:
        """End a season or campaign now: 'ok', 'missing' or 'ended' (already)."""
        record = self.keys.season(record_id) if kind == "season" else self.keys.campaign(record_id)
        keys = [record, self.keys.audit(), *([self.keys.season_open()] if kind == "season" else [])]
        args: list[ArgT] = [record_id, int(self.now()), actor, AUDIT_MAXLEN, f"{kind}-end"]
        return str(text(await self.run(END_LUA, keys, args)))

    async def named_id(self, kind: str, name: str) -> str | None:
        names = {"season": self.keys.season_names, "team": self.keys.team_names, "campaign": self.keys.campaign_names}
        return text(await self.redis.hget(names[kind](), name.casefold()))

    async def records(self, kind: str, ids: Sequence[str] | None = None) -> list[dict[str, str]]:
        """Every season, team or campaign (or those of `ids`), oldest first; a vanished one is left out."""
        k = self.keys
        index, record = {
            "season": (k.seasons, k.season),
            "team": (k.teams, k.team),
            "campaign": (k.campaigns, k.campaign),
        }[kind]
        chosen = list(ids) if ids is not None else texts(await self.redis.zrange(index(), 0, -1))
        async with self.redis.pipeline(transaction=False) as pipe:
            for record_id in chosen:
                pipe.hgetall(record(record_id))
            raws = await pipe.execute()
        return [found for found in map(text_map, raws) if found.get("id")]

    async def open_season_id(self) -> str | None:
        return text(await self.redis.get(self.keys.season_open()))

    async def set_member_team(self, member: str, team_id: str, actor: str, *, audited: bool) -> tuple[str, str]:
        """('ok', the team before) or ('missing', '') when the team does not exist."""
        team = self.keys.team(team_id) if team_id else self.keys.member_teams()  # leaving checks no team
        keys = [self.keys.member_teams(), team, self.keys.audit()]
        args: list[ArgT] = [member, team_id, actor, int(self.now()), AUDIT_MAXLEN, "1" if audited else "0"]
        status, old = texts(await self.run(SET_TEAM_LUA, keys, args))
        return status, old

    async def member_team(self, member: str) -> str | None:
        return text(await self.redis.hget(self.keys.member_teams(), member))

    async def add_campaign_post(self, campaign_id: str, tweet_id: str, actor: str) -> str:
        keys = [self.keys.campaign(campaign_id), self.keys.campaign_posts(campaign_id), self.keys.audit()]
        args: list[ArgT] = [campaign_id, tweet_id, actor, int(self.now()), AUDIT_MAXLEN]
        return str(text(await self.run(ADD_CAMPAIGN_POST_LUA, keys, args)))

    async def campaign_post_ids(self, campaign_ids: Sequence[str]) -> dict[str, set[str]]:
        async with self.redis.pipeline(transaction=False) as pipe:
            for campaign_id in campaign_ids:
                pipe.smembers(self.keys.campaign_posts(campaign_id))
            found = await pipe.execute()
        return {campaign_id: set(texts(posts)) for campaign_id, posts in zip(campaign_ids, found, strict=True)}

    async def mark_announced(self, season_id: str) -> None:
        """The bot posted the season's results (set once they are in the channel: at least once, never lost)."""
        await self.redis.hset(self.keys.season(season_id), "announced_at", int(self.now()))
