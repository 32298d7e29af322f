"""Another table's row read with each row of a query, in the same round trip.

A learner's page needs a block's rows and the learner's own row beside each (their registration for a
session, their application to a call), or the learner's row with the block's own rows for them (their
supervisor agreement). A second query costs a round trip; joining the row costs none: a LEFT JOIN on
a filtered relation (`joined_columns`), whose condition and a unique constraint make it one row at
most per row, its columns annotated under a prefix, then taken off the row and rebuilt as the model's
own instance (`take_joined`), as the ORM would have read it. A row the joined one points to (the
agreement's current request) comes along the same way (`columns_through`), and so does a row of a
table the query has no relation to, found by a unique key (`one_row_columns`: the learner's row with a
page's sessions). The columns are named by a prefix, PREFIX by default; a query joining several rows
gives each its own.
"""
from __future__ import annotations

from django.db.models import F, FilteredRelation, Q, Subquery

PREFIX = "joined"


def _columns(model) -> list[str]:
    return [field.attname for field in model._meta.concrete_fields]


def joined_columns(relation: str, model, condition: Q, prefix: str = PREFIX) -> dict:
    """The `annotate()` arguments that read `model`'s row through `relation` (its related name on the
    queried model) where `condition` holds: the condition must leave one row at most per row."""
    return {prefix: FilteredRelation(relation, condition=condition), **columns_through(prefix, model, prefix)}


def columns_through(path: str, model, prefix: str) -> dict:
    """The `annotate()` arguments that read the `model` row at `path` (a joined row's foreign key, say
    "joined__current_request") under `prefix`."""
    return {f"{prefix}_{name}": F(f"{path}__{name}") for name in _columns(model)}


def one_row_columns(rows, model, prefix: str) -> dict:
    """The `annotate()` arguments that read the one row of `rows` (a unique key's: the learner's) beside
    every row of the query, under `prefix`, for a table the query has no relation to: a subquery per
    column that refers to nothing outside itself, which SQLite, MariaDB/MySQL and PostgreSQL evaluate
    once per statement, not once per row. `take_joined` takes it off each row."""
    return {f"{prefix}_{name}": Subquery(rows.values(name)[:1]) for name in _columns(model)}


def take_joined(row, model, prefix: str = PREFIX):
    """The `model` instance read with `row` under `prefix` (None where there was none), its columns
    taken off `row`, which is left the queried model's own row."""
    columns = _columns(model)
    values = [vars(row).pop(f"{prefix}_{name}") for name in columns]
    if values[columns.index(model._meta.pk.attname)] is None:
        return None
    return model.from_db(row._state.db, columns, values)


def drop_joined(row, model, prefix: str):
    """Take the columns `one_row_columns` read off `row` without building the row again (every row of
    the query carries the same one: `take_joined` builds it from the first)."""
    for name in _columns(model):
        vars(row).pop(f"{prefix}_{name}")
