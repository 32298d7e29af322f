"""ORM queries whose SQL Django builds once per shape and database, then runs again with new values.

A learner's page runs the same few reads on every request, only with other keys (this course, this
learner, the page's blocks). Django's ORM spends 100–300 µs of Python building and compiling each one
every time (ADR 0014): more than SQLite takes to answer it, and most of what a small block's view costs.
A `PreparedQuery` has the ORM build the SQL once with stand-in values, keeps the SQL and where each value
goes, and runs it again through a cursor with the real values; rows come back through the compiler's own
converters (dates, JSON, booleans as each database returns them) in the form the ORM would give them.
The SQL is still the ORM's: the models stay the only description of our tables.

Values a stand-in can stand for: text, integers, aware datetimes compared with a datetime column (sent
in the database's own form, as the ORM sends them), and lists of one of those. A value the ORM would
send changed (`iexact`, `contains` escape and wrap text) is refused when the shape is built. `None`, an
empty list and an integer out of a 32-bit column's range change the SQL itself: the call goes through
the ORM (so does a list longer than LONGEST_PREPARED_LIST). Other types (booleans, naive datetimes,
model instances) are refused: a query keeps booleans as constants in its `build`, or names them as
`shape` values, each of whose values gets SQL of its own (a `LIMIT`, a flag that adds a filter).

`build` must depend on nothing but its arguments: a clock read inside it (`now()`, `date.today()`)
would be kept in the SQL (two builds that read different instants are refused, but not two that read
the same second). The active time zone is part of the shape, for SQL that depends on it (`__date`).
"""
from __future__ import annotations

import datetime
import threading
from collections import OrderedDict
from collections.abc import Callable
from functools import partial
from operator import itemgetter
from typing import NamedTuple

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models.query import FlatValuesListIterable, ModelIterable, ValuesIterable, ValuesListIterable, get_related_populators
from django.utils import timezone

# A list longer than this is not prepared: each length is a shape of its own (its IN has that many
# placeholders), and at that length the ORM's building is a small part of the read anyway. A learner
# page's lists are its blocks (a unit's, a programme's) and one learner; a cohort's are longer.
LONGEST_PREPARED_LIST = 32
# Shapes kept per query and thread, the least recently used dropped first: a kept shape holds its
# compiled query (20–60 KiB), and a course's pages need a few (units of 1, 2 or 10 webinars, say).
SHAPES_KEPT = 16
_THROUGH_THE_ORM = "orm"
_INTEGER_RANGE = range(-2**31, 2**31)  # any integer column's: the ORM drops a comparison out of its field's range


class PreparedQuery:
    """`build(**values)` returns a queryset (of model rows, `values()` or `values_list()`); calling the
    prepared query with the same keyword values answers `list(build(**values))`, from SQL built once
    per shape (the `shape` values, the kind of each value and the length of each list, the database and
    the active time zone). `using`: a database alias (by default the one the queryset reads from)."""

    def __init__(self, build: Callable, shape: tuple = ()):
        self._build = build
        self._shape_names = frozenset(shape)
        self._local = threading.local()  # a compiler belongs to its thread's connection

    def __call__(self, using: str | None = None, **values) -> list:
        fixed = {name: value for name, value in values.items() if name in self._shape_names}
        values = {name: _distinct(value) if isinstance(value, (list, tuple, set, frozenset)) else value
                  for name, value in values.items() if name not in self._shape_names}
        build = partial(self._build, **fixed) if fixed else self._build
        kinds = tuple((name, _kind_of(value)) for name, value in values.items())
        if any(kind == _THROUGH_THE_ORM for _, kind in kinds):
            queryset = build(**values)
            return list(queryset.using(using) if using else queryset)
        shape = (using, timezone.get_current_timezone_name(), tuple(sorted(fixed.items())), kinds)
        prepared = self._local.__dict__.setdefault("by_shape", OrderedDict())
        if shape in prepared:
            prepared.move_to_end(shape)
        else:
            prepared[shape] = _Prepared(build, using, values)
            if len(prepared) > SHAPES_KEPT:
                prepared.popitem(last=False)
        return prepared[shape].run(values)

    def first(self, using: str | None = None, **values):
        """The first row, or None: for a `build` cut to one row (`.order_by("pk")[:1]`, as `.first()` reads)."""
        found = self(using, **values)
        return found[0] if found else None


def _distinct(values) -> list:
    """The values once each, in order, as Django's `__in` sends them."""
    return list(dict.fromkeys(values))


def _kind_of(value):
    """What a stand-in must be for `value` (with a list's length), or _THROUGH_THE_ORM when the value
    changes the SQL itself; TypeError for what no stand-in can be."""
    if isinstance(value, list):
        if not value or len(value) > LONGEST_PREPARED_LIST:
            return _THROUGH_THE_ORM
        kinds = {_kind_of(item) for item in value}
        if len(kinds) != 1:
            return _THROUGH_THE_ORM if _THROUGH_THE_ORM in kinds else _refuse(value)
        return kinds.pop(), len(value)
    if value is None or (isinstance(value, int) and not isinstance(value, bool) and value not in _INTEGER_RANGE):
        return _THROUGH_THE_ORM
    if isinstance(value, str):
        return "text"
    if isinstance(value, int) and not isinstance(value, bool):
        return "integer"
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return "datetime"
    return _refuse(value)


def _refuse(value):
    raise TypeError(f"a prepared query takes text, integers and aware datetimes (or lists of one), not {value!r}")


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

    def __init__(self, build: Callable, using: str | None, values: dict):
        # Built twice with different stand-ins: a parameter is a value's slot only where it follows
        # the stand-ins in both; a constant that happened to equal a stand-in cannot be mistaken.
        first, first_slots, queryset = _compiled(build, using, values, 0)
        second, second_slots, _ = _compiled(build, using, values, 1)
        self.using = first.using
        first_sql, second_sql = _sql_of(first), _sql_of(second)
        if (first_sql is None) != (second_sql is None):
            raise ValueError(f"{_name(build)}: whether it can match any row depends on the values given")
        self.sql = None  # the ORM knows without asking that nothing matches (a constant `pk__in=[]`)
        if first_sql is None:
            return
        (self.sql, first_params), (second_sql, second_params) = first_sql, second_sql
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
        # A value the SQL does not use (the author of a staff viewer's list, say) is no slot: the SQL
        # and its constants were the same for both stand-ins, so rows cannot depend on it.
        self.compiler = first
        # Columns a DISTINCT query selects only to order by them are not the caller's (as the ORM trims them).
        self.width = first.col_count if first.has_extra_select else None
        self.converters = first.get_converters([column[0] for column in first.select[:first.col_count]])
        self.rows_as = _rows_as(queryset, first, self.using)

    def run(self, values: dict) -> list:
        if self.sql is None:
            return []
        connection = connections[self.using]
        params = [param.value_in(values, connection.ops) if isinstance(param, _Slot) else param for param in self.params]
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchall()
        if self.width is not None:
            rows = [row[:self.width] for row in rows]
        return self.rows_as(self.compiler.apply_converters(rows, self.converters) if self.converters else rows)


def _sql_of(compiler):
    try:
        return compiler.as_sql()
    except EmptyResultSet:
        return None


def _compiled(build: Callable, using: str | None, values: dict, variant: int):
    """The compiler of `build` called with stand-ins, and the slot each stand-in marks."""
    slots, stand_ins = {}, {}
    for name, value in values.items():
        items = value if isinstance(value, list) else [value]
        for index, item in enumerate(items):
            stand_in = _stand_in(item, len(slots), variant)
            slots[stand_in] = _Slot(name, index if isinstance(value, list) else None)
            stand_ins.setdefault(name, []).append(stand_in)
    queryset = build(**{name: stand_ins[name] if isinstance(value, list) else stand_ins[name][0]
                        for name, value in values.items()})
    if using:
        queryset = queryset.using(using)
    if queryset._prefetch_related_lookups or queryset._known_related_objects or queryset.query.select_for_update:
        raise TypeError(f"{_name(build)}: a prepared query reads rows (and rows joined to them): no prefetch, no lock")
    compiler = queryset.query.get_compiler(queryset.db)
    operations = connections[queryset.db].ops
    # A datetime is sent in the database's own form: its stand-in is looked for in that form.
    slots = {operations.adapt_datetimefield_value(stand_in) if isinstance(stand_in, datetime.datetime) else stand_in: slot
             for stand_in, slot in slots.items()}
    return compiler, slots, queryset


def _slot_of(slots: dict, param):
    try:
        return slots.get(param)
    except TypeError:  # an unhashable constant (a list the ORM sends as JSON, say): not a stand-in
        return None


def _stand_in(value, number: int, variant: int):
    if isinstance(value, datetime.datetime):
        return datetime.datetime(1901, 1, 1, tzinfo=datetime.UTC) + datetime.timedelta(seconds=variant * 1_000 + number)
    if isinstance(value, str):
        # With the characters a LIKE escapes: a lookup that escapes or wraps the value changes it, and is refused.
        return f"\x1fprepared-{variant}-{number}_%\\\x1f"
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
