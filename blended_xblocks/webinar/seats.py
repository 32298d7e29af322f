"""Seats and the waitlist: who gets in, in which order, and who moves up when someone leaves.

Every change locks the session row first (`select_for_update`), so registrations for one
session are serialised while other sessions proceed; seat counts and waitlist positions are
then read after the lock, and stay consistent however many learners click at the same moment.
The waitlist is a queue: a learner joins behind everyone already waiting (after the highest
position, so a gap left by a deleted row can never put a newcomer level with someone who waited
longer), seats go to the lowest positions, and positions are renumbered 1..N after every change
that removes someone from it.
"""
from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import Count, F, Max, Q
from django.utils import timezone

from blended_xblocks.core.errors import N_, Conflict
from blended_xblocks.webinar.models import WebinarRegistration as Reg
from blended_xblocks.webinar.models import WebinarSession


def registration_deadline(session) -> datetime | None:
    """Registration closes at `registration_closes` or at the start, whichever is first."""
    moments = [moment for moment in (session.registration_closes, session.start) if moment]
    return min(moments) if moments else None


def registration_open(session, now) -> bool:
    deadline = registration_deadline(session)
    return deadline is None or now < deadline


def seats_taken(session) -> int:
    return Reg.objects.filter(session=session, status=Reg.REGISTERED).count()


def seats_left(session, taken=None):
    """None when unlimited."""
    if session.unlimited:
        return None
    taken = seats_taken(session) if taken is None else taken
    return max(session.capacity - taken, 0)


def _locked(session_id) -> WebinarSession:
    return WebinarSession.objects.select_for_update().get(pk=session_id)


def register(session_id, learner, language, now, site_language="") -> Reg:
    """Give `learner` a seat, or the next waitlist place; re-registering only changes the language.

    `site_language` is the language the learner reads the site in: a later promotion e-mail
    is written in it. The answer carries `seats_taken`, the count just after this change, so the
    learner's page needs no second count.

    While the session is locked, one query reads everything the decision needs (seats taken, the
    last waitlist place, the learner's own row): every round trip under the lock makes each
    learner of a crowd that clicks together wait once more.
    """
    with transaction.atomic():
        session = _locked(session_id)
        found = Reg.objects.filter(session=session).aggregate(
            taken=Count("pk", filter=Q(status=Reg.REGISTERED)),
            last=Max("waitlist_position", filter=Q(status=Reg.WAITLISTED)),
            mine=Max("pk", filter=Q(learner=learner)))
        taken = found["taken"]
        registration = Reg.objects.get(pk=found["mine"]) if found["mine"] else None
        if registration and registration.status in (Reg.REGISTERED, Reg.WAITLISTED):
            if language and registration.language != language:
                registration.language = language
                registration.save(update_fields=["language", "updated"])
            registration.seats_taken = taken
            return registration
        if not registration_open(session, now):
            raise Conflict("registration_closed", N_("Registration for this session is closed."))
        if session.unlimited or taken < session.capacity:
            status, position = Reg.REGISTERED, None
            taken += 1
        elif session.waitlist:
            status, position = Reg.WAITLISTED, (found["last"] or 0) + 1
        else:
            raise Conflict("session_full", N_("This session is full."))
        if registration is None:
            registration = Reg(session=session, learner=learner)
        registration.status, registration.waitlist_position = status, position
        registration.language = language or ""
        registration.site_language = (site_language or "")[:16]
        registration.promoted_at, registration.promotion_unseen = None, False
        registration.save()
        registration.seats_taken = taken
        return registration


def cancel(session_id, learner, now, on_promoted=None) -> Reg:
    """Give the place back; a freed seat goes to the first learner on the waitlist.

    `on_promoted(registrations)` runs once the transaction has committed (never if it rolls
    back), so nobody is told about a seat they do not have.
    """
    with transaction.atomic():
        session = _locked(session_id)
        registration = Reg.objects.filter(session=session, learner=learner).first()
        if registration is None or registration.status == Reg.CANCELLED:
            raise Conflict("not_registered", N_("You are not registered for this session."))
        if session.start and now >= session.start:
            raise Conflict("session_started", N_("The session has started; it can no longer be cancelled."))
        was, position = registration.status, registration.waitlist_position
        registration.status, registration.waitlist_position = Reg.CANCELLED, None
        registration.promotion_unseen = False
        registration.save(update_fields=["status", "waitlist_position", "promotion_unseen", "updated"])
        if was == Reg.WAITLISTED and position:
            _renumber(session)
        else:
            _after_commit(fill_seats(session, now), on_promoted)
        return registration


def fill_seats(session, now=None) -> list:
    """Promote waitlisted learners, first in the queue first, into free seats (call with the session
    locked); the learners still waiting are renumbered 1..N.

    Promoted rows remember when, and that their page still owes them a notice.
    """
    queue = _queue(session)
    if session.unlimited:
        waiting = list(queue)
    else:
        free = session.capacity - seats_taken(session)
        if free <= 0:
            return []
        waiting = list(queue[:free])
    if not waiting:
        return []
    now = now or timezone.now()
    Reg.objects.filter(pk__in=[reg.pk for reg in waiting]).update(
        status=Reg.REGISTERED, waitlist_position=None, promoted_at=now, promotion_unseen=True, updated=now)
    for reg in waiting:
        reg.status, reg.waitlist_position, reg.promoted_at, reg.promotion_unseen = Reg.REGISTERED, None, now, True
    _renumber(session)
    return waiting


def refill_after_change(session_id, on_promoted=None):
    """After an author raises the capacity (or removes it), let waiting learners in."""
    with transaction.atomic():
        promoted = fill_seats(_locked(session_id))
        _after_commit(promoted, on_promoted)
        return promoted


def _after_commit(promoted, on_promoted):
    if promoted and on_promoted is not None:
        ids = [registration.pk for registration in promoted]
        transaction.on_commit(lambda: on_promoted(ids))


def _queue(session):
    """Waitlisted registrations in queue order: position, then when they (last) joined, then row id."""
    return (Reg.objects.filter(session=session, status=Reg.WAITLISTED)
            .order_by(F("waitlist_position").asc(nulls_last=True), "updated", "id"))


def _last_position(session) -> int:
    return Reg.objects.filter(session=session, status=Reg.WAITLISTED).aggregate(last=Max("waitlist_position"))["last"] or 0


def _renumber(session):
    """Positions 1..N in queue order, whatever gaps or ties the rows had (a deleted learner, old data).

    One read of the queue, then one UPDATE when every row out of place moves up by the same number
    of places (someone left: the usual case), else each row out of place is written."""
    rows = _queue(session).values_list("pk", "waitlist_position")
    moved = {pk: (position, number) for number, (pk, position) in enumerate(rows, start=1) if position != number}
    shifts = {position - number for position, number in moved.values() if position is not None}
    if len(shifts) == 1 and all(position is not None for position, _ in moved.values()):
        Reg.objects.filter(pk__in=list(moved)).update(waitlist_position=F("waitlist_position") - shifts.pop())
    elif moved:
        Reg.objects.bulk_update([Reg(pk=pk, waitlist_position=number) for pk, (_, number) in moved.items()],
                                ["waitlist_position"], batch_size=500)
