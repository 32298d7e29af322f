"""How the staff lists read a page in one round trip: counts as subqueries the page carries, and
the total of the whole list riding on each row (a window, `COUNT(*) OVER ()`: SQLite ≥ 3.25,
MariaDB ≥ 10.2, MySQL 8, PostgreSQL)."""
from __future__ import annotations

from django.db.models import Count, F, Func, IntegerField, Subquery, Window

from blended_xblocks.core.pagination import read_page


def count_of(query):
    """The number of rows of `query`, as a subquery another query carries (no round trip of its own)."""
    return Subquery(query.order_by().annotate(number=Func(F("pk"), function="COUNT")).values("number"),
                    output_field=IntegerField())


def with_totals(query, pending=None):
    """The rows of one page also carry the total of the whole list (`list_total`) and the `pending`
    queryset's count (`pending_total`): a page is one round trip."""
    query = query.annotate(list_total=Window(Count("pk")))
    return query.annotate(pending_total=count_of(pending)) if pending is not None else query


def _field(row, name):
    return row.get(name) if isinstance(row, dict) else getattr(row, name, None)


def page_with_total(ordered, query, page: int, page_size: int, pending=None) -> tuple:
    """(rows, Page, pending count) of `ordered` (`query` annotated `with_totals`, or values carrying
    `list_total`) in one query (`core.pagination.read_page`): the total and pending count ride on the
    rows, and are counted apart only when the page is empty."""
    shown, rows = read_page(ordered, page, page_size, count=query.count,
                            total_on_row=lambda row: _field(row, "list_total"))
    waiting = _field(rows[0], "pending_total") if rows else (pending.count() if pending is not None else None)
    return rows, shown, waiting
