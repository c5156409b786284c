"""The rewards shop's keys: rewards, redemptions (points held, stock, limits) and payout addresses.

Every write that touches several keys is one script of `_shop_lua`; records come back as the raw
hashes, which `engagement.shop` turns into its models.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from engagement.errors import DamagedData
from engagement.store._base import AUDIT_MAXLEN, ArgT, StoreBase, as_int, text, text_map, texts, wrong_type_is_damage
from engagement.store._shop_lua import ADD_REWARD_LUA, DECIDE_LUA, REDEEM_LUA, RETIRE_REWARD_LUA, SET_STOCK_LUA

UNLIMITED = "unlimited"
PENDING, FULFILLED, REFUSED = "pending", "fulfilled", "refused"


@dataclass(frozen=True)
class NewReward:
    """A reward as an admin lists it, already checked: `stock` and `limit` None for unlimited and none."""

    name: str
    description: str
    cost: int
    stock: int | None
    limit: int | None
    role_id: str | None


@dataclass(frozen=True)
class Outcome:
    """A script's answer: `status` (`ok` or why not) and what came with it."""

    status: str
    values: tuple[str, ...] = ()


def _outcome(result: Any) -> Outcome:
    if isinstance(result, list):
        return Outcome(str(text(result[0])), tuple(str(text(value)) for value in result[1:]))
    return Outcome(str(text(result)))


class ShopMixin(StoreBase):
    # Rewards
    async def add_reward(self, actor_id: str, reward: NewReward, lower_name: str) -> str | None:
        """List a new reward (audited); its id, or None when a reward on offer has that name already."""
        if await self.reward_id_named(lower_name) is not None:
            return None  # checked first so the refusal leaves even the sequence alone; the script checks again
        reward_id = await self.next_id(self.keys.reward_sequence())
        stock = UNLIMITED if reward.stock is None else str(reward.stock)
        limit = "" if reward.limit is None else str(reward.limit)
        summary = f"{reward.name} cost={reward.cost} stock={stock} limit={limit or 'none'} role={reward.role_id or ''}"
        k = self.keys
        keys = [k.shop_reward(reward_id), k.shop_rewards(), k.shop_names(), k.audit()]
        args: list[ArgT] = [reward_id, reward.name, lower_name, reward.description, reward.cost, stock, limit]
        args += [reward.role_id or "", actor_id, int(self.now()), AUDIT_MAXLEN, summary]
        status = _outcome(await self.run(ADD_REWARD_LUA, keys, args)).status
        if status == "exists":
            raise DamagedData(f"{keys[0]} exists already, so {k.reward_sequence()} is behind")
        return reward_id if status == "ok" else None

    async def set_reward_stock(self, actor_id: str, reward_id: str, stock: int | None) -> Outcome:
        """Set a reward's stock (None: unlimited), audited; `ok` with the old stock, `unknown` or `retired`."""
        keys = [self.keys.shop_reward(reward_id), self.keys.audit()]
        args: list[ArgT] = [reward_id, UNLIMITED if stock is None else stock, actor_id, int(self.now()), AUDIT_MAXLEN]
        return _outcome(await self.run(SET_STOCK_LUA, keys, args))

    async def retire_reward(self, actor_id: str, reward_id: str, lower_name: str) -> Outcome:
        """Take a reward off the shop (its redemptions stay), audited: `ok`, `unknown` or `retired`."""
        k = self.keys
        keys = [k.shop_reward(reward_id), k.shop_rewards(), k.shop_names(), k.audit()]
        args: list[ArgT] = [reward_id, lower_name, actor_id, int(self.now()), AUDIT_MAXLEN]
        return _outcome(await self.run(RETIRE_REWARD_LUA, keys, args))

    async def reward_record(self, reward_id: str) -> dict[str, str]:
        """The reward's hash ({} when there is none)."""
        return await self.read_hash(self.keys.shop_reward(reward_id))

    async def reward_id_named(self, lower_name: str) -> str | None:
        """The id of the reward on offer with that (lower-cased) name."""
        with wrong_type_is_damage(self.keys.shop_names(), "hash"):
            return text(await self.redis.hget(self.keys.shop_names(), lower_name))

    async def rewards_on_offer(self) -> list[dict[str, str]]:
        """Every reward not retired, by id."""
        with wrong_type_is_damage(self.keys.shop_rewards(), "sorted set"):
            ids = texts(await self.redis.zrange(self.keys.shop_rewards(), 0, -1))
        return await self._hashes([self.keys.shop_reward(reward_id) for reward_id in ids])

    # Redemptions
    async def redeem(self, discord_id: str, reward_id: str, request_id: str) -> Outcome:
        """Hold the cost, take one from stock, count the claim and record the redemption, in one step.

        `ok` (number, points, spent now, stock left), `repeat` (this request redeemed already: nothing written),
        `unknown`, `retired`, `sold_out`, `limit` (claims) or `poor` (points, spent).
        """
        k = self.keys
        keys = [k.shop_reward(reward_id), k.connection(discord_id), k.shop_spent(), k.shop_claims(reward_id)]
        keys += [k.shop_redemption(request_id), k.shop_redemptions(), k.redemption_sequence(), k.shop_pending()]
        keys.append(k.shop_member(discord_id))
        return _outcome(await self.run(REDEEM_LUA, keys, [reward_id, discord_id, request_id, repr(self.now())]))

    async def decide_redemption(self, actor_id: str, record: dict[str, str], decision: str, reason: str) -> Outcome:
        """Fulfil or refuse (refund) a pending redemption, audited: `ok`, `unknown` or `decided` (status, by, at)."""
        k, request_id = self.keys, record["request_id"]
        reward_id, member = record["reward_id"], record["discord_id"]
        keys = [k.shop_redemption(request_id), k.shop_pending(), k.shop_spent(), k.shop_claims(reward_id)]
        keys += [k.shop_reward(reward_id), k.audit()]
        args: list[ArgT] = [decision, actor_id, int(self.now()), reason, AUDIT_MAXLEN, request_id, reward_id, member]
        return _outcome(await self.run(DECIDE_LUA, keys, args))

    async def redemption_record(self, request_id: str) -> dict[str, str]:
        return await self.read_hash(self.keys.shop_redemption(request_id))

    async def redemption_by_number(self, number: str) -> dict[str, str]:
        """The redemption admins call #`number` ({} when there is none)."""
        with wrong_type_is_damage(self.keys.shop_redemptions(), "hash"):
            request_id = text(await self.redis.hget(self.keys.shop_redemptions(), number))
        return await self.redemption_record(request_id) if request_id else {}

    async def pending_redemptions(self, start: int, count: int) -> tuple[list[dict[str, str]], int]:
        """A page of the pending redemptions, oldest first, and how many are pending."""
        return await self._page(self.keys.shop_pending(), start, count, newest_first=False)

    async def member_redemptions(self, discord_id: str, start: int, count: int) -> tuple[list[dict[str, str]], int]:
        """A page of the member's redemptions, newest first, and how many they made."""
        return await self._page(self.keys.shop_member(discord_id), start, count, newest_first=True)

    async def balance_parts(self, discord_id: str) -> tuple[int, int]:
        """(all-time points, points spent or held) of a member."""
        async with self.redis.pipeline(transaction=False) as pipe:
            pipe.hget(self.keys.connection(discord_id), "points")
            pipe.hget(self.keys.shop_spent(), discord_id)
            points, spent = await pipe.execute()
        return as_int(points), as_int(spent)

    async def claims(self, discord_id: str, reward_ids: list[str]) -> dict[str, int]:
        """The member's redemptions counting toward each reward's limit."""
        async with self.redis.pipeline(transaction=False) as pipe:
            for reward_id in reward_ids:
                pipe.hget(self.keys.shop_claims(reward_id), discord_id)
            counts = await pipe.execute()
        return {reward_id: as_int(count) for reward_id, count in zip(reward_ids, counts, strict=True)}

    # Payout addresses
    async def set_payout_address(self, discord_id: str, chain: str, address: str) -> None:
        with wrong_type_is_damage(self.keys.payout_addresses(), "hash"):
            await self.redis.hset(self.keys.payout_addresses(), discord_id, f"{chain}:{address}")

    async def payout_address_of(self, discord_id: str) -> str | None:
        """`chain:address` of the member, if they registered one."""
        with wrong_type_is_damage(self.keys.payout_addresses(), "hash"):
            return text(await self.redis.hget(self.keys.payout_addresses(), discord_id))

    async def payout_addresses(self) -> dict[str, str]:
        """discordId -> `chain:address` of every member who registered one."""
        return await self.read_hash(self.keys.payout_addresses())

    async def points_of(self, discord_ids: list[str]) -> dict[str, int]:
        """All-time points of each member (0 without a record)."""
        async with self.redis.pipeline(transaction=False) as pipe:
            for discord_id in discord_ids:
                pipe.hget(self.keys.connection(discord_id), "points")
            points = await pipe.execute()
        return {discord_id: as_int(value) for discord_id, value in zip(discord_ids, points, strict=True)}

    # Plumbing
    async def _page(self, key: str, start: int, count: int, *, newest_first: bool) -> tuple[list[dict[str, str]], int]:
        with wrong_type_is_damage(key, "sorted set"):
            async with self.redis.pipeline(transaction=False) as pipe:
                (pipe.zrevrange if newest_first else pipe.zrange)(key, start, start + count - 1)
                pipe.zcard(key)
                ids, total = await pipe.execute()
        return await self._hashes([self.keys.shop_redemption(request_id) for request_id in texts(ids)]), int(total)

    async def _hashes(self, keys: list[str]) -> list[dict[str, str]]:
        async with self.redis.pipeline(transaction=False) as pipe:
            for key in keys:
                pipe.hgetall(key)
            raws = await pipe.execute(raise_on_error=False)
        rows = []
        for key, raw in zip(keys, raws, strict=True):
            if isinstance(raw, Exception):
                raise DamagedData(f"{key} is not a hash")
            rows.append(text_map(raw))
        return rows
