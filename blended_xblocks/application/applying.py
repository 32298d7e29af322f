"""The applicant's side: drafts with versions, submission, edits until the deadline, withdrawal.

Times are the server's: a browser whose clock is behind cannot submit late (409
`deadline_passed`). Every change locks the application row and names the version it was based
on, as the group assignment's shared draft does, so two tabs never overwrite each other silently.
"""
from __future__ import annotations

from django.db import IntegrityError, transaction

from blended_xblocks.application.models import Application, ApplicationFile
from blended_xblocks.core.errors import N_, Conflict
from blended_xblocks.core.prepared import PreparedQuery

EDITABLE = (Application.DRAFT, Application.SUBMITTED, Application.WITHDRAWN)
SUBMITTED_LIKE = (Application.SUBMITTED,)


def check_window(opens, deadline, now, *, deadline_unreadable=False, opens_unreadable=False):
    """Refuse a change before the call opens or from its deadline on (server time); a time that
    cannot be read keeps the call closed (staff see the import problem)."""
    if deadline_unreadable:
        raise Conflict("deadline_passed", N_("The deadline for this call has passed."))
    if opens_unreadable or (opens and now < opens):
        raise Conflict("not_open", N_("This call is not open yet."))
    if deadline and now >= deadline:
        raise Conflict("deadline_passed", N_("The deadline for this call has passed."))


def application_of(call, learner, *, lock=False):
    if lock:
        return Application.objects.filter(call=call, learner=learner).select_for_update().first()
    return _APPLICATION.first(call_id=call.pk, learner_id=learner.pk)


_APPLICATION = PreparedQuery(lambda call_id, learner_id: Application.objects.filter(
    call_id=call_id, learner_id=learner_id).order_by("pk")[:1])


def _locked_or_new(call, learner) -> Application:
    row = application_of(call, learner, lock=True)
    if row is not None:
        return row
    try:
        with transaction.atomic():
            Application.objects.create(call=call, learner=learner)
    except IntegrityError:  # a second tab created it at the same moment
        pass
    return application_of(call, learner, lock=True)


def draft_json(row) -> dict:
    return {"answers": dict(row.answers), "version": row.version, "status": row.status}


def _refuse_stale(row, version):
    if row.status not in EDITABLE:
        raise Conflict("already_decided", N_("Your application has been decided; it can no longer be changed."))
    if version != row.version:
        error = Conflict("version_conflict", N_("Your application was saved from another window. "
                                                "Review that version before saving again."))
        error.extra = {"draft": draft_json(row)}
        raise error


def save(call, learner, answers: dict, version: int, *, submit: bool, eligible: bool, language: str, now) -> Application:
    """Save the answers (a draft, or the submitted application edited); `submit` submits them.

    A submitted application stays submitted when edited: its answers were checked as complete
    by the caller. A withdrawn one saved as a draft becomes a draft again."""
    with transaction.atomic():
        row = _locked_or_new(call, learner)
        _refuse_stale(row, version)
        row.answers, row.version, row.eligible = answers, row.version + 1, eligible
        row.language = (language or "")[:16]
        if submit:
            if row.status != Application.SUBMITTED:
                row.submitted_at = now
            row.status = Application.SUBMITTED
        elif row.status == Application.WITHDRAWN:
            row.status = Application.DRAFT
        row.save()
        return row


def withdraw(call, learner, now) -> Application:
    """Take the application back: a draft, a submission or a waitlist place (the queue closes up)."""
    from blended_xblocks.application.selection import renumber
    with transaction.atomic():
        type(call).objects.select_for_update().get(pk=call.pk)  # the waitlist changes under the call's lock
        row = application_of(call, learner, lock=True)
        if row is None or row.status == Application.WITHDRAWN:
            raise Conflict("not_applied", N_("You have no application to withdraw."))
        if row.status not in (Application.DRAFT, Application.SUBMITTED, Application.WAITLISTED):
            raise Conflict("already_decided", N_("Your application has been decided; answer the offer instead."))
        was_waiting = row.status == Application.WAITLISTED
        row.status, row.waitlist_position, row.version = Application.WITHDRAWN, None, row.version + 1
        row.save(update_fields=["status", "waitlist_position", "version", "updated"])
        if was_waiting:
            renumber(call)
        return row


def file_questions_answered(row) -> set:
    return set(ApplicationFile.objects.filter(application=row).values_list("question_id", flat=True)) if row else set()
