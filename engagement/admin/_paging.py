"""Page numbers the admin commands accept: 1-based, clamped to the last page."""

from __future__ import annotations

from dataclasses import dataclass

from engagement.errors import InvalidInput

MAX_PAGE = 100_000


@dataclass(frozen=True)
class PageWindow:
    page: int
    pages: int
    start: int
    size: int

    @property
    def stop(self) -> int:
        return self.start + self.size


def page_window(page: object, total: int, size: int) -> PageWindow:
    """Where page `page` (1-based) of `total` items starts; a page past the end shows the last one."""
    if isinstance(page, bool) or not isinstance(page, int) or not 1 <= page <= MAX_PAGE:
        raise InvalidInput(f"page must be a whole number from 1 to {MAX_PAGE}, got {str(page)[:20]!r}")
    pages = max((total + size - 1) // size, 1)
    page = min(page, pages)
    return PageWindow(page=page, pages=pages, start=(page - 1) * size, size=size)


def single_line(value: object, what: str, *, max_length: int, required: bool) -> str:
    """Admin free text (a reason): one line, trimmed, at most `max_length` characters."""
    text = " ".join(str(value).split()) if isinstance(value, str) else ""
    if required and not text:
        raise InvalidInput(f"{what} is required.")
    if len(text) > max_length:
        raise InvalidInput(f"{what} must be at most {max_length} characters.")
    return text
