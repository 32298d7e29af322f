"""Another table's row read with each row of a query, in the same round trip.

A learner's page needs a block's rows and the learner's own row beside each (their registration for a
session, their application to a call). A second query costs a round trip; joining the learner's row
costs none: a LEFT JOIN on a filtered relation (`joined_columns`), whose condition and a unique
constraint make it one row at most per row, its columns annotated under a prefix, then taken off the
row and rebuilt as the model's own instance (`take_joined`), as the ORM would have read it.
One joined row per query: its columns' names share one prefix. Used by the webinar's page (the
learner's registrations with the sessions) and the call's (the learner's application with the call).
"""
from __future__ import annotations

from django.db.models import F, FilteredRelation, Q

PREFIX = "joined"


def _columns(model) -> list[str]:
    return [field.attname for field in model._meta.concrete_fields]


def joined_columns(relation: str, model, condition: Q) -> dict:
    """The `annotate()` arguments that read `model`'s row through `relation` (its related name on the
    queried model) where `condition` holds: the condition must leave one row at most per row."""
    return {PREFIX: FilteredRelation(relation, condition=condition),
            **{f"{PREFIX}_{name}": F(f"{PREFIX}__{name}") for name in _columns(model)}}


def take_joined(row, model):
    """The `model` instance `joined_columns` read with `row` (None where there was none), its
    columns taken off `row`, which is left the queried model's own row."""
    columns = _columns(model)
    values = [vars(row).pop(f"{PREFIX}_{name}") for name in columns]
    if values[columns.index(model._meta.pk.attname)] is None:
        return None
    return model.from_db(row._state.db, columns, values)
