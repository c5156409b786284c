"""The member list of a community (the panel's Members page): tier, points and link status, a page at a time."""

from __future__ import annotations

from dataclasses import dataclass

from engagement.admin._export import _number
from engagement.admin._paging import page_window
from engagement.store import Store

MEMBERS_PAGE_SIZE = 50


@dataclass(frozen=True)
class MemberRow:
    discord_id: str
    handle: str
    """The linked X handle ('' when not linked now)."""
    tier: int
    points: int
    linked: bool


@dataclass(frozen=True)
class MembersPage:
    members: list[MemberRow]
    page: int
    pages: int
    total: int


async def list_members(store: Store, page: object = 1) -> MembersPage:
    """Every member with a record (linked now or once), by Discord id; points are all-time."""
    ids = await store.member_ids()
    window = page_window(page, len(ids), MEMBERS_PAGE_SIZE)
    shown = ids[window.start : window.stop]
    records = await store.connection_hashes(shown)
    rows = []
    for discord_id in shown:
        record = records.get(discord_id, {})
        linked = bool(record.get("x_user_id"))
        tier = _number(record.get("tier", "")) or 1
        handle = record.get("handle", "") if linked else ""
        rows.append(MemberRow(discord_id, handle, tier, _number(record.get("points", "")), linked))
    return MembersPage(rows, window.page, window.pages, len(ids))
