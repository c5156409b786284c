"""Opaque cursors of the API's lists: the list they belong to and the next page, base64url-encoded, so a client
follows `next_cursor` without building page numbers; any other text is a 400 problem."""

from __future__ import annotations

import base64
import binascii
import re
from typing import Annotated, Any

from fastapi import Query

from engagement import admin as core
from web.api.auth import ApiProblem

CursorQuery = Annotated[str | None, Query(max_length=200, description="`next_cursor` of the previous answer.")]
_PLAIN = re.compile(r"([a-z-]{1,20}):([1-9][0-9]{0,5})")


def encode(kind: str, page: int) -> str:
    return base64.urlsafe_b64encode(f"{kind}:{page}".encode()).decode().rstrip("=")


def next_cursor(kind: str, page: int, pages: int) -> str | None:
    """The cursor of the page after `page` (1-based), None on the last one."""
    return encode(kind, page + 1) if page < pages else None


def page_of(kind: str, cursor: str | None, page: int) -> int:
    """The 1-based page a request asks for: its cursor's (which must be one of `kind`), else `page`."""
    if cursor is None:
        return page
    try:
        plain = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        plain = ""
    found = _PLAIN.fullmatch(plain)
    if found is None or found.group(1) != kind:
        raise ApiProblem(400, "Bad cursor", "This cursor is not one this list gave out; start without one.")
    return int(found.group(2))


# A core list's page (1-based, with the number of pages and of items).
Page = core.TweetsPage | core.BatchesPage | core.MembersPage | core.AuditPage


def paging(kind: str, shown: Page) -> dict[str, Any]:
    """The `Paged` fields of an answer: where it is and the cursor of the page after it."""
    following = next_cursor(kind, shown.page, shown.pages)
    return {"page": shown.page, "pages": shown.pages, "total": shown.total, "next_cursor": following}
