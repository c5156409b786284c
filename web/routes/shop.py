"""The Shop page (every member: the rewards on offer, their balance and redemptions; admins also list, restock and
retire rewards), the pending redemptions (admin: fulfil or refuse) and the payouts CSV. The same core calls as
/shop and /shop-admin, so the checks and the audit entries are the same. The panel has no Discord gateway, so it
cannot grant a reward's role: it leaves those redemptions to /shop-admin fulfil."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from engagement import shop, validation
from engagement.errors import InvalidInput, Refused
from engagement.shop import Redemption, Reward
from engagement.store import Store
from rules.wording import plural
from web.deps import AdminDep, FormDep, MemberDep, Viewer, field
from web.render import page
from web.routes.admin import _done
from web.routes.community import PageQuery
from web.routes.members import _whole

router = APIRouter(prefix="/c/{guild_id}/shop", include_in_schema=False)
MinePageQuery = Annotated[int, Query(alias="mine", ge=1, le=100_000)]
# Discord's markup in the core's messages: an escaped character, bold, code, and mentions and timestamps.
_MARKUP = re.compile(r"\\([\\*_~|`>])|\*\*|`")
_TIME = re.compile(r"<t:([0-9]{1,12})(?::[a-zA-Z])?>")
_ROLE = re.compile(r"<@&([0-9]+)>")
_MEMBER = re.compile(r"<@!?([0-9]+)>")


def plain(text: str) -> str:
    """A core message worded for Discord, as page text: no markdown, mentions as ids, timestamps in UTC."""
    text = _TIME.sub(lambda m: datetime.fromtimestamp(int(m[1]), UTC).strftime("on %Y-%m-%d %H:%M UTC"), text)
    text = _MEMBER.sub(r"\1", _ROLE.sub(r"role \1", text))
    return _MARKUP.sub(lambda m: m[1] or "", text)


@contextmanager
def plain_refusals() -> Iterator[None]:
    """The core's refusals (worded for Discord) in plain words, for a page or the API."""
    try:
        yield
    except Refused as error:
        raise Refused(plain(str(error))) from error
    except InvalidInput as error:
        raise InvalidInput(plain(str(error))) from error


def stock_text(stock: int | None) -> str:
    return "unlimited" if stock is None else "sold out" if stock <= 0 else f"{stock:,} left"


def reward_text(reward: Reward) -> str:
    parts = [plural(reward.cost, "point"), f"stock {stock_text(reward.stock)}"]
    parts.append(f"{reward.limit:,} per member" if reward.limit is not None else "no limit per member")
    if reward.role_id:
        parts.append(f"grants role {reward.role_id}")
    return f"{reward.name} (reward #{reward.id}): " + ", ".join(parts)


def decided_text(done: Redemption) -> str:
    what = f"Redemption #{done.number} ({done.reward_name}, {plural(done.cost, 'point')}, by {done.discord_id})"
    if done.status == "refused":
        return f"{what} is refused ({done.reason}): the points are back in their balance and the stock is restored."
    return f"{what} is fulfilled."


def by_hand(number: int, role_id: str) -> str:
    """Why the panel does not fulfil a redemption that grants a role, and what to do instead."""
    return (
        f"Redemption #{number} grants role {role_id}, and the panel cannot give roles (it has no Discord gateway): "
        f"grant the role by hand, or fulfil from Discord with /shop-admin fulfil id:{number}."
    )


def _optional(text: str) -> int | str | None:
    """A form's optional whole number: None when left empty."""
    return None if not text.strip() else _whole(text)


def _role(viewer: Viewer, text: str) -> str | None:
    """The role id typed for a reward (None when left empty); the community's id is @everyone's role."""
    if not text.strip():
        return None
    role = validation.numeric_id(text, "The role id")
    # No gateway here to ask whether an integration manages it: the bot's grant refuses such a role.
    return shop.check_role(int(role), role == str(viewer.guild_id), managed=False)


@router.get("")
async def shop_page(request: Request, viewer: MemberDep, number: PageQuery = 1, mine: MinePageQuery = 1) -> Response:
    store = viewer.services.store
    shown = await shop.shop_page(store, viewer.actor, number)
    redeemed = await shop.my_redemptions(store, viewer.actor, mine)
    return await page(
        request, "shop.html", viewer.session, viewer, shown=shown, redeemed=redeemed, stock_text=stock_text
    )


@router.post("/rewards")
async def reward_add(request: Request, viewer: AdminDep, form: FormDep) -> Response:
    with plain_refusals():
        checked = shop.check_reward(
            field(form, "name"),
            _whole(field(form, "cost")),
            field(form, "description"),
            _optional(field(form, "stock")),
            _optional(field(form, "limit")),
            _role(viewer, field(form, "role")),
        )
        listed = await shop.add_reward(viewer.services.store, viewer.actor, checked)
    return await _done(request, viewer, "shop", f"Listed {reward_text(listed)}.")


@router.post("/stock")
async def reward_stock(request: Request, viewer: AdminDep, form: FormDep) -> Response:
    with plain_refusals():
        stock = shop.stock_value(_optional(field(form, "stock")), field(form, "unlimited") == "1")
        change = await shop.set_stock(viewer.services.store, viewer.actor, field(form, "reward"), stock)
    notice = f"{change.reward.name}: stock {stock_text(change.new)} (was {stock_text(change.old)})."
    return await _done(request, viewer, "shop", notice)


@router.post("/retire")
async def reward_retire(request: Request, viewer: AdminDep, form: FormDep) -> Response:
    with plain_refusals():
        retired = await shop.retire_reward(viewer.services.store, viewer.actor, field(form, "reward"))
    notice = f"{retired.name} is no longer offered; its redemptions stay and can still be decided."
    return await _done(request, viewer, "shop", notice)


@router.get("/redemptions")
async def redemptions(request: Request, viewer: AdminDep, number: PageQuery = 1) -> Response:
    shown = await shop.pending_redemptions(viewer.services.store, number)
    return await page(request, "redemptions.html", viewer.session, viewer, shown=shown, by_hand=by_hand)


async def pending_role(store: Store, number: int | str) -> str | None:
    """The role a pending redemption grants; None when it grants none or is not pending (the core then says why)."""
    if not isinstance(number, int) or number < 1:
        return None
    raw = await store.redemption_by_number(str(number))
    if raw.get("status") != "pending":
        return None
    return raw.get("role_id") or None


@router.post("/fulfil")
async def fulfil(request: Request, viewer: AdminDep, form: FormDep) -> Response:
    number = _whole(field(form, "number"))
    with plain_refusals():
        role = await pending_role(viewer.services.store, number)
        if role is not None and isinstance(number, int):
            raise Refused(by_hand(number, role) + " Nothing was changed.")
        done = await shop.fulfil(viewer.services.store, viewer.actor, number)
    return await _done(request, viewer, "shop/redemptions", decided_text(done))


@router.post("/refuse")
async def refuse(request: Request, viewer: AdminDep, form: FormDep) -> Response:
    number = _whole(field(form, "number"))
    with plain_refusals():
        done = await shop.refuse(viewer.services.store, viewer.actor, number, field(form, "reason"))
    return await _done(request, viewer, "shop/redemptions", decided_text(done))


@router.get("/payouts.csv")
async def payouts_csv(viewer: AdminDep) -> Response:
    """Every member with a payout address and their all-time points; audited (`payouts-export`) as in Discord."""
    # No member list here (no gateway): names are those members last used the bot with.
    export = await shop.payouts_csv(viewer.services.store, viewer.actor, {})
    headers = {"Content-Disposition": f'attachment; filename="{export.filename}"'}
    return Response(export.csv_text, media_type="text/csv; charset=utf-8", headers=headers)
