"""Rewards admins list (checked here), find by name or id, restock and retire; the shop page members see."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from engagement import validation
from engagement.admin._paging import page_window, single_line
from engagement.errors import InvalidInput, Refused
from engagement.shop._models import Balance, Reward, shown
from engagement.store import Store
from engagement.store._shop import NewReward

log = logging.getLogger(__name__)

MAX_NAME, MAX_DESCRIPTION = 60, 300
MAX_COST, MAX_STOCK, MAX_LIMIT = 1_000_000, 1_000_000, 1_000
SHOP_PAGE_SIZE = 10
_ID = re.compile(r"#?([0-9]{1,20})")


def _whole(value: object, what: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InvalidInput(f"{what} must be a whole number from {low:,} to {high:,}; got {str(value)[:20]}.")
    return value


def check_name(value: object) -> str:
    """1-60 characters on one line, with something besides digits (a number alone means a reward id)."""
    name = single_line(value, "A reward name", max_length=MAX_NAME, required=True)
    if _ID.fullmatch(name):
        raise InvalidInput("A reward name needs a letter: a number alone is read as a reward id.")
    return name


def check_reward(
    name: object, cost: object, description: object, stock: object, limit: object, role_id: str | None
) -> NewReward:
    """A reward as an admin typed it, or InvalidInput saying which value is wrong."""
    return NewReward(
        name=check_name(name),
        description=single_line(description or "", "A description", max_length=MAX_DESCRIPTION, required=False),
        cost=_whole(cost, "The cost", 1, MAX_COST),
        stock=None if stock is None else _whole(stock, "The stock", 0, MAX_STOCK),
        limit=None if limit is None else _whole(limit, "The limit per member", 1, MAX_LIMIT),
        role_id=role_id,
    )


def check_role(role_id: int, is_default: bool, managed: bool) -> str:
    """A role the bot can grant: not @everyone, not one an integration manages."""
    if is_default:
        raise InvalidInput("@everyone cannot be a reward's role: every member has it already.")
    if managed:
        raise InvalidInput("That role is managed by an integration or a bot, so nobody can grant it.")
    return validation.numeric_id(role_id, "role id")


def stock_value(stock: object, unlimited: object) -> int | None:
    """A new stock from the two options: a number, or `unlimited:True` (exactly one of them)."""
    if unlimited is True and stock is not None:
        raise InvalidInput("Give either a stock or unlimited:True, not both.")
    if unlimited is True:
        return None
    if stock is None:
        raise InvalidInput("Give the new stock (0 to 1,000,000), or unlimited:True.")
    return _whole(stock, "The stock", 0, MAX_STOCK)


async def find_reward(store: Store, wanted: object) -> Reward:
    """The reward named `wanted` (any case) among those on offer, or with that id (`3` or `#3`, retired too)."""
    text = " ".join(wanted.split()) if isinstance(wanted, str) else ""
    by_id = _ID.fullmatch(text)
    reward_id = by_id.group(1) if by_id else await store.reward_id_named(text.lower()) if text else None
    raw = await store.reward_record(reward_id) if reward_id and int(reward_id) > 0 else {}
    if not raw:
        raise Refused(f"No reward on offer is called `{text[:MAX_NAME]}`. `/shop list` shows the rewards.")
    return Reward.from_record(raw)


async def add_reward(store: Store, actor_id: str, reward: NewReward) -> Reward:
    """List `reward` (checked by `check_reward`); audited."""
    actor = validation.discord_id(actor_id)
    reward_id = await store.add_reward(actor, reward, reward.name.lower())
    if reward_id is None:
        raise Refused(f"A reward called **{shown(reward.name)}** is on offer already; pick another name.")
    log.info("admin %s listed reward %s (%s) for %d points", actor, reward_id, reward.name, reward.cost)
    return Reward.from_record(await store.reward_record(reward_id))


@dataclass(frozen=True)
class StockChange:
    reward: Reward
    old: int | None
    new: int | None


async def set_stock(store: Store, actor_id: str, wanted: object, stock: int | None) -> StockChange:
    """Set a reward's stock (None: unlimited); audited. Refused for a retired reward."""
    actor = validation.discord_id(actor_id)
    reward = await find_reward(store, wanted)
    outcome = await store.set_reward_stock(actor, reward.id, stock)
    if outcome.status != "ok":
        raise Refused(f"**{shown(reward.name)}** is retired, so its stock stays as it is.")
    old = outcome.values[0]
    log.info("admin %s set the stock of reward %s to %s (was %s)", actor, reward.id, stock, old)
    return StockChange(reward, None if old == "unlimited" else int(old or 0), stock)


async def retire_reward(store: Store, actor_id: str, wanted: object) -> Reward:
    """Take a reward off the shop; its redemptions stay and can still be decided. Audited."""
    actor = validation.discord_id(actor_id)
    reward = await find_reward(store, wanted)
    outcome = await store.retire_reward(actor, reward.id, reward.name.lower())
    if outcome.status != "ok":
        raise Refused(f"**{shown(reward.name)}** is retired already.")
    log.info("admin %s retired reward %s (%s)", actor, reward.id, reward.name)
    return reward


async def balance(store: Store, discord_id: str) -> Balance:
    points, spent = await store.balance_parts(validation.discord_id(discord_id))
    return Balance(points, spent)


@dataclass(frozen=True)
class ShopPage:
    rewards: list[Reward]
    claims: dict[str, int]  # reward id -> the viewer's redemptions counting toward its limit
    balance: Balance
    page: int  # 1-based
    pages: int
    total: int


async def shop_page(store: Store, discord_id: str, page: int = 1) -> ShopPage:
    """One page of the rewards on offer, with the viewer's balance and their claims on limited rewards."""
    member = validation.discord_id(discord_id)
    offered = [Reward.from_record(raw) for raw in await store.rewards_on_offer()]
    window = page_window(page, len(offered), SHOP_PAGE_SIZE)
    rewards = offered[window.start : window.stop]
    claims = await store.claims(member, [reward.id for reward in rewards if reward.limit is not None])
    return ShopPage(rewards, claims, await balance(store, member), window.page, window.pages, len(offered))


async def reward_names(store: Store, typed: str) -> list[str]:
    """Names of the rewards on offer containing `typed` (any case), for autocomplete."""
    wanted = typed.strip().lower()
    return [raw.get("name", "") for raw in await store.rewards_on_offer() if wanted in raw.get("name", "").lower()]
