"""What the shop shows: rewards, redemptions and a member's balance, read from the store's raw hashes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from engagement.errors import DamagedData
from engagement.store._shop import UNLIMITED

_MARKDOWN = str.maketrans({char: "\\" + char for char in "\\*_~|`>"})


def shown(name: str) -> str:
    """Member-chosen text with Discord's markdown characters escaped, to put inside **bold**."""
    return name.translate(_MARKDOWN)


def _number(raw: Mapping[str, str], field: str, what: str) -> int:
    value = raw.get(field, "")
    try:
        return int(value)
    except ValueError:
        raise DamagedData(f"{what} field {field} is not an integer") from None


@dataclass(frozen=True)
class Reward:
    id: str
    name: str
    description: str
    cost: int
    stock: int | None  # None: unlimited
    limit: int | None  # per member; None: no limit
    role_id: str | None
    retired: bool

    @classmethod
    def from_record(cls, raw: Mapping[str, str]) -> Reward:
        what = f"reward {raw.get('id', '?')}"
        stock = None if raw.get("stock") == UNLIMITED else _number(raw, "stock", what)
        limit = _number(raw, "limit", what) if raw.get("limit") else None
        return cls(
            id=raw.get("id", ""),
            name=raw.get("name", ""),
            description=raw.get("description", ""),
            cost=_number(raw, "cost", what),
            stock=stock,
            limit=limit,
            role_id=raw.get("role_id") or None,
            retired=bool(raw.get("retired_at")),
        )

    @property
    def sold_out(self) -> bool:
        return self.stock is not None and self.stock <= 0


@dataclass(frozen=True)
class Redemption:
    number: int
    request_id: str
    reward_id: str
    reward_name: str
    discord_id: str
    cost: int
    status: str  # pending, fulfilled or refused
    requested_at: float
    role_id: str | None = None
    decided_at: float | None = None
    decided_by: str | None = None
    reason: str = ""

    @classmethod
    def from_record(cls, raw: Mapping[str, str]) -> Redemption:
        what = f"redemption {raw.get('number', '?')}"
        return cls(
            number=_number(raw, "number", what),
            request_id=raw.get("request_id", ""),
            reward_id=raw.get("reward_id", ""),
            reward_name=raw.get("reward_name", ""),
            discord_id=raw.get("discord_id", ""),
            cost=_number(raw, "cost", what),
            status=raw.get("status", ""),
            requested_at=float(raw.get("requested_at") or 0),
            role_id=raw.get("role_id") or None,
            decided_at=float(raw["decided_at"]) if raw.get("decided_at") else None,
            decided_by=raw.get("decided_by") or None,
            reason=raw.get("reason", ""),
        )


@dataclass(frozen=True)
class Balance:
    """Points a member can spend: all-time points (adjustments included) less what is spent or held."""

    points: int
    spent: int

    @property
    def available(self) -> int:
        return self.points - self.spent
