"""One layout for the outcome rows of several block packages, so that a page reads them in one statement.

A programme is judged on outcomes four packages keep (webinar attendance, assignment results,
supervisor approvals, sharing participation) and on the published settings some of them are judged
by. Read kind by kind, that is a database round trip per kind for every programme page, cohort page
and certificate check. Each package's api instead shapes its rows in this layout (`outcome_rows`),
the programme reads them all as one `UNION ALL` (`read_together`), and hands each package back its
own rows to interpret (`rows_of`): the programme never names another package's columns, and each
package still alone knows what its columns mean.

The columns are generic because a union's columns must be one list for every branch: what each holds
is said by the package that fills it (its api's `*_rows`). A column absent from a branch is a NULL;
Django converts every branch's values by the column's type (dates and numbers as each database
returns them, whichever branch comes first). In SQL, a NULL standing for a number or a date is cast
to its type: PostgreSQL settles a union's column types two branches at a time, and two plain NULLs
make `text`, which a later branch's integer cannot join. A NULL standing for text stays plain (any
text type joins it on PostgreSQL; a cast one would give MariaDB a collation of its own, which a
union refuses to mix with a table's). A branch's text goes in `status` or `detail`, a JSON document
in `document` (read as text: a `UNION` of JSON columns is not portable).
"""
from __future__ import annotations

import json
from typing import NamedTuple

from django.db.models import CharField, DateTimeField, F, FloatField, IntegerField, TextField, Value
from django.db.models.functions import Cast


class OutcomeRow(NamedTuple):
    """One row read: which kind it is (the branch that gave it), whose outcome in which block, and
    the columns the kind's package filled (see its api's `*_rows`)."""

    kind: str
    usage_key: str
    learner_id: int | None
    status: str | None
    detail: str | None
    amount_1: float | None
    amount_2: float | None
    amount_3: float | None
    moment: object  # an aware datetime or None
    document: str | None


# The type of each column, for the NULL that stands where a branch has nothing to say.
_TYPES = {"usage_key": CharField(), "learner_id": IntegerField(), "status": CharField(), "detail": CharField(),
          "amount_1": FloatField(), "amount_2": FloatField(), "amount_3": FloatField(), "moment": DateTimeField(),
          "document": TextField()}
_TEXT = (CharField, TextField)
# Annotation names: a model's own field (`status`, `usage_key`) may not be annotated over.
_COLUMNS = tuple(f"outcome_{name}" for name in OutcomeRow._fields)


def outcome_rows(queryset, kind: str, **columns):
    """`queryset` (filtered to the rows wanted) as rows of `kind` in the common layout: `columns` maps
    a column of `OutcomeRow` to a field path of the queryset's model (or an expression); `document`
    takes a JSON field. Columns not given are NULL."""
    unknown = set(columns) - set(_TYPES)
    if unknown:
        raise TypeError(f"outcome_rows: no column {sorted(unknown)}")
    annotations = {"outcome_kind": Value(kind, output_field=CharField())}
    for name, kind_of_null in _TYPES.items():
        given = columns.get(name)
        if given is None:
            annotations[f"outcome_{name}"] = Value(None, output_field=kind_of_null) if isinstance(kind_of_null, _TEXT) \
                else Cast(Value(None), kind_of_null)
        elif name == "document":
            annotations[f"outcome_{name}"] = Cast(F(given) if isinstance(given, str) else given, TextField())
        else:
            annotations[f"outcome_{name}"] = F(given) if isinstance(given, str) else given
    return queryset.order_by().annotate(**annotations).values_list(*_COLUMNS)


def read_together(querysets: list):
    """The union of `outcome_rows` querysets, to be read as one statement (their rows in no order)."""
    first, *rest = querysets
    return first.union(*rest, all=True) if rest else first


def as_outcome_rows(rows) -> list[OutcomeRow]:
    """What a query of `outcome_rows` read (tuples), as `OutcomeRow`s."""
    return [OutcomeRow._make(row) for row in rows]


def rows_of(rows, kind: str) -> list[OutcomeRow]:
    """The rows of one kind among what `read_together` read."""
    return as_outcome_rows(row for row in rows if row[0] == kind)


def document_of(row: OutcomeRow):
    """A row's `document` column as the JSON value it holds (None for none)."""
    return None if row.document is None else json.loads(row.document)
