"""Guards that keep the service usable: the /submit throttle."""

from __future__ import annotations

from engagement.store._base import ArgT, StoreBase, text
from engagement.store._lua import checked

# A sliding window: the list holds the times of the attempts still inside it, oldest first.
# KEYS: the attempts list. ARGV: now, window seconds, limit.
# Returns {1} when the attempt is counted, {0, oldest attempt} when the limit is reached.
ATTEMPT_LUA = checked("""
local bad = want(KEYS[1], 'list')
if bad then return {'damaged', bad} end
local now, window, limit = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
while true do
  local oldest = redis.call('LINDEX', KEYS[1], 0)
  if not oldest then break end
  local at = tonumber(oldest)
  if at and at > now - window then break end
  redis.call('LPOP', KEYS[1])
end
if redis.call('LLEN', KEYS[1]) >= limit then return {0, redis.call('LINDEX', KEYS[1], 0)} end
redis.call('RPUSH', KEYS[1], ARGV[1])
redis.call('EXPIRE', KEYS[1], math.ceil(window))
return {1}
""")


class GuardsMixin(StoreBase):
    async def count_submit_attempt(self, discord_id: str, limit: int, window: float) -> float | None:
        """Count one /submit attempt; None when allowed, else when the oldest counted attempt leaves the window."""
        key = self.keys.submit_attempts(discord_id)
        args: list[ArgT] = [repr(self.now()), window, limit]
        result = await self.run(ATTEMPT_LUA, [key], args)
        if int(result[0]) == 1:
            return None
        return float(str(text(result[1]))) + window
