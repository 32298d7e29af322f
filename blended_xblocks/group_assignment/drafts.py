"""The group's shared draft: versioned saves, submission, deadline rules and history.

Every save names the version it was based on; the row is locked, and a stale version is refused
with the current draft so the member can merge, never overwritten silently.
"""
from __future__ import annotations

import logging
from datetime import datetime

from django.db import transaction
from django.db.models import F, Q, Window
from django.db.models.functions import RowNumber
from django.utils import timezone as dj_timezone

from blended_xblocks.core.errors import N_, BadRequest, Conflict
from blended_xblocks.core.times import TimeError, iso, local_to_utc, zone_name
from blended_xblocks.group_assignment.models import GroupMembership, GroupSubmission, SubmissionEvent, SubmissionMember

log = logging.getLogger(__name__)
SUBMITTED_STATUSES = (GroupSubmission.SUBMITTED, GroupSubmission.LATE, GroupSubmission.GRADED)
HISTORY_LIMIT = 50


def resolve_zone(zone: str) -> str:
    """The IANA id for `zone` (aliases included); UTC, logged, when it is unknown."""
    name = zone_name(zone)
    if name is None:
        log.warning("blended_group_assignment: unknown time zone %r, using UTC", zone)
        return "UTC"
    return name


def due_datetime(due: str, zone: str) -> datetime | None:
    """`due` is wall-clock time ("2022-06-10T23:59") in `zone`, read as every block reads local times
    (core/times.py); None if unset or unreadable (a time the clocks skip included), logged."""
    if not due:
        return None
    try:
        return local_to_utc(due, resolve_zone(zone))
    except TimeError:
        log.warning("blended_group_assignment: unreadable due date %r in %r", due, zone)
        return None


def draft_json(submission) -> dict:
    who = submission.updated_by
    return {"text": submission.text, "version": submission.version, "updated": iso(submission.updated),
            "updated_by": who.display_name if who else None}


def _event(submission, learner, action, detail=""):
    SubmissionEvent.objects.create(submission=submission, actor=learner, action=action, detail=detail[:255])


def _locked(submission_id) -> GroupSubmission:
    return GroupSubmission.objects.select_for_update().get(pk=submission_id)


def _refuse_stale(submission, version):
    if submission.status in SUBMITTED_STATUSES:
        raise Conflict("already_submitted", N_("Your group has already submitted this assignment."))
    if version != submission.version:
        error = Conflict("version_conflict", N_("Someone in your group saved a newer version. "
                                                "Review it before saving again."))
        error.extra = {"draft": draft_json(submission)}
        raise error


def save_draft(submission_id: int, learner, text: str, version: int) -> GroupSubmission:
    with transaction.atomic():
        submission = _locked(submission_id)
        _refuse_stale(submission, version)
        submission.text = text
        submission.version += 1
        submission.status = GroupSubmission.DRAFT
        submission.updated = dj_timezone.now()
        submission.updated_by = learner
        submission.save(update_fields=["text", "version", "status", "updated", "updated_by"])
        _event(submission, learner, "saved", f"v{submission.version}")
    return submission


def submit(submission_id: int, learner, version: int, due, late_allowed: bool) -> GroupSubmission:
    """Submit once; after `due` only when late submissions are allowed (then marked late).

    The members at this moment are the ones the grade counts for; a learner already counted in
    another group's submission of this assignment keeps that one.
    """
    now = dj_timezone.now()
    with transaction.atomic():
        submission = _locked(submission_id)
        _refuse_stale(submission, version)
        late = bool(due and now > due)
        if late and not late_allowed:
            raise Conflict("deadline_passed", N_("The deadline has passed; this assignment no longer accepts submissions."))
        if not submission.text.strip() and not submission.files.filter(kind="work").exists():
            raise BadRequest("empty_submission", N_("Write something or add a file before submitting."))
        counted = set(SubmissionMember.objects.filter(usage_key=submission.usage_key).values_list("learner_id", flat=True))
        # A locking read: it sees members placed by transactions that committed while we waited for the
        # submission's lock (MariaDB's plain reads would use the older snapshot).
        members = [m for m in GroupMembership.objects.select_for_update().filter(group_id=submission.group_id)
                   .values_list("learner_id", flat=True) if m not in counted]
        SubmissionMember.objects.bulk_create([SubmissionMember(usage_key=submission.usage_key, submission=submission,
                                                               learner_id=member) for member in members])
        submission.status = GroupSubmission.LATE if late else GroupSubmission.SUBMITTED
        submission.late, submission.submitted, submission.submitted_by = late, now, learner
        submission.save(update_fields=["status", "late", "submitted", "submitted_by"])
        _event(submission, learner, "submitted", "late" if late else "")
    return submission


def lock_submissions(group_ids) -> None:
    """Call before adding members to these groups: take their submissions' locks first, the order
    `submit` takes its locks in (submission, then members), so a placement and a submit never deadlock."""
    list(GroupSubmission.objects.select_for_update().filter(group_id__in=set(group_ids)).order_by("pk")
         .values_list("pk", flat=True))


def count_late_members(usage_key: str, placed: list) -> int:
    """Members placed in a group after it submitted (a seeded learner opening the assignment late,
    or a staff placement): the submission counts for them too, unless another submission of this
    assignment already does. `placed` is [(group_id, learner_id)]; call inside the transaction that
    placed them. The submissions are locked first, so a submit running at the same time either
    sees the new member or is seen here. If the grade is already released, their score is marked
    for the gradebook; returns how many such scores (the caller dispatches them)."""
    if not placed:
        return 0
    # Lock by group alone and check the status after the lock: a status filter in the locking query
    # is evaluated before waiting (PostgreSQL), so a submit committing meanwhile would be missed.
    locked = GroupSubmission.objects.select_for_update().filter(
        group_id__in={group_id for group_id, _learner in placed}).order_by("pk")
    submissions = {row.group_id: row for row in locked if row.status in SUBMITTED_STATUSES}
    rows = [SubmissionMember(usage_key=usage_key, submission=submissions[group_id], learner_id=learner_id,
                             score_version=int(submissions[group_id].released is not None
                                               and submissions[group_id].points is not None))
            for group_id, learner_id in placed if group_id in submissions]
    if not rows:
        return 0
    counted = set(SubmissionMember.objects.filter(usage_key=usage_key, learner_id__in=[row.learner_id for row in rows])
                  .values_list("learner_id", flat=True))
    rows = [row for row in rows if row.learner_id not in counted]
    SubmissionMember.objects.bulk_create(rows, ignore_conflicts=True)
    return sum(row.score_version for row in rows)


GRADING_EVENTS = ("graded", "feedback_file")


EVENT_LABELS = {
    "saved": N_("saved the text"),
    "uploaded": N_("added a file: {detail}"),
    "deleted": N_("removed a file: {detail}"),
    "submitted": N_("submitted"),
    "graded": N_("graded"),
    "feedback_file": N_("added a feedback file: {detail}"),
    "joined": N_("joined the group"),
    "left": N_("left the group"),
    # The course's seeded group took the name (see group_assignment_groups.seed_groups).
    "renamed": N_("renamed the group: the course prepared a group called “{detail}”"),
}
STAFF_MOVE_LABELS = {"joined": N_("was added to the group by an instructor"),
                     "left": N_("was moved out of the group by an instructor")}


def event_label(action: str, detail: str, gettext) -> str:
    """What the history line says, in the reader's language (one place for learner and staff views)."""
    if detail == "staff" and action in STAFF_MOVE_LABELS:
        message = STAFF_MOVE_LABELS[action]
    elif action == "submitted" and detail == "late":
        message = N_("submitted late")
    else:
        message = EVENT_LABELS.get(action, action)
    return gettext(message).replace("{detail}", detail)


def history(submission, gettext, learner_view=False, events=None) -> list:
    """The newest events first. Learners do not see grading events (nor the grader's name or the
    feedback file's name) before the grade is released: the history must not announce it.
    `events`: the learner's events of this submission, when read with others (`learner_events_in_bulk`)."""
    if events is None:
        events = SubmissionEvent.objects.filter(submission=submission)
        if learner_view and submission.released is None:
            events = events.exclude(action__in=GRADING_EVENTS)
        events = events.select_related("actor").order_by("-at", "-id")[:HISTORY_LIMIT]
    return [{"action": event.action, "detail": event.detail, "at": iso(event.at),
             "label": event_label(event.action, event.detail, gettext),
             "by": event.actor.display_name if event.actor else (event.detail if event.action == "graded" else None)}
            for event in events]


def learner_events_in_bulk(submissions) -> dict:
    """{submission id: the events its learners see, newest first, at most HISTORY_LIMIT} for several
    submissions in one query (a page of assignments)."""
    hidden = Q(action__in=GRADING_EVENTS, submission__released__isnull=True)
    rows = (SubmissionEvent.objects.filter(submission__in=submissions).exclude(hidden)
            .annotate(rank=Window(RowNumber(), partition_by=[F("submission_id")], order_by=[F("at").desc(), F("id").desc()]))
            .filter(rank__lte=HISTORY_LIMIT).select_related("actor").order_by("submission_id", "-at", "-id"))
    found = {}
    for event in rows:
        found.setdefault(event.submission_id, []).append(event)
    return found


def learner_status(submission) -> str:
    """The status a learner sees: a grade not yet released still reads as submitted (or late)."""
    if submission.status == GroupSubmission.GRADED and submission.released is None:
        return GroupSubmission.LATE if submission.late else GroupSubmission.SUBMITTED
    return submission.status


def record(submission, learner, action, detail=""):
    """History line for changes made elsewhere (files, grades)."""
    _event(submission, learner, action, detail)
