"""The one page shape of every list a handler answers (docs/api.md, "Pagination").

A request names `page` and `page_size` (`core.schema.pagination`); the answer carries the list under
the handler's documented key and `page`, `page_size`, `total`, `num_pages`, whatever the block. A
page past the last one is answered with the last page (and its number): a list that shrank while
someone read it (a post deleted, a filter changed) shows its end rather than an empty table.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Page:
    """Which rows of `total` one request shows; `number` is the requested page, clamped."""

    number: int
    size: int
    total: int

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def start(self) -> int:
        return (self.number - 1) * self.size

    @property
    def end(self) -> int:
        return self.start + self.size

    def rows(self, rows):
        """The page's slice of a queryset or list (a queryset stays one LIMIT/OFFSET query)."""
        return rows[self.start:self.end]

    def json(self, key: str, items: list, **extra) -> dict:
        """The answer: `{key: items, "page", "page_size", "total", "num_pages", **extra}`."""
        return {key: items, "page": self.number, "page_size": self.size, "total": self.total,
                "num_pages": self.num_pages, **extra}


def page_of(total: int, page: int, page_size: int) -> Page:
    """The page to show of `total` rows: `page`, or the last page when `page` is past it."""
    last = max(1, -(-total // page_size))
    return Page(number=min(max(1, page), last), size=page_size, total=total)


def read_page(rows, page: int, page_size: int, count, total_on_row=None) -> tuple[Page, list]:
    """(Page, its rows) of the ordered `rows` (a queryset or list), counted apart only when the rows
    cannot tell the total: a row may carry it (`total_on_row(row)`, say a window `COUNT(*) OVER ()`
    riding on each row), and a partial page tells it (the rows before it and those on it). A full or
    empty page past the first costs `count()`; a page past the end is read again as the last page."""
    start = (max(1, page) - 1) * page_size
    found = list(rows[start:start + page_size])
    if found and total_on_row is not None:
        total = total_on_row(found[0])
    elif len(found) < page_size and (found or not start):
        total = start + len(found)
    else:  # a full page: never fewer than its rows, though some were deleted before the count
        total = max(count(), start + len(found)) if found else count()
    shown = page_of(total, page, page_size)
    return shown, found if shown.start == start else list(shown.rows(rows))


def paginate(rows, page: int, page_size: int, key: str, item=None, **extra) -> dict:
    """A page of a queryset or list → the answer (one query when the page is partial, as most lists'
    only page is; two when the total must be counted; three for a page past the end, read again as
    the last); `item` turns a row into JSON. Lists whose total comes with other counts use
    `read_page` or `page_of` and `Page.json`."""
    shown, items = read_page(rows, page, page_size, count=lambda: len(rows) if isinstance(rows, list) else rows.count())
    return shown.json(key, [item(row) for row in items] if item else items, **extra)
