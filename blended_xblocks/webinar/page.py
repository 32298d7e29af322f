"""What a page of webinars reads once for all of them (a unit of the IOM programme shows ten).

Each function takes the usage keys of the page's blocks (`BlendedBlockMixin.page_usage_keys`) and
answers for every webinar among them in one query; the block keeps the answer for the request only.
"""
from __future__ import annotations

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from blended_xblocks.core.joined_rows import drop_joined, joined_columns, one_row_columns, take_joined
from blended_xblocks.core.prepared import PreparedQuery
from blended_xblocks.platform.models import Learner, learner_rows
from blended_xblocks.webinar.models import WebinarRegistration as Reg
from blended_xblocks.webinar.models import WebinarSession


def sessions(usage_keys, learner=None) -> dict:
    """{usage_key: WebinarSession} of the page's webinars that have their mirror row, each with
    `seats_taken` read in the same query (one round trip for the page's sessions and their seats);
    with `learner`, each also with `learner_registration`, theirs or None, read in that query too."""
    if learner is None:
        return {session.usage_key: session for session in _SESSIONS(usage_keys=usage_keys)}
    found = {}
    for session in _SESSIONS_WITH_MINE(usage_keys=usage_keys, learner_id=learner.pk):
        registration = session.learner_registration = take_joined(session, Reg)
        if registration is not None:
            registration.learner = learner  # the row the request already holds: no second read of it
        found[session.usage_key] = session
    return found


_SESSIONS = PreparedQuery(lambda usage_keys: WebinarSession.objects.filter(usage_key__in=usage_keys).annotate(
    seats_taken=Count("registrations", filter=Q(registrations__status=Reg.REGISTERED))))


def _sessions_with_seats(usage_keys):
    """The sessions with their seats, counted in a subquery, so that the learner's registration (one row
    at most per session) joins without grouping."""
    taken = Reg.objects.filter(session_id=OuterRef("pk"), status=Reg.REGISTERED).order_by().values(
        "session_id").annotate(count=Count("pk")).values("count")
    return WebinarSession.objects.filter(usage_key__in=usage_keys).annotate(
        seats_taken=Coalesce(Subquery(taken, output_field=IntegerField()), Value(0)))


def _sessions_with_mine(usage_keys, learner_id):
    """The sessions with their seats and the learner's registration's columns."""
    return _sessions_with_seats(usage_keys).annotate(
        **joined_columns("registrations", Reg, Q(registrations__learner_id=learner_id)))  # unique per session


def _sessions_with_learner(usage_keys, course_key, anonymous_user_id):
    """The sessions with their seats, the learner's row (the same on every row) and their registration."""
    learner = learner_rows(course_key, anonymous_user_id)  # one row at most (bx_learner_unique)
    return _sessions_with_seats(usage_keys).annotate(
        **joined_columns("registrations", Reg, Q(registrations__learner_id=Subquery(learner.values("pk")[:1]))),
        **one_row_columns(learner, Learner, "learner"))


_SESSIONS_WITH_MINE = PreparedQuery(_sessions_with_mine)
_SESSIONS_WITH_LEARNER = PreparedQuery(_sessions_with_learner)


def learner_with_sessions(usage_keys, **where):
    """`current_learner`'s read on a learner's page of webinars: (the learner's row or None, what
    `sessions(usage_keys, learner)` answers), one query; (None, None) when the page's webinars have no
    session rows yet, which leaves the learner unread (`where`: using, course_key, anonymous_user_id)."""
    rows = _SESSIONS_WITH_LEARNER(usage_keys=list(usage_keys), **where)
    if not rows:
        return None, None
    learner, found = take_joined(rows[0], Learner, "learner"), {}
    for session in rows[1:]:
        drop_joined(session, Learner, "learner")  # the same learner's row on every session
    for session in rows:
        registration = session.learner_registration = take_joined(session, Reg)
        if registration is not None:
            registration.learner = learner  # the row the request will hold: no second read of it
        found[session.usage_key] = session
    return learner, found


def seats_taken(usage_keys) -> dict:
    """{session id: seats taken} (sessions nobody registered for are absent: 0)."""
    rows = (Reg.objects.filter(session__usage_key__in=usage_keys, status=Reg.REGISTERED)
            .values("session_id").annotate(taken=Count("pk")).order_by())
    return {row["session_id"]: row["taken"] for row in rows}


def registrations(usage_keys, learner) -> dict:
    """{session id: the learner's registration} for the page's webinars."""
    rows = _REGISTRATIONS(usage_keys=usage_keys, learner_id=learner.pk)
    found = {}
    for row in rows:
        row.learner = learner  # the row the request already holds: no second read of it
        found[row.session_id] = row
    return found


_REGISTRATIONS = PreparedQuery(lambda usage_keys, learner_id: Reg.objects.filter(
    session__usage_key__in=usage_keys, learner_id=learner_id))
