"""Places, the waitlist and offers: who is selected, in which order the waitlist moves, race-proof.

Every change locks the call's row first (`select_for_update`), as the webinar's seats lock the
session: places taken and waitlist positions are read after the lock, so concurrent decisions,
acceptances and declines are serialised per call and never exceed `places`. A declined or
expired offer gives the place to the first waitlisted applicant, who gets an offer of their own;
mails go out only once the transaction has committed.
"""
from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.db.models import Exists, F, Max, OuterRef, Q

from blended_xblocks.application.models import Application, ApplicationCall
from blended_xblocks.core.errors import N_, BadRequest, Conflict, NotFound
from blended_xblocks.core.joined_rows import joined_columns, take_joined
from blended_xblocks.core.prepared import PreparedQuery
from blended_xblocks.supervisor_agreement.api import status_expression

A = Application
DECISIONS = (A.SELECTED, A.WAITLISTED, A.NOT_SELECTED)
DECIDABLE = (A.SUBMITTED, A.SELECTED, A.WAITLISTED, A.NOT_SELECTED, A.ACCEPTED, A.DECLINED, A.EXPIRED)


def locked(call_id) -> ApplicationCall:
    return ApplicationCall.objects.select_for_update().get(pk=call_id)


def places_taken(call) -> int:
    return A.objects.filter(call=call, status__in=A.HOLDING_A_PLACE).count()


def places_left(call, taken=None):
    """None when the call sets no limit."""
    if not call.places:
        return None
    return max(call.places - (places_taken(call) if taken is None else taken), 0)


def queue(call):
    return A.objects.filter(call=call, status=A.WAITLISTED).order_by(F("waitlist_position").asc(nulls_last=True), "id")


def renumber(call):
    """Waitlist positions 1..N in queue order (after anyone leaves it)."""
    moved = [A(pk=pk, waitlist_position=number) for number, (pk, position)
             in enumerate(queue(call).values_list("pk", "waitlist_position"), start=1) if position != number]
    if moved:
        A.objects.bulk_update(moved, ["waitlist_position"], batch_size=500)


def _offer(rows, call, now, *, promoted=False):
    expires = now + timedelta(days=call.offer_days) if call.offer_days else None
    A.objects.filter(pk__in=[row.pk for row in rows]).update(
        status=A.SELECTED, waitlist_position=None, decided_at=now, offer_expires=expires,
        promoted_at=now if promoted else None, reminded_at=None, updated=now)


def fill_places(call, now, exclude=()) -> list[int]:
    """Offer free places to the first eligible waitlisted applicants (call locked); their ids.
    `exclude`: applicants staff have just moved to the waitlist, who do not get their place back at once."""
    if not call.places:
        return []
    free = call.places - places_taken(call)
    if free <= 0:
        return []
    waiting = list(queue(call).filter(eligible=True).exclude(pk__in=list(exclude))[:free])  # an ineligible applicant never gets a place
    if not waiting:
        return []
    _offer(waiting, call, now, promoted=True)
    renumber(call)
    return [row.pk for row in waiting]


def expire_offers(call, now) -> list[int]:
    """Offers past their time lapse (call locked); the freed places go down the waitlist."""
    stale = A.objects.filter(call=call, status=A.SELECTED, offer_expires__isnull=False, offer_expires__lte=now)
    if not stale.exists():
        return []
    stale.update(status=A.EXPIRED, updated=now)
    return fill_places(call, now)


def call_of(usage_key: str, now=None, learner=None, agreement_course: str = "", agreement_key: str = ""):
    """The call's row, or None before it is first stored. With `now`, it carries `offers_due`: whether
    an offer is past its time at `now`, read with the row, so that a learner's page knows there is
    nothing to sweep without a query of its own; with a `learner` too, `learner_application`, theirs
    or None, read in the same query (the page's second read otherwise), and with `agreement_key`, the
    supervisor agreement block the call shows (in `agreement_course`), `learner_agreement`: their
    status there (supervisor_agreement's `status_expression`; the page's third read otherwise)."""
    if not now:
        return _CALL.first(usage_key=usage_key)
    if learner is None:
        return _CALL_WITH_OFFERS_DUE.first(usage_key=usage_key, now=now)
    if agreement_key:
        call = _CALL_WITH_MINE_AND_AGREEMENT.first(usage_key=usage_key, now=now, learner_id=learner.pk,
                                                   agreement_course=agreement_course, agreement_key=agreement_key)
    else:
        call = _CALL_WITH_MINE.first(usage_key=usage_key, now=now, learner_id=learner.pk)
    if call is not None:
        call.learner_application = take_joined(call, A)
    return call


def _with_offers_due(usage_key, now):
    return ApplicationCall.objects.filter(usage_key=usage_key).annotate(
        offers_due=Exists(A.objects.filter(call_id=OuterRef("pk"), status=A.SELECTED, offer_expires__isnull=False,
                                           offer_expires__lte=now)))


def _with_mine(usage_key, now, learner_id):
    """The call with `offers_due` and the learner's application's columns (one row at most, joined)."""
    return _with_offers_due(usage_key, now).annotate(  # one application per call and learner (bx_app_once)
        **joined_columns("applications", A, Q(applications__learner_id=learner_id)))


def _call_with_mine(usage_key, now, learner_id):
    return _with_mine(usage_key, now, learner_id).order_by("pk")[:1]


def _call_with_mine_and_agreement(usage_key, now, learner_id, agreement_course, agreement_key):
    """`_call_with_mine`, and the learner's status in the agreement block the call shows."""
    return _with_mine(usage_key, now, learner_id).annotate(
        learner_agreement=status_expression(agreement_course, agreement_key, learner_id)).order_by("pk")[:1]


_CALL = PreparedQuery(lambda usage_key: ApplicationCall.objects.filter(usage_key=usage_key).order_by("pk")[:1])
_CALL_WITH_OFFERS_DUE = PreparedQuery(lambda usage_key, now: _with_offers_due(usage_key, now).order_by("pk")[:1])
_CALL_WITH_MINE = PreparedQuery(_call_with_mine)
_CALL_WITH_MINE_AND_AGREEMENT = PreparedQuery(_call_with_mine_and_agreement)


def sweep_expired(call_id, now, after_commit=None, due: bool | None = None) -> list[int]:
    """Lapse offers past their time in a transaction of their own (so that a refusal that follows
    does not undo it); cheap when none is due. `due`: already known (read with the call's row)."""
    if due is None:
        due = A.objects.filter(call_id=call_id, status=A.SELECTED, offer_expires__isnull=False,
                               offer_expires__lte=now).exists()
    if not due:
        return []
    with transaction.atomic():
        promoted = expire_offers(locked(call_id), now)
        _after(after_commit, promoted=promoted)
        return promoted


def decide(call_id, user_ids: list[int], decision: str, message: str, now, after_commit=None) -> dict:
    """Staff's decision for several applicants at once, all or nothing.

    Selecting more applicants than there are places left is refused (409 `no_places_left`);
    waitlisted applicants join the queue in the order given, behind those already waiting. A place
    taken back from a selected or accepted applicant goes down the waitlist at once."""
    sweep_expired(call_id, now, after_commit)
    with transaction.atomic():
        call = locked(call_id)
        rows = list(A.objects.filter(call=call, learner__user_id__in=user_ids).select_related("learner"))
        found = {row.learner.user_id: row for row in rows}
        missing = [user_id for user_id in user_ids if user_id not in found]
        if missing:
            raise NotFound("unknown_user", N_("User {user_id} has not applied to this call."), user_id=missing[0])
        ordered = [found[user_id] for user_id in dict.fromkeys(user_ids)]
        for row in ordered:
            if row.status not in DECIDABLE:
                raise Conflict("not_submitted", N_("User {user_id} has not submitted an application."),
                               user_id=row.learner.user_id)
        keeps = A.HOLDING_A_PLACE if decision == A.SELECTED else (decision,)  # an accepted place stays accepted
        changed = [row for row in ordered if row.status not in keeps]
        if decision in (A.SELECTED, A.WAITLISTED):  # the waitlist leads to an offer: the same rule
            for row in changed:
                if not row.eligible:
                    raise Conflict("not_eligible", N_("User {user_id} does not meet the call's requirements."),
                                   user_id=row.learner.user_id)
        if decision == A.SELECTED:
            left = places_left(call)
            if left is not None and len(changed) > left:
                raise Conflict("no_places_left", N_("Only {left} places are left; {count} applicants were chosen."),
                               left=left, count=len(changed))
            _offer(changed, call, now)
        elif decision == A.WAITLISTED:
            if not call.waitlist:
                raise Conflict("no_waitlist", N_("This call has no waitlist."))
            last = A.objects.filter(call=call, status=A.WAITLISTED).aggregate(last=Max("waitlist_position"))["last"] or 0
            for number, row in enumerate(changed, start=last + 1):
                A.objects.filter(pk=row.pk).update(status=A.WAITLISTED, waitlist_position=number, decided_at=now,
                                                   offer_expires=None, updated=now)
        else:
            A.objects.filter(pk__in=[row.pk for row in changed]).update(
                status=A.NOT_SELECTED, waitlist_position=None, offer_expires=None, decided_at=now, updated=now)
        A.objects.filter(pk__in=[row.pk for row in changed]).update(message=message)  # the others were not told anything new
        renumber(call)
        promoted = []
        if any(row.status in A.HOLDING_A_PLACE for row in changed) and decision != A.SELECTED:
            promoted = fill_places(call, now, exclude=[row.pk for row in changed])
        _after(after_commit, decided=[row.pk for row in changed], promoted=promoted)
        return {"changed": len(changed), "places_left": places_left(call)}


def answer_offer(call_id, learner, accept: bool, now, after_commit=None) -> Application:
    """Accept or decline an offer. A second click changes nothing and answers the same (accepting
    again only puts the applicant in the cohort again, should that have failed the first time);
    declining (an offer, or a place already accepted) passes the place down the waitlist."""
    sweep_expired(call_id, now, after_commit)
    with transaction.atomic():
        call = locked(call_id)
        row = A.objects.filter(call=call, learner=learner).first()
        if row is None:
            raise Conflict("no_offer", N_("You have no offer to answer."))
        if row.status == (A.ACCEPTED if accept else A.DECLINED):
            _after(after_commit, accepted=[row.pk] if accept else [])  # a double click, or a retry of the cohort
            return row
        if row.status == A.EXPIRED:
            raise Conflict("offer_expired", N_("This offer has expired."))
        allowed = (A.SELECTED,) if accept else (A.SELECTED, A.ACCEPTED)
        if row.status not in allowed:
            raise Conflict("no_offer", N_("You have no offer to answer."))
        row.status = A.ACCEPTED if accept else A.DECLINED
        row.save(update_fields=["status", "updated"])
        promoted = [] if accept else fill_places(call, now)
        _after(after_commit, accepted=[row.pk] if accept else [], promoted=promoted)
        return row


def _after(callback, **ids):
    if callback is not None and any(ids.values()):
        transaction.on_commit(lambda: callback(**ids))


def check_decision(decision: str):
    if decision not in DECISIONS:
        raise BadRequest("invalid_choice", N_("“{field}” must be one of: {choices}."), field="decision",
                         choices=", ".join(DECISIONS))
