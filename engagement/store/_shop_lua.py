"""The shop's scripts: each checks every key it touches before its first write, and audits admin changes with it."""

from __future__ import annotations

from engagement.store._lua import audit_lua, checked

# A reward's numbers as the scripts use them: cost a whole number, stock one or `unlimited`, limit one or none.
_REWARD_CHECK = """
local function want_reward(key)
  local problem = want_int_field(key, 'cost') or want_int_field(key, 'limit')
  if problem then return problem end
  local cost, stock = unpack(redis.call('HMGET', key, 'cost', 'stock'))
  if redis.call('EXISTS', key) == 0 then return nil end
  if not cost then return key .. ' has no cost' end
  if not stock or (stock ~= 'unlimited' and not is_int(stock)) then return key .. ' field stock is not an integer' end
end
"""

# KEYS: reward, rewards on offer, names, audit. ARGV: id, name, lower-cased name, description, cost, stock,
# limit ('' none), role id ('' none), actor, now, audit maxlen, what the audit entry says was added.
ADD_REWARD_LUA = checked(
    """
local bad = want(KEYS[1], 'hash') or want(KEYS[2], 'zset') or want(KEYS[3], 'hash') or want(KEYS[4], 'stream')
if bad then return {'damaged', bad} end
if redis.call('HEXISTS', KEYS[3], ARGV[3]) == 1 then return 'taken' end
if redis.call('EXISTS', KEYS[1]) == 1 then return 'exists' end
redis.call('HSET', KEYS[1], 'id', ARGV[1], 'name', ARGV[2], 'description', ARGV[4], 'cost', ARGV[5],
  'stock', ARGV[6], 'created_at', ARGV[10], 'created_by', ARGV[9])
if ARGV[7] ~= '' then redis.call('HSET', KEYS[1], 'limit', ARGV[7]) end
if ARGV[8] ~= '' then redis.call('HSET', KEYS[1], 'role_id', ARGV[8]) end
redis.call('ZADD', KEYS[2], ARGV[1], ARGV[1])
redis.call('HSET', KEYS[3], ARGV[3], ARGV[1])
"""
    + audit_lua("KEYS[4]", "ARGV[11]", "ARGV[9]", "'reward-add'", "'reward ' .. ARGV[1]", "''", "ARGV[12]", "ARGV[10]")
    + """)
return 'ok'
"""
)

# KEYS: reward, audit. ARGV: reward id, new stock, actor, now, audit maxlen.
SET_STOCK_LUA = checked(
    """
local bad = want(KEYS[1], 'hash') or want(KEYS[2], 'stream')
if bad then return {'damaged', bad} end
local name, old, retired = unpack(redis.call('HMGET', KEYS[1], 'name', 'stock', 'retired_at'))
if not name then return {'unknown'} end
if retired then return {'retired'} end
old = old or ''
redis.call('HSET', KEYS[1], 'stock', ARGV[2])
"""
    + audit_lua("KEYS[2]", "ARGV[5]", "ARGV[3]", "'reward-stock'", "'reward ' .. ARGV[1]", "old", "ARGV[2]", "ARGV[4]")
    + """)
return {'ok', old}
"""
)

# KEYS: reward, rewards on offer, names, audit. ARGV: reward id, lower-cased name, actor, now, audit maxlen.
RETIRE_REWARD_LUA = checked(
    """
local bad = want(KEYS[1], 'hash') or want(KEYS[2], 'zset') or want(KEYS[3], 'hash') or want(KEYS[4], 'stream')
if bad then return {'damaged', bad} end
local name, retired = unpack(redis.call('HMGET', KEYS[1], 'name', 'retired_at'))
if not name then return {'unknown'} end
if retired then return {'retired'} end
redis.call('HSET', KEYS[1], 'retired_at', ARGV[4], 'retired_by', ARGV[3])
redis.call('ZREM', KEYS[2], ARGV[1])
if redis.call('HGET', KEYS[3], ARGV[2]) == ARGV[1] then redis.call('HDEL', KEYS[3], ARGV[2]) end
"""
    + audit_lua(
        "KEYS[4]", "ARGV[5]", "ARGV[3]", "'reward-retire'", "'reward ' .. ARGV[1]", "name", "'retired'", "ARGV[4]"
    )
    + """)
return {'ok'}
"""
)

# KEYS: reward, member's connection, spent, the reward's claims, the redemption (by request id), numbers,
# redemption sequence, pending, member's redemptions. ARGV: reward id, discord id, request id, now.
# A request that already redeemed gets {'repeat'} and writes nothing: the record's key is the guard.
REDEEM_LUA = checked(
    _REWARD_CHECK
    + """
local bad = want(KEYS[1], 'hash') or want_reward(KEYS[1]) or want_int_field(KEYS[2], 'points')
  or want_int_field(KEYS[3], ARGV[2]) or want_int_field(KEYS[4], ARGV[2]) or want(KEYS[5], 'hash')
  or want(KEYS[6], 'hash') or want_int_string(KEYS[7]) or want(KEYS[8], 'zset') or want(KEYS[9], 'zset')
if bad then return {'damaged', bad} end
if redis.call('EXISTS', KEYS[5]) == 1 then return {'repeat'} end
local name, cost, stock, limit, retired, role = unpack(redis.call('HMGET', KEYS[1], 'name', 'cost', 'stock', 'limit',
  'retired_at', 'role_id'))
if not name then return {'unknown'} end
if retired then return {'retired'} end
if stock ~= 'unlimited' and tonumber(stock) <= 0 then return {'sold_out'} end
local claims = tonumber(redis.call('HGET', KEYS[4], ARGV[2]) or '0')
if limit and claims >= tonumber(limit) then return {'limit', claims} end
local points = tonumber(redis.call('HGET', KEYS[2], 'points') or '0')
local spent = tonumber(redis.call('HGET', KEYS[3], ARGV[2]) or '0')
if points - spent < tonumber(cost) then return {'poor', points, spent} end
local number = redis.call('INCR', KEYS[7])
redis.call('HSET', KEYS[5], 'number', number, 'request_id', ARGV[3], 'reward_id', ARGV[1], 'reward_name', name,
  'discord_id', ARGV[2], 'cost', cost, 'status', 'pending', 'requested_at', ARGV[4])
if role then redis.call('HSET', KEYS[5], 'role_id', role) end
redis.call('HSET', KEYS[6], number, ARGV[3])
redis.call('ZADD', KEYS[8], ARGV[4], ARGV[3])
redis.call('ZADD', KEYS[9], ARGV[4], ARGV[3])
redis.call('HINCRBY', KEYS[3], ARGV[2], cost)
redis.call('HINCRBY', KEYS[4], ARGV[2], 1)
local left = 'unlimited'
if stock ~= 'unlimited' then left = tostring(redis.call('HINCRBY', KEYS[1], 'stock', -1)) end
return {'ok', number, points, spent + tonumber(cost), left}
"""
)

# KEYS: redemption, pending, spent, the reward's claims, reward, audit.
# ARGV: decision (`fulfilled` or `refused`), actor, now, reason, audit maxlen, request id, reward id, discord id.
# Refused: the points held come back, the claim on the limit is dropped and a counted stock gets its item back.
DECIDE_LUA = checked(
    _REWARD_CHECK
    + """
local bad = want(KEYS[1], 'hash') or want_int_field(KEYS[1], 'cost') or want(KEYS[2], 'zset')
  or want_int_field(KEYS[3], ARGV[8]) or want_int_field(KEYS[4], ARGV[8]) or want(KEYS[5], 'hash')
  or want_reward(KEYS[5]) or want(KEYS[6], 'stream')
if bad then return {'damaged', bad} end
local status, member, reward, cost, number, by, at = unpack(redis.call('HMGET', KEYS[1], 'status', 'discord_id',
  'reward_id', 'cost', 'number', 'decided_by', 'decided_at'))
if not status then return {'unknown'} end
if member ~= ARGV[8] or reward ~= ARGV[7] or not cost then return {'damaged', KEYS[1] .. ' changed while read'} end
if status ~= 'pending' then return {'decided', status, by or '', at or ''} end
redis.call('HSET', KEYS[1], 'status', ARGV[1], 'decided_at', ARGV[3], 'decided_by', ARGV[2])
if ARGV[4] ~= '' then redis.call('HSET', KEYS[1], 'reason', ARGV[4]) end
redis.call('ZREM', KEYS[2], ARGV[6])
local new, action = 'fulfilled', 'redemption-fulfil'
if ARGV[1] == 'refused' then
  redis.call('HINCRBY', KEYS[3], member, -tonumber(cost))
  redis.call('HINCRBY', KEYS[4], member, -1)
  local stock = redis.call('HGET', KEYS[5], 'stock')
  if stock and stock ~= 'unlimited' then redis.call('HINCRBY', KEYS[5], 'stock', 1) end
  new, action = 'refused, ' .. cost .. ' points refunded', 'redemption-refuse'
end
"""
    + audit_lua("KEYS[6]", "ARGV[5]", "ARGV[2]", "action", "'redemption ' .. number", "'pending'", "new", "ARGV[3]")
    + """, 'reason', ARGV[4])
return {'ok'}
"""
)
