"""Reading the audit log (`{p}:audit`, written by every change in the same step as it): newest first,
filtered by who and what, one page at a time."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from engagement.admin._paging import page_window, single_line
from engagement.store import Store
from engagement.store._base import AUDIT_MAXLEN

AUDIT_PAGE_SIZE = 50


@dataclass(frozen=True)
class AuditEntry:
    actor: str
    action: str
    target: str
    old: str
    new: str
    at: float


@dataclass(frozen=True)
class AuditPage:
    entries: list[AuditEntry]
    page: int
    pages: int
    total: int
    """Entries matching the filters."""
    actions: list[str]
    """Every action the log holds, for the filter's choices."""


def _entry(raw: Mapping[str, str]) -> AuditEntry:
    try:
        at = float(raw.get("at", "0"))
    except ValueError:
        at = 0.0
    get = raw.get
    return AuditEntry(get("actor", ""), get("action", ""), get("target", ""), get("old", ""), get("new", ""), at)


def _filter(value: object, what: str) -> str:
    return single_line(value, what, max_length=100, required=False)


async def audit_log(store: Store, actor: object = "", action: object = "", page: object = 1) -> AuditPage:
    """One page of the audit log, newest first; `actor` (a Discord id) and `action` filter it when given.

    The stream is capped (about AUDIT_MAXLEN entries), so reading it whole to filter stays bounded.
    """
    who, what = _filter(actor, "The actor"), _filter(action, "The action")
    entries = [_entry(raw) for raw in await store.audit_entries(count=AUDIT_MAXLEN * 2)]
    actions = sorted({entry.action for entry in entries if entry.action})
    matching = [e for e in entries if (not who or e.actor == who) and (not what or e.action == what)]
    window = page_window(page, len(matching), AUDIT_PAGE_SIZE)
    shown = matching[window.start : window.stop]
    return AuditPage(shown, window.page, window.pages, len(matching), actions)
