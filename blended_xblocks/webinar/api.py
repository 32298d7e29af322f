"""What other blocks and reports may ask about webinars, without a runtime.

Plain functions over `WebinarSession` / `WebinarRegistration`; the experience-sharing block
and the programme view use them to link to a session and to count attendance.
"""
from __future__ import annotations

from datetime import timedelta

from django.db.models import FilteredRelation, Q

from blended_xblocks.core.downloads import CSV, Stream, producer
from blended_xblocks.core.outcome_rows import as_outcome_rows, outcome_rows
from blended_xblocks.core.prepared import PreparedQuery
from blended_xblocks.core.text import safe_url
from blended_xblocks.core.times import iso, now_utc
from blended_xblocks.platform import gradebook
from blended_xblocks.webinar import scores
from blended_xblocks.webinar.models import WebinarRegistration, WebinarSession


def find_session(course_key: str, url_name: str) -> WebinarSession | None:
    """The session an author refers to by its OLX url_name, in one course."""
    if not course_key or not url_name:
        return None
    return WebinarSession.objects.filter(course_key=course_key, url_name=url_name).order_by("-updated").first()


def registration_of(session, learner) -> WebinarRegistration | None:
    if session is None or learner is None:
        return None
    return WebinarRegistration.objects.filter(session=session, learner=learner).first()


def has_attended(session, learner) -> bool:
    """Marked present or late (by staff, by check-in or by an imported report)."""
    registration = registration_of(session, learner)
    return bool(registration and registration.attended)


def join_allowed(session, registration, now=None) -> bool:
    """Registered learners may join from `join_opens` minutes before the start until the end."""
    now = now or now_utc()
    if not safe_url(session.join_url) or session.start is None or session.end is None:
        return False
    if registration is None or registration.status != WebinarRegistration.REGISTERED:
        return False
    return session.start - timedelta(minutes=session.join_opens) <= now <= session.end


_UNREAD = object()


def session_summary(session, learner, now=None, registration=_UNREAD) -> dict:
    """A short, learner-specific description of a session (join_url only when they may join);
    `registration`, the learner's, when the caller has read it (`registration_of`)."""
    if registration is _UNREAD:
        registration = registration_of(session, learner)
    return {
        "title": session.title,
        "start": iso(session.start),
        "end": iso(session.end),
        "timezone": session.timezone,
        "join_url": session.join_url if join_allowed(session, registration, now) else None,
        "registration": registration.status if registration else "none",
        "attendance": registration.attendance if registration else WebinarRegistration.UNMARKED,
    }


def attendance_in_bulk(course_key: str, usage_keys, learner_ids, now=None) -> dict:
    """Every learner's attendance at every listed session, in one query whatever the cohort (the
    sessions joined to the listed learners' registrations):
    {(usage_key, learner_id): {"status": attendance mark, "still_open": bool}}.

    A session still to come, or ended with the learner registered but not yet marked, can still
    count; an unknown usage key (no stored session) is left out, so callers can tell it apart.
    """
    learner_ids = list(learner_ids)
    if not learner_ids:
        return {}
    rows = _ATTENDANCE(course_key=course_key, usage_keys=list(usage_keys), learner_ids=learner_ids)
    return attendance_from_rows(as_outcome_rows(rows), course_key=course_key, usage_keys=usage_keys,
                                learner_ids=learner_ids, now=now)


def attendance_rows(course_key: str, usage_keys, learner_ids):
    """The rows `attendance_from_rows` reads, as a queryset in the common outcome layout (a page
    reads them with other packages' rows in one statement, core/outcome_rows.py): one per session,
    or one per listed learner registered for it, with the registration's `status`, its attendance
    mark in `detail` and the session's end in `moment`."""
    return outcome_rows(WebinarSession.objects.filter(course_key=course_key, usage_key__in=usage_keys).annotate(
        theirs=FilteredRelation("registrations", condition=Q(registrations__learner_id__in=learner_ids))),
        "attendance", usage_key="usage_key", learner_id="theirs__learner_id", status="theirs__status",
        detail="theirs__attendance", moment="end")


def attendance_from_rows(rows, *, course_key, usage_keys, learner_ids, settings=None, now=None) -> dict:
    """`attendance_in_bulk`'s answer from the rows `attendance_rows` read (`OutcomeRow`s). Every
    kind's `*_from_rows` takes the same arguments (progress/programme.py reads them alike); a
    session's own end says what can still count, not its published settings."""
    now = now or now_utc()
    ends, marks = {}, {}
    for row in rows:
        ends[row.usage_key] = row.moment
        if row.learner_id is not None:
            marks[(row.usage_key, row.learner_id)] = (row.status, row.detail)
    outcomes = {}
    for usage_key, end in ends.items():
        upcoming = end is None or now <= end
        for learner_id in learner_ids:
            status, attendance = marks.get((usage_key, learner_id), (None, WebinarRegistration.UNMARKED))
            awaiting_mark = status == WebinarRegistration.REGISTERED and attendance == WebinarRegistration.UNMARKED
            outcomes[(usage_key, learner_id)] = {"status": attendance, "still_open": upcoming or awaiting_mark}
    return outcomes


def upcoming_sessions(course_key: str, usage_keys, now=None, limit=3) -> list:
    """The next sessions among `usage_keys` that have not ended, soonest first (one query), with what
    a list of them shows: `usage_key`, `title`, `start`, `end`, `timezone` (other fields cost a query)."""
    return _UPCOMING(course_key=course_key, usage_keys=list(usage_keys), now=now or now_utc(), limit=limit)


_ATTENDANCE = PreparedQuery(attendance_rows)
_UPCOMING = PreparedQuery(lambda course_key, usage_keys, now, limit: WebinarSession.objects.filter(
    course_key=course_key, usage_key__in=usage_keys, end__gte=now).only(
    "usage_key", "title", "start", "end", "timezone").order_by("start")[:limit], shape=("limit",))


def sessions_by_url_name(course_key: str, url_names) -> dict:
    """{url_name: usage_key} of the course's sessions an author refers to by OLX url_name (the newest
    row wins, as `find_session`), in one query."""
    return dict(WebinarSession.objects.filter(course_key=course_key, url_name__in=set(url_names))
                .order_by("updated").values_list("url_name", "usage_key"))


# Registrations (the app's ready() imports this module in every process: LMS, Studio, workers, commands).
gradebook.register(scores.SOURCE)


@producer("webinar_roster_csv")
def _roster_csv(ticket: dict) -> Stream:
    from blended_xblocks.webinar import attendance  # imports state, which imports this module

    return Stream(attendance.roster_csv(ticket["usage"]), CSV)
