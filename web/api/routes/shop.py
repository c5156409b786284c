"""The rewards shop (the rewards on offer and the caller's balance: everyone; pending redemptions and refusing one:
admin) and the role rewards (admin), through the same core calls as the Shop and Roles pages."""

from __future__ import annotations

from fastapi import APIRouter

from engagement import role_rewards, shop
from engagement.shop import RedemptionsPage, ShopPage
from web.api import cursors
from web.api.auth import AdminDep, MemberDep
from web.api.cursors import CursorQuery
from web.api.models_shop import (
    BalanceOut,
    RedemptionOut,
    RedemptionsOut,
    RefuseIn,
    RewardOut,
    RoleRemovedOut,
    RoleRewardIn,
    RoleRewardOut,
    RolesOut,
    ShopOut,
    TierRuleOut,
)
from web.routes.community import PageQuery
from web.routes.shop import plain_refusals

router = APIRouter(prefix="/communities/{guild_id}")


def _paging(kind: str, shown: ShopPage | RedemptionsPage) -> dict[str, object]:
    following = cursors.next_cursor(kind, shown.page, shown.pages)
    return {"page": shown.page, "pages": shown.pages, "total": shown.total, "next_cursor": following}


@router.get("/shop/rewards")
async def rewards(viewer: MemberDep, page: PageQuery = 1, cursor: CursorQuery = None) -> ShopOut:
    """The rewards on offer (10 a page), with the caller's balance (a token's: the admin who made it)."""
    number = cursors.page_of("shop-rewards", cursor, page)
    shown = await shop.shop_page(viewer.services.store, viewer.actor, number)
    return ShopOut.model_validate(
        {
            **_paging("shop-rewards", shown),
            "rewards": [RewardOut.model_validate(reward) for reward in shown.rewards],
            "claims": shown.claims,
            "balance": BalanceOut.model_validate(shown.balance),
        }
    )


@router.get("/shop/redemptions")
async def redemptions(viewer: AdminDep, page: PageQuery = 1, cursor: CursorQuery = None) -> RedemptionsOut:
    """The redemptions waiting for a decision, oldest first (10 a page)."""
    number = cursors.page_of("shop-redemptions", cursor, page)
    shown = await shop.pending_redemptions(viewer.services.store, number)
    found = [RedemptionOut.model_validate(redemption) for redemption in shown.redemptions]
    return RedemptionsOut.model_validate({**_paging("shop-redemptions", shown), "redemptions": found})


@router.post("/shop/redemptions/{number}/refuse")
async def refuse(viewer: AdminDep, number: int, body: RefuseIn) -> RedemptionOut:
    """Refuse a pending redemption: its points come back and its stock is restored (audited `redemption-refuse`)."""
    with plain_refusals():
        done = await shop.refuse(viewer.services.store, viewer.actor, number, body.reason)
    return RedemptionOut.model_validate(done)


@router.get("/roles")
async def roles(viewer: AdminDep) -> RolesOut:
    store = viewer.services.store
    found = [RoleRewardOut.model_validate(reward) for reward in await role_rewards.role_rewards(store)]
    tiers = [
        TierRuleOut(tier=level, threshold=points)
        for level, points in sorted((await role_rewards.tier_rules(store)).items())
    ]
    return RolesOut(rewards=found, tiers=tiers)


@router.put("/roles/{role_id}")
async def set_role_reward(viewer: AdminDep, role_id: str, body: RoleRewardIn) -> RoleRewardOut:
    """Grant the role at `threshold` points (replacing that role's rule); audited as `role-reward`."""
    found = await role_rewards.add_role_reward(
        viewer.services, viewer.actor, role_id, body.threshold, body.scope, body.revoke
    )
    return RoleRewardOut.model_validate(found)


@router.delete("/roles/{role_id}")
async def remove_role_reward(viewer: AdminDep, role_id: str) -> RoleRemovedOut:
    """Stop granting the role (members keep it); audited as `role-reward`."""
    await role_rewards.remove_role_reward(viewer.services, viewer.actor, role_id)
    return RoleRemovedOut(role_id=str(int(role_id)), removed=True)
