"""ORM queries whose SQL Django builds once per shape and database, then runs again with new values.

A learner's page runs the same few reads on every request, only with other keys (this course, this
learner, the page's blocks). Django's ORM spends 100–300 µs of Python building and compiling each one
every time (ADR 0014): more than SQLite takes to answer it, and most of what a small block's view costs.
A `PreparedQuery` has the ORM build the SQL once with stand-in values, keeps the SQL and where each value
goes, and runs it again through a cursor with the real values; rows come back through the compiler's own
converters (dates, JSON, booleans as each database returns them) in the form the ORM would give them.
The SQL is still the ORM's: the models stay the only description of our tables.

Only what a stand-in can stand for is accepted: text, integers, aware datetimes compared with a datetime
column (sent in the database's own form, as the ORM sends them), and lists of them. `None` and booleans
change the SQL itself or cannot be told apart (`IS NULL`, 0/1): a query keeps those as constants in its
`build`, or names them as `shape` values: each of their values gets SQL of its own (a `LIMIT`, a
flag that adds a filter).
"""
from __future__ import annotations

import datetime
import threading
from collections import OrderedDict
from collections.abc import Callable
from functools import partial
from operator import itemgetter
from typing import NamedTuple

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models.query import FlatValuesListIterable, ModelIterable, ValuesIterable, ValuesListIterable, get_related_populators
from django.utils import timezone

# A list longer than this is not prepared: each length is a shape of its own (its IN has that many
# placeholders), and at that length the ORM's building is a small part of the read anyway. A learner
# page's lists are its blocks (a unit's, a programme's) and one learner; a cohort's are longer.
LONGEST_PREPARED_LIST = 32
# Shapes kept per query and thread, the least recently used dropped first: a kept shape holds its
# compiled query (20–60 KiB), and a course's pages need a few (units of 1, 2 or 10 webinars, say).
SHAPES_KEPT = 16


class PreparedQuery:
    """`build(**values)` returns a queryset (of model rows, `values()` or `values_list()`); calling the
    prepared query with the same keyword values answers `list(build(**values))`, from SQL built once
    per shape (the `shape` values, which values are lists and how long) and database."""

    def __init__(self, build: Callable, shape: tuple = ()):
        self._build = build
        self._shape_names = frozenset(shape)
        self._local = threading.local()  # a compiler belongs to its thread's connection

    def __call__(self, using: str = DEFAULT_DB_ALIAS, **values) -> list:
        fixed = {name: value for name, value in values.items() if name in self._shape_names}
        values = {name: _distinct(value) if isinstance(value, (list, tuple, set, frozenset)) else value
                  for name, value in values.items() if name not in self._shape_names}
        lists = [value for value in values.values() if isinstance(value, list)]
        if any(not value for value in lists):
            return []  # `IN ()` matches nothing: the ORM asks the database nothing either
        build = partial(self._build, **fixed) if fixed else self._build
        if any(len(value) > LONGEST_PREPARED_LIST for value in lists):
            return list(build(**values).using(using))
        shape = (using, tuple(sorted(fixed.items())),
                 tuple((name, len(value) if isinstance(value, list) else None) for name, value in values.items()))
        prepared = self._local.__dict__.setdefault("by_shape", OrderedDict())
        if shape in prepared:
            prepared.move_to_end(shape)
        else:
            prepared[shape] = _Prepared(build, using, values)
            if len(prepared) > SHAPES_KEPT:
                prepared.popitem(last=False)
        return prepared[shape].run(values)


def _distinct(values) -> list:
    """The values once each, in order, as Django's `__in` sends them."""
    return list(dict.fromkeys(values))


class _Slot(NamedTuple):
    """Where a value goes among the SQL's parameters: `values[name]`, or its `index`th item (a datetime
    in the form the database is sent datetimes in)."""

    name: str
    index: int | None

    def value_in(self, values, operations):
        value = values[self.name] if self.index is None else values[self.name][self.index]
        return operations.adapt_datetimefield_value(value) if isinstance(value, datetime.datetime) else value


class _Prepared:
    """One shape of a prepared query on one database: its SQL, its parameters (a `_Slot` where a value
    goes, the ORM's own constants elsewhere), and how rows are handed out."""

    def __init__(self, build: Callable, using: str, values: dict):
        # Built twice with different stand-ins: a parameter is a value's slot only where it follows
        # the stand-ins in both; a constant that happened to equal a stand-in cannot be mistaken.
        first, first_slots, queryset = _compiled(build, using, values, 0)
        second, second_slots, _ = _compiled(build, using, values, 1)
        (self.sql, first_params), (second_sql, second_params) = first.as_sql(), second.as_sql()
        if self.sql != second_sql:
            raise ValueError(f"{_name(build)}: its SQL changes with the values given")
        self.params = []
        for one, other in zip(first_params, second_params, strict=True):
            slot = _slot_of(first_slots, one)
            if slot is not None and _slot_of(second_slots, other) == slot:
                self.params.append(slot)
            elif one == other:
                self.params.append(one)
            else:
                raise ValueError(f"{_name(build)}: a value reaches its SQL changed ({one!r})")
        if set(first_slots.values()) - {param for param in self.params if isinstance(param, _Slot)}:
            raise ValueError(f"{_name(build)}: a value does not reach its SQL as a parameter")
        self.compiler, self.using = first, using
        self.converters = first.get_converters([column[0] for column in first.select[:first.col_count]])
        self.rows_as = _rows_as(queryset, first, using)

    def run(self, values: dict) -> list:
        operations = connections[self.using].ops
        params = [param.value_in(values, operations) if isinstance(param, _Slot) else param for param in self.params]
        with connections[self.using].cursor() as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchall()
        return self.rows_as(self.compiler.apply_converters(rows, self.converters) if self.converters else rows)


def _compiled(build: Callable, using: str, values: dict, variant: int):
    """The compiler of `build` called with stand-ins, and the slot each stand-in marks."""
    slots, stand_ins = {}, {}
    for name, value in values.items():
        items = value if isinstance(value, list) else [value]
        for index, item in enumerate(items):
            stand_in = _stand_in(item, len(slots), variant)
            sent_as = connections[using].ops.adapt_datetimefield_value(stand_in) if isinstance(
                stand_in, datetime.datetime) else stand_in
            slots[sent_as] = _Slot(name, index if isinstance(value, list) else None)
            stand_ins.setdefault(name, []).append(stand_in)
    queryset = build(**{name: stand_ins[name] if isinstance(value, list) else stand_ins[name][0]
                        for name, value in values.items()})
    if queryset._prefetch_related_lookups or queryset._known_related_objects:
        raise TypeError(f"{_name(build)}: a prepared query reads rows (and rows joined to them), not prefetches")
    return queryset.query.get_compiler(using), slots, queryset


def _slot_of(slots: dict, param):
    try:
        return slots.get(param)
    except TypeError:  # an unhashable constant (a list the ORM sends as JSON, say): not a stand-in
        return None


def _stand_in(value, number: int, variant: int):
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return datetime.datetime(1901, 1, 1, tzinfo=datetime.UTC) + datetime.timedelta(seconds=variant * 1_000 + number)
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise TypeError(f"a prepared query takes text, integers and aware datetimes, not {type(value).__name__}")
    if isinstance(value, str):
        return f"\x1fprepared-{variant}-{number}\x1f"
    # Small enough for any integer column: Django drops a comparison with a value out of its field's range.
    return 30_000 + variant * 1_000 + number


def _rows_as(queryset, compiler, using: str) -> Callable:
    """How the ORM would hand out each row of `queryset` (compiled): model instances, dicts or tuples."""
    query, iterable = compiler.query, queryset._iterable_class
    # Django 5.2 selects values() columns in the order asked (`query.selected`); before, extra
    # columns came first, then fields, then annotations, and values_list() put them back in order.
    selected = getattr(query, "selected", None)
    names = list(selected) if selected else [*query.extra_select, *query.values_select, *query.annotation_select]
    if iterable is ValuesIterable:
        return lambda rows: [dict(zip(names, row, strict=True)) for row in rows]
    if iterable is FlatValuesListIterable:
        return lambda rows: [row[0] for row in rows]
    if iterable is ValuesListIterable:
        asked = [*queryset._fields, *(name for name in query.annotation_select if name not in queryset._fields)]
        if selected or not queryset._fields or asked == names:
            return lambda rows: [tuple(row) for row in rows]
        in_order = itemgetter(*[names.index(name) for name in asked])
        return lambda rows: [in_order(row) for row in rows]
    if iterable is ModelIterable:
        model, klass_info, annotations = queryset.model, compiler.klass_info, compiler.annotation_col_map
        start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        attnames = [column[0].target.attname for column in compiler.select[start:end]]
        related = get_related_populators(klass_info, compiler.select, using)  # select_related()'s rows

        def instances(rows):
            found = []
            for row in rows:
                instance = model.from_db(using, attnames, row[start:end])
                for populator in related:
                    populator.populate(row, instance)
                for name, position in annotations.items():
                    setattr(instance, name, row[position])
                found.append(instance)
            return found
        return instances
    raise TypeError(f"a prepared query answers model rows, values() or values_list(), not {iterable.__name__}")


def _name(build) -> str:
    return getattr(build, "func", build).__qualname__
