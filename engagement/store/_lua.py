"""What every multi-write Lua script runs before its first write, and how its refusal reaches Python.

Redis does not roll back a script that fails midway, so a script that would hit a
wrong-typed key or a non-integer counter must find out before it writes anything.
Each `want*` function returns nil when the key is fit, else a sentence naming the key
(chain them with `or`, which stops at the first problem); a script then returns
`{'damaged', sentence}` and `StoreBase.run` raises `DamagedData`.
"""

from __future__ import annotations

import re

# `none` (missing) always passes: writes create missing keys; scripts that need a key to exist say so themselves.
# In dependency order; `checked` puts in front of a script only those it uses (each costs time on every call).
GUARD_FUNCTIONS = {
    "want": """
local function want(key, kind)
  local found = redis.call('TYPE', key)['ok']
  if found ~= 'none' and found ~= kind then return key .. ' is a ' .. found .. ', not a ' .. kind end
end""",
    "is_int": """
local function is_int(value)
  return string.match(value, '^-?%d+$') ~= nil and #value <= 18
end""",
    "want_int_field": """
local function want_int_field(key, field)
  local problem = want(key, 'hash')
  if problem then return problem end
  local value = redis.call('HGET', key, field)
  if value and not is_int(value) then return key .. ' field ' .. field .. ' is not an integer' end
end""",
    "want_int_string": """
local function want_int_string(key)
  local problem = want(key, 'string')
  if problem then return problem end
  local value = redis.call('GET', key)
  if value and not is_int(value) then return key .. ' is not an integer' end
end""",
    "want_each": """
local function want_each(keys, first, step, kind)
  for i = first, #keys, step do
    local problem = want(keys[i], kind)
    if problem then return problem end
  end
end""",
}
_NEEDS = {"want_int_field": ("want", "is_int"), "want_int_string": ("want", "is_int"), "want_each": ("want",)}

DAMAGED = "damaged"


def checked(body: str) -> str:
    """A script body with the guard functions it calls (and theirs) in front of it."""
    used = {name for name in GUARD_FUNCTIONS if re.search(rf"\b{name}\(", body)}
    used |= {need for name in used for need in _NEEDS.get(name, ())}
    return "".join(source for name, source in GUARD_FUNCTIONS.items() if name in used) + "\n" + body


def audit_lua(key: str, maxlen: str, actor: str, action: str, target: str, old: str, new: str, at: str) -> str:
    """The Lua line that appends one audit entry, for scripts that change something and audit it together."""
    fields = f"'actor', {actor}, 'action', {action}, 'target', {target}, 'old', {old}, 'new', {new}, 'at', {at}"
    return f"redis.call('XADD', {key}, 'MAXLEN', '~', {maxlen}, '*', {fields}"
