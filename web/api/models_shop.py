"""The API's bodies for the rewards shop and the role rewards (pydantic)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from web.api.models import Paged


class RewardOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    name: str
    description: str
    cost: int = Field(description="Points.")
    stock: int | None = Field(description="How many are left; None: unlimited.")
    limit: int | None = Field(description="Redemptions per member (pending or fulfilled); None: no limit.")
    role_id: str | None = Field(description="The Discord role the bot grants when an admin fulfils it in Discord.")


class BalanceOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    points: int = Field(description="All-time points, adjustments included.")
    spent: int = Field(description="Points held by pending and fulfilled redemptions.")
    available: int = Field(description="What can be spent: points less spent.")


class ShopOut(Paged):
    """One page (10) of the rewards on offer, with the caller's balance and claims on limited rewards."""

    rewards: list[RewardOut]
    claims: dict[str, int] = Field(description="Reward id -> the caller's redemptions counting toward its limit.")
    balance: BalanceOut


class RedemptionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    number: int
    reward_id: str
    reward_name: str
    discord_id: str
    cost: int
    status: str = Field(description="pending, fulfilled or refused.")
    requested_at: float = Field(description="Epoch seconds.")
    role_id: str | None
    decided_at: float | None
    decided_by: str | None
    reason: str = Field(description="Why it was refused ('' otherwise).")


class RedemptionsOut(Paged):
    redemptions: list[RedemptionOut]


class RefuseIn(BaseModel):
    reason: str = Field(description="Required: one line of at most 200 characters; the member sees it.")


class RoleRewardOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    role_id: str
    threshold: int = Field(description="Points that earn the role.")
    scope: str = Field(description="alltime, or season: the open season's points (nobody holds it between seasons).")
    revoke: bool = Field(description="Taken back (from members the bot gave it to) below the threshold.")


class TierRuleOut(BaseModel):
    tier: int = Field(description="2 or 3.")
    threshold: int = Field(description="The all-time points that promote a member to it.")


class RolesOut(BaseModel):
    rewards: list[RoleRewardOut]
    tiers: list[TierRuleOut] = Field(description="Tier promotion rules (empty: promotion is off).")


class RoleRewardIn(BaseModel):
    threshold: int = Field(description="Points, 1 to 10,000,000.")
    scope: str = Field("alltime", description="alltime or season.")
    revoke: bool = Field(False, description="Take the role back below the threshold.")


class RoleRemovedOut(BaseModel):
    role_id: str
    removed: bool
