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


def paginate(rows, page: int, page_size: int, key: str, item=None, **extra) -> dict:
    """A page of a queryset (counted, then sliced: two queries) or list → the answer; `item` turns a
    row into JSON. Lists whose total comes with other counts use `page_of` and `Page.json`."""
    shown = page_of(len(rows) if isinstance(rows, list) else rows.count(), page, page_size)
    items = list(shown.rows(rows))
    return shown.json(key, [item(row) for row in items] if item else items, **extra)
