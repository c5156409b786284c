"""Redeeming a reward (once per request, atomically), the member's and the admins' lists, and decisions."""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace

from engagement import validation
from engagement.admin._paging import page_window, single_line
from engagement.errors import DamagedData, InvalidInput, Refused
from engagement.shop._models import Balance, Redemption, Reward, shown
from engagement.shop._rewards import balance, find_reward
from engagement.store import Store
from engagement.store._shop import FULFILLED, REFUSED, UNLIMITED
from rules.wording import plural

log = logging.getLogger(__name__)

REDEMPTIONS_PAGE_SIZE = 10
MAX_REASON = 200
MAX_NUMBER = 10**12


@dataclass(frozen=True)
class Redeemed:
    redemption: Redemption
    balance: Balance
    stock_left: int | None  # None: unlimited (or not known, for a repeated request)
    repeated: bool  # this request had redeemed already: nothing new was written


def _nothing_taken(reward: Reward, why: str) -> Refused:
    return Refused(f"**{shown(reward.name)}** {why}, so nothing was taken.")


async def redeem(store: Store, discord_id: str, wanted: object, request_id: object) -> Redeemed:
    """Redeem one of `wanted` for the member; `request_id` (the interaction id) makes a retry return the first."""
    member = validation.discord_id(discord_id)
    request = validation.numeric_id(request_id, "request id")
    reward = await find_reward(store, wanted)
    outcome = await store.redeem(member, reward.id, request)
    if outcome.status == "ok":
        number, points, spent, left = outcome.values
        record = Redemption(
            int(number), request, reward.id, reward.name, member, reward.cost, "pending", store.now(), reward.role_id
        )
        log.info(
            "member %s redeemed reward %s (%s) for %d points: redemption %s",
            *(member, reward.id, reward.name, reward.cost, number),
        )
        stock = None if left == UNLIMITED else int(left)
        return Redeemed(record, Balance(int(points), int(spent)), stock, repeated=False)
    if outcome.status == "repeat":
        return await _first_outcome(store, member, request)
    log.info("member %s could not redeem reward %s: %s", member, reward.id, outcome.status)
    raise await _refusal(store, member, reward, outcome.status, outcome.values)


async def _first_outcome(store: Store, member: str, request: str) -> Redeemed:
    record = Redemption.from_record(await store.redemption_record(request))
    if record.discord_id != member:
        raise InvalidInput("That request id was used by another member's redemption.")
    return Redeemed(record, await balance(store, member), None, repeated=True)


async def _refusal(store: Store, member: str, reward: Reward, status: str, values: tuple[str, ...]) -> Refused:
    if status == "retired":
        return _nothing_taken(reward, "is no longer offered (an admin retired it)")
    if status == "limit":
        times = plural(int(values[0]), "time")
        limit = plural(reward.limit or 0, "time")
        return _nothing_taken(reward, f"can be redeemed {limit} per member and you have {times} (pending or fulfilled)")
    if status == "poor":
        points, spent = int(values[0]), int(values[1])
        return _nothing_taken(
            reward,
            f"costs {plural(reward.cost, 'point')} and you have {plural(points - spent, 'point')} to spend "
            f"({points:,} all-time, {spent:,} spent or held)",
        )
    if status == "sold_out":
        left = await balance(store, member)
        return _nothing_taken(reward, f"is sold out; you still have {plural(left.available, 'point')} to spend")
    raise DamagedData(f"reward {reward.id} vanished while it was redeemed")  # `unknown`: removed by hand


@dataclass(frozen=True)
class RedemptionsPage:
    redemptions: list[Redemption]
    page: int  # 1-based
    pages: int
    total: int


async def my_redemptions(store: Store, discord_id: str, page: int = 1) -> RedemptionsPage:
    """The member's redemptions, newest first, with their status."""
    member = validation.discord_id(discord_id)
    _, total = await store.member_redemptions(member, 0, 0)
    window = page_window(page, total, REDEMPTIONS_PAGE_SIZE)
    rows, total = await store.member_redemptions(member, window.start, window.size)
    return RedemptionsPage([Redemption.from_record(row) for row in rows if row], window.page, window.pages, total)


async def pending_redemptions(store: Store, page: int = 1) -> RedemptionsPage:
    """The redemptions waiting for an admin, oldest first."""
    _, total = await store.pending_redemptions(0, 0)
    window = page_window(page, total, REDEMPTIONS_PAGE_SIZE)
    rows, total = await store.pending_redemptions(window.start, window.size)
    return RedemptionsPage([Redemption.from_record(row) for row in rows if row], window.page, window.pages, total)


async def _decide(store: Store, actor_id: str, number: object, decision: str, reason: str) -> Redemption:
    actor = validation.discord_id(actor_id)
    if isinstance(number, bool) or not isinstance(number, int) or not 1 <= number <= MAX_NUMBER:
        raise InvalidInput(f"A redemption number is a whole number from 1 (see `/shop-admin pending`); got {number}.")
    raw = await store.redemption_by_number(str(number))
    if not raw:
        raise Refused(f"There is no redemption #{number}. `/shop-admin pending` lists those waiting.")
    record = Redemption.from_record(raw)
    outcome = await store.decide_redemption(actor, raw, decision, reason)
    if outcome.status == "decided":
        status, by, at = outcome.values
        when = f" <t:{int(float(at))}:R>" if at else ""
        raise Refused(f"Redemption #{number} was {status} already (by <@{by}>{when}), so nothing was changed.")
    if outcome.status != "ok":
        raise Refused(f"There is no redemption #{number}. `/shop-admin pending` lists those waiting.")
    log.info(
        "admin %s %s redemption %d (reward %s, member %s)",
        actor,
        decision,
        number,
        *(record.reward_id, record.discord_id),
    )
    return replace(record, status=decision, decided_at=store.now(), decided_by=actor, reason=reason)


async def fulfil(store: Store, actor_id: str, number: object) -> Redemption:
    """Mark a pending redemption fulfilled (the bot then grants its role, if it has one); audited."""
    return await _decide(store, actor_id, number, FULFILLED, "")


async def refuse(store: Store, actor_id: str, number: object, reason: object) -> Redemption:
    """Refuse a pending redemption: its points come back and its stock is restored, in the same step; audited."""
    why = single_line(reason, "A reason", max_length=MAX_REASON, required=True)
    return await _decide(store, actor_id, number, REFUSED, why)
