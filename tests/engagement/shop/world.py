"""Members with points and rewards on offer, made through the store's own writes."""

from __future__ import annotations

from engagement import shop
from engagement.shop import Reward
from engagement.store import Store

ADMIN = "999999999999999999"
ALICE, BOB = "111111111111111111", "222222222222222222"
AT = "2026-11-18T00:00:00+00:00"


def member_id(n: int) -> str:
    return str(300_000_000_000_000_000 + n)


async def member_with(store: Store, discord_id: str, points: int, x_user: str | None = None) -> None:
    """A linked member holding `points` all-time points (an admin adjustment, as on a real server)."""
    await store.link_account(discord_id, x_user or str(int(discord_id) % 10**12 + 1), f"m{discord_id[-6:]}", "bio", AT)
    if points:
        assert await store.adjust_points(ADMIN, discord_id, points, "seed") == points


async def reward(
    store: Store,
    name: str = "Sticker pack",
    cost: int = 50,
    *,
    stock: int | None = None,
    limit: int | None = None,
    role_id: str | None = None,
    description: str = "",
) -> Reward:
    checked = shop.check_reward(name, cost, description, stock, limit, role_id)
    return await shop.add_reward(store, ADMIN, checked)


async def alltime(store: Store) -> list[tuple[str, float]]:
    return list(await store.redis.zrevrange(store.keys.leaderboard_alltime(), 0, -1, withscores=True))


async def audits(store: Store) -> list[dict[str, str]]:
    return [dict(entry) for entry in reversed(await store.audit_entries(50))]
