"""How the staff lists read a page in one round trip: counts as subqueries the page carries, and
the total of the whole list riding on each row (a window, `COUNT(*) OVER ()`: SQLite ≥ 3.25,
MariaDB ≥ 10.2, MySQL 8, PostgreSQL)."""
from __future__ import annotations

from django.db.models import Count, F, Func, IntegerField, Subquery, Window

from blended_xblocks.core.pagination import page_of


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
    `list_total`) in one query: the total and pending count ride on the rows, and are counted apart
    only when the page is empty; a page past the end shows the last page."""
    rows = list(ordered[(page - 1) * page_size:page * page_size])
    if rows:
        return rows, page_of(_field(rows[0], "list_total"), page, page_size), _field(rows[0], "pending_total")
    shown = page_of(query.count(), page, page_size)
    return (list(shown.rows(ordered)) if shown.number != page else []), shown, (
        pending.count() if pending is not None else None)
