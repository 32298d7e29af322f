"""Mirror a block's outcome-deciding settings (`PublishedSettings`) and read them in bulk.

A block writes its values when it is shown (never from a preview: drafts share the usage key) and
when the course is published (receivers.py); the blocks' api modules read them for a cohort.
"""
from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import JSONField, Subquery

from blended_xblocks.core.outcome_rows import as_outcome_rows, document_of, outcome_rows
from blended_xblocks.core.prepared import PreparedQuery
from blended_xblocks.platform.models import PublishedSettings, learner_rows

_UNREAD = object()


def publish(course_key: str, usage_key: str, block_type: str, values: dict, stored=_UNREAD) -> None:
    """Store the values if they changed (one query when they did not, none when the caller read
    `stored`, the row's (course_key, values) or None, with `stored_in_bulk`)."""
    if not course_key or not usage_key:
        return
    if stored is _UNREAD:
        stored = PublishedSettings.objects.filter(usage_key=usage_key).values_list("course_key", "values").first()
    if stored == (course_key, values):
        return
    changed = PublishedSettings.objects.filter(usage_key=usage_key).update(course_key=course_key, block_type=block_type,
                                                                           values=values)
    if not changed:
        try:
            with transaction.atomic():
                PublishedSettings.objects.create(course_key=course_key, usage_key=usage_key, block_type=block_type,
                                                 values=values)
        except IntegrityError:  # another request mirrored it at the same moment, with the same fields
            pass


def settings_in_bulk(course_key: str, usage_keys) -> dict:
    """{usage_key: values} of the listed blocks that were ever shown or published (one query)."""
    return settings_from_rows(as_outcome_rows(_SETTINGS(course_key=course_key, usage_keys=list(usage_keys))))


ROWS_KIND = "settings"  # the kind of `settings_rows`' rows, beside the outcome kinds read with them


def settings_rows(course_key: str, usage_keys):
    """The rows `settings_from_rows` reads, in the common outcome layout (core/outcome_rows.py): one
    per listed block with published settings, its values in `document`. A programme reads them with
    the outcomes they judge (a deadline, a required session) in one statement."""
    return outcome_rows(PublishedSettings.objects.filter(course_key=course_key, usage_key__in=usage_keys),
                        ROWS_KIND, usage_key="usage_key", document="values")


def settings_from_rows(rows) -> dict:
    """`settings_in_bulk`'s answer from the rows `settings_rows` read (`OutcomeRow`s)."""
    return {row.usage_key: document_of(row) for row in rows}


_SETTINGS = PreparedQuery(settings_rows)


def stored_in_bulk(usage_keys) -> dict:
    """{usage_key: (course_key, values)} as `publish` compares them, for a page's blocks (one query)."""
    return {usage_key: (course_key, values) for usage_key, course_key, values in _STORED(usage_keys=list(usage_keys))}


def stored_columns(usage_key: str) -> dict:
    """The `annotate()` arguments that read the block's stored copy with another query's row (the
    learner's, on a learner's page: `current_learner`'s read), one round trip fewer than
    `stored_in_bulk`; `take_stored` takes it off the row."""
    stored = PublishedSettings.objects.filter(usage_key=usage_key)  # one row at most (unique)
    return {"stored_settings_course_key": Subquery(stored.values("course_key")[:1]),
            "stored_settings_values": Subquery(stored.values("values")[:1], output_field=JSONField())}


def take_stored(row):
    """What `stored_columns` read with `row`, as `publish` compares it: (course_key, values), or None."""
    course_key, values = vars(row).pop("stored_settings_course_key"), vars(row).pop("stored_settings_values")
    return None if course_key is None else (course_key, values)


LEARNER_WITH_STORED = PreparedQuery(lambda course_key, anonymous_user_id, usage_key: learner_rows(
    course_key, anonymous_user_id).annotate(**stored_columns(usage_key))[:1])


_STORED = PreparedQuery(lambda usage_keys: PublishedSettings.objects.filter(usage_key__in=usage_keys).values_list(
    "usage_key", "course_key", "values"))
