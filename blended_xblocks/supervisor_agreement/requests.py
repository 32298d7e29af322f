"""The life of a supervisor agreement: request, resend, cancel, decide, remind, expire.

Every transition locks the learner's `SupervisorAgreement` row first (then the request row), so
transitions on one agreement are serialised: a new supervisor and a decision, two decisions on
one link, a reminder and a resend never interleave. Mail is sent inside the transaction: if the
mail backend refuses, nothing is recorded and the learner can try again.
"""
from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import F, Func, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from blended_xblocks.core.errors import N_, ApiError, Conflict
from blended_xblocks.core.joined_rows import columns_through, joined_columns, take_joined
from blended_xblocks.core.outcomes import announce
from blended_xblocks.core.prepared import PreparedQuery
from blended_xblocks.core.times import iso
from blended_xblocks.platform.models import Learner, learner_rows
from blended_xblocks.supervisor_agreement.mail import compose, link_for
from blended_xblocks.supervisor_agreement.models import (
    ANSWERED,
    STATUS_APPROVED,
    STATUS_AWAITING_STAFF,
    STATUS_EXPIRED,
    STATUS_NOT_REQUESTED,
    STATUS_PENDING,
    AgreementEvent,
    SupervisorAgreement,
    SupervisorRequest,
)
from blended_xblocks.supervisor_agreement.tokens import LinkError, issue, token_hash, verify

DEFAULT_MAILS_PER_DAY = 3


@dataclass(frozen=True)
class Terms:
    """What the block asks a supervisor to agree to, and how its links behave."""

    course_key: str
    usage_key: str
    programme: str
    commitment: str
    agreement_html: str
    link_days: int
    reminder_days: int
    link_base: str


class MailFailed(ApiError):
    """The mail to the supervisor could not be sent: nothing is recorded, the learner may try again."""

    status = 503


def _deliver(send, request, token, reminder=False):
    subject, text, html = compose(request, link_for(request.link_base, token), reminder=reminder)
    try:
        send(request.supervisor_email, subject, text, html)
    except Exception as error:  # SMTP down, refused address: nothing is recorded (rollback)
        raise MailFailed("mail_failed", N_("The e-mail could not be sent. Try again later.")) from error


def _new_link(request, usage_key) -> str:
    token = issue(request.pk, usage_key)
    request.token_hash = token_hash(token)
    return token


def ensure_agreement(learner, terms):
    """Create the learner's agreement row on its own, before any locking transaction.

    Inserting it inside the transaction that then locks it deadlocks on InnoDB when two first
    requests race (both hold a shared lock on the duplicate key); created here, the loser just
    finds the row.
    """
    if SupervisorAgreement.objects.filter(learner=learner, usage_key=terms.usage_key).exists():
        return
    try:
        with transaction.atomic():
            SupervisorAgreement.objects.create(learner=learner, usage_key=terms.usage_key,
                                               course_key=terms.course_key)
    except IntegrityError:  # created by a concurrent request
        pass


def lock_existing_agreement(learner, terms, conflict: Conflict) -> SupervisorAgreement:
    """Like lock_agreement, for actions on a request that must already exist: a learner who never
    asked gets `conflict` and no row is created."""
    agreement = SupervisorAgreement.objects.select_for_update().filter(
        learner=learner, usage_key=terms.usage_key).first()
    if agreement is None:
        raise conflict
    agreement.learner = learner
    return agreement


def lock_agreement(learner, terms) -> SupervisorAgreement:
    """The learner's agreement row for this block (see ensure_agreement), locked until commit."""
    agreement = SupervisorAgreement.objects.select_for_update().get(learner=learner, usage_key=terms.usage_key)
    agreement.learner = learner
    return agreement


def _expire_if_due(agreement, now):
    request = agreement.current_request
    if agreement.status == STATUS_PENDING and request and request.expires_at <= now:
        request.status = "expired"
        request.save(update_fields=["status"])
        agreement.status = STATUS_EXPIRED
        agreement.save(update_fields=["status", "modified"])


def agreement_of(learner, usage_key: str):
    """The learner's agreement on the block, its current request read with it; None before any."""
    return _AGREEMENT.first(learner_id=learner.pk, usage_key=usage_key)


def mails_sent_today(learner, now) -> int:
    """Mails this learner made the platform send in the last 24 hours, across every agreement block
    of the course (a `Learner` row belongs to one course), so more blocks do not mean more mail.
    (A few rows at most: sending stops at the block's daily limit.)"""
    return len(_MAILS_SINCE(learner_id=learner.pk, since=now - timedelta(days=1)))


def mails_since_query(since, learner_id):
    """The learner's mails since `since`, every agreement block of the course (see `mails_sent_today`)."""
    return AgreementEvent.objects.filter(agreement__learner_id=learner_id, by_learner=True, created__gte=since)


def _learner_with_agreement(course_key, anonymous_user_id, usage_key, since):
    """The learner's row with their agreement on the block, its current request, and the number of
    mails they made the platform send since `since`: a learner's page in one query."""
    # COUNT as a plain function, not `Count()`: annotated here, an aggregate would group the subquery
    # by each event (a row per mail, which a scalar subquery refuses) instead of counting them all.
    mails = mails_since_query(since, OuterRef("pk")).order_by().annotate(
        count=Func(F("pk"), function="COUNT")).values("count")
    return learner_rows(course_key, anonymous_user_id).annotate(  # one agreement per learner and block (bx_sa_unique)
        **joined_columns("supervisor_agreements", SupervisorAgreement, Q(supervisor_agreements__usage_key=usage_key),
                         "agreement"),
        **columns_through("agreement__current_request", SupervisorRequest, "agreement_request"),
        mails_today=Coalesce(Subquery(mails), 0, output_field=IntegerField()))[:1]


_LEARNER_WITH_AGREEMENT = PreparedQuery(_learner_with_agreement)


def learner_with_agreement(usage_key: str, now, **where):
    """`current_learner`'s `read` for an agreement block's page: (the learner's row, or None, and with
    it (their agreement on the block or None, mails sent in the last 24 hours), or None)."""
    row = _LEARNER_WITH_AGREEMENT.first(usage_key=usage_key, since=now - timedelta(days=1), **where)
    if row is None:
        return None, None
    agreement = take_joined(row, SupervisorAgreement, "agreement")
    request = take_joined(row, SupervisorRequest, "agreement_request")
    if agreement is not None and request is not None:
        agreement.current_request = request
    return row, (agreement, vars(row).pop("mails_today"))


_AGREEMENT = PreparedQuery(lambda learner_id, usage_key: SupervisorAgreement.objects.select_related(
    "current_request").filter(learner_id=learner_id, usage_key=usage_key).order_by("pk")[:1])
_MAILS_SINCE = PreparedQuery(lambda learner_id, since: mails_since_query(since, learner_id).values_list("pk", flat=True))


def _check_rate(learner, now, limit):
    if mails_sent_today(learner, now) >= limit:
        raise ApiError("rate_limited", N_("You can send {limit} e-mails a day to supervisors. Try again tomorrow."),
                       429, limit=limit)


def _schedule(request, terms, now):
    request.last_sent_at = now
    request.expires_at = now + timedelta(days=terms.link_days)
    request.link_days = terms.link_days
    request.remind_at = now + timedelta(days=terms.reminder_days) if terms.reminder_days else None
    request.reminded = False


def request_approval(learner, terms, supervisor: dict, language: str, send, limit=DEFAULT_MAILS_PER_DAY):
    """Ask a (new) supervisor; any earlier link stops working."""
    now = timezone.now()
    ensure_agreement(learner, terms)
    with transaction.atomic():
        Learner.objects.lock(learner)
        agreement = lock_agreement(learner, terms)
        if agreement.status in (STATUS_APPROVED, STATUS_AWAITING_STAFF):
            raise Conflict("already_approved", N_("Your supervisor has already approved."))
        _check_rate(learner, now, limit)
        old = agreement.current_request
        if old is not None and old.status in ("pending", "expired"):
            old.status, old.token_hash = "superseded", ""
            old.save(update_fields=["status", "token_hash"])
        request = SupervisorRequest(
            agreement=agreement, supervisor_name=supervisor["name"], supervisor_email=supervisor["email"],
            organisation=supervisor["organisation"], message=supervisor.get("message") or "",
            language=language, learner_name=learner.display_name[:255], programme=terms.programme[:255],
            commitment=terms.commitment[:500], agreement_html=terms.agreement_html, link_base=terms.link_base)
        _schedule(request, terms, now)
        request.save()
        token = _new_link(request, terms.usage_key)
        request.save(update_fields=["token_hash"])
        agreement.status, agreement.current_request = STATUS_PENDING, request
        agreement.decided_at, agreement.decided_by, agreement.decider_name, agreement.decision_note = None, "", "", ""
        agreement.save()
        AgreementEvent.objects.create(agreement=agreement, request=request, kind="requested", actor="learner",
                                      by_learner=True)
        _deliver(send, request, token)
    return agreement


def resend(learner, terms, send, actor="learner", limit=DEFAULT_MAILS_PER_DAY):
    """A fresh link to the same supervisor (the previous one stops working); reopens an expired one."""
    now = timezone.now()
    nothing = Conflict("nothing_to_resend", N_("There is no pending request to send again."))
    by_learner = actor == "learner"
    with transaction.atomic():
        if by_learner:
            Learner.objects.lock(learner)
        agreement = lock_existing_agreement(learner, terms, nothing)
        _expire_if_due(agreement, now)
        request = agreement.current_request
        if agreement.status not in (STATUS_PENDING, STATUS_EXPIRED) or request is None:
            raise nothing
        if by_learner:
            _check_rate(learner, now, limit)
        _schedule(request, terms, now)
        request.status = "pending"
        request.send_count += 1
        token = _new_link(request, terms.usage_key)
        request.save()
        agreement.status = STATUS_PENDING
        agreement.save(update_fields=["status", "modified"])
        AgreementEvent.objects.create(agreement=agreement, request=request, kind="resent", actor=actor,
                                      by_learner=by_learner)
        _deliver(send, request, token)
    return agreement


def cancel(learner, terms):
    """Withdraw a pending or expired request; its link stops working."""
    nothing = Conflict("nothing_to_cancel", N_("There is no pending request to cancel."))
    with transaction.atomic():
        agreement = lock_existing_agreement(learner, terms, nothing)
        request = agreement.current_request
        if agreement.status not in (STATUS_PENDING, STATUS_EXPIRED) or request is None:
            raise nothing
        request.status, request.token_hash = "cancelled", ""
        request.save(update_fields=["status", "token_hash"])
        agreement.status, agreement.current_request = STATUS_NOT_REQUESTED, None
        agreement.save(update_fields=["status", "current_request", "modified"])
        AgreementEvent.objects.create(agreement=agreement, request=request, kind="cancelled", actor="learner")
    return agreement


def _load_request(request_id):
    return SupervisorRequest.objects.select_related("agreement__learner").filter(pk=request_id).first()


def open_link(token, usage_key):
    """The request a link opens (for showing the page), or LinkError."""
    request = verify(token, usage_key, _load_request)
    _check_current(request)
    return request


def _check_current(request):
    agreement = request.agreement
    if agreement.current_request_id != request.pk:
        raise LinkError("superseded", request)
    if agreement.status in ANSWERED:
        raise LinkError("used", request)


def decide_by_supervisor(token, usage_key, approve: bool, signer_name: str, reason: str, ip: str, user_agent: str,
                         needs_confirmation: bool = False):
    """Record the supervisor's decision; of two racing decisions on one link exactly one wins.

    With `needs_confirmation` (the block's `require_staff_confirmation`) an approval leaves the
    agreement awaiting staff: it counts only once an instructor confirms it (`confirm_approval`).
    """
    with transaction.atomic():
        agreement_id = open_link(token, usage_key).agreement_id  # refuses bad links before any lock
        agreement = SupervisorAgreement.objects.select_for_update().get(pk=agreement_id)

        def load_locked(request_id):
            row = SupervisorRequest.objects.select_for_update().filter(pk=request_id).first()
            if row is not None:
                row.agreement = agreement
            return row

        request = verify(token, usage_key, load_locked)  # again, now that nothing can change under us
        _check_current(request)
        now = timezone.now()
        status = "approved" if approve else "declined"
        request.status, request.token_hash, request.decided_at = status, "", now
        request.signer_name, request.reason = signer_name, reason
        request.decision_ip, request.decision_user_agent = ip[:45], user_agent[:300]
        request.save()
        agreement.status = STATUS_AWAITING_STAFF if approve and needs_confirmation else status
        agreement.decided_at, agreement.decided_by = now, "supervisor"
        agreement.decider_name, agreement.decision_note = signer_name, reason
        agreement.save()
        AgreementEvent.objects.create(agreement=agreement, request=request, kind=status, actor="supervisor",
                                      signer_name=signer_name, note=reason, ip=ip[:45], user_agent=user_agent[:300])
        announce(agreement.course_key, [agreement.learner_id], "approval")
    return request


def record_paper_decision(learner, terms, status, note, staff_name, staff_id, expected_status=None):
    """An instructor records a decision from a paper form; any open link stops working.

    Returns (agreement, status before), the latter read under the row lock so that completion and
    score follow the change that really happened, even when a supervisor decided a moment earlier.
    A supervisor's own decision is never overwritten by the same decision (their signature stays).
    """
    ensure_agreement(learner, terms)
    with transaction.atomic():
        agreement = lock_agreement(learner, terms)
        if expected_status and agreement.status != expected_status:
            raise Conflict("status_changed", N_("This agreement changed meanwhile; reload the list."))
        if agreement.status == status and agreement.decided_by == "supervisor":
            raise Conflict("already_decided", N_("The supervisor has already recorded this decision."))
        before = agreement.status
        request = agreement.current_request
        if request is not None and request.status in ("pending", "expired"):
            request.status, request.token_hash = "superseded", ""
            request.save(update_fields=["status", "token_hash"])
        agreement.status, agreement.decided_at, agreement.decided_by = status, timezone.now(), "instructor"
        agreement.decider_name, agreement.decision_note = staff_name[:255], note
        agreement.save()
        AgreementEvent.objects.create(agreement=agreement, request=request, kind=status,
                                      actor=f"instructor:{staff_id}"[:80], signer_name=staff_name[:120], note=note)
        if status != before:
            announce(agreement.course_key, [agreement.learner_id], "approval")
    return agreement, before


def confirm_approval(learner, terms, staff_name, staff_id):
    """An instructor confirms a supervisor's approval that awaits it; returns (agreement, status before).

    The supervisor stays the one who approved (name, date); the audit trail records who confirmed.
    """
    nothing = Conflict("nothing_to_confirm", N_("There is no supervisor's approval awaiting confirmation."))
    with transaction.atomic():
        agreement = lock_existing_agreement(learner, terms, nothing)
        if agreement.status != STATUS_AWAITING_STAFF:
            raise nothing
        before = agreement.status
        agreement.status = STATUS_APPROVED
        agreement.save(update_fields=["status", "modified"])
        AgreementEvent.objects.create(agreement=agreement, request=agreement.current_request, kind="confirmed",
                                      actor=f"instructor:{staff_id}"[:80], signer_name=staff_name[:120])
        announce(agreement.course_key, [agreement.learner_id], "approval")
    return agreement, before


def expire_due(now=None, usage_key=None) -> int:
    """Mark pending requests past their expiry as expired, locking agreements first like every
    other transition (so a sweep never deadlocks with a decision)."""
    now = now or timezone.now()
    due = SupervisorAgreement.objects.filter(status=STATUS_PENDING, current_request__status="pending",
                                             current_request__expires_at__lte=now)
    if usage_key:
        due = due.filter(usage_key=usage_key)
    ids = list(due.values_list("pk", flat=True))
    if not ids:
        return 0
    with transaction.atomic():
        locked = list(SupervisorAgreement.objects.select_for_update().filter(pk__in=ids, status=STATUS_PENDING)
                      .values_list("pk", flat=True))
        count = SupervisorRequest.objects.filter(agreement_id__in=locked, status="pending",
                                                 expires_at__lte=now).update(status="expired")
        SupervisorAgreement.objects.filter(pk__in=locked, current_request__status="expired").update(
            status=STATUS_EXPIRED, modified=now)
    return count


def due_reminders(now=None):
    now = now or timezone.now()
    return list(SupervisorRequest.objects.filter(status="pending", reminded=False, remind_at__lte=now,
                                                 expires_at__gt=now).values_list("pk", flat=True))


def send_reminder(request_id, send, now=None) -> bool:
    """Re-send one pending request once (new link, same expiry); False if no longer due."""
    now = now or timezone.now()
    with transaction.atomic():
        agreement_id = SupervisorRequest.objects.filter(pk=request_id).values_list("agreement_id", flat=True).first()
        if agreement_id is None:
            return False
        agreement = SupervisorAgreement.objects.select_for_update().get(pk=agreement_id)
        request = SupervisorRequest.objects.select_for_update().get(pk=request_id)
        if (agreement.current_request_id != request.pk or request.status != "pending" or request.reminded
                or not request.remind_at or request.remind_at > now or request.expires_at <= now):
            return False
        token = _new_link(request, agreement.usage_key)
        request.reminded, request.send_count, request.last_sent_at = True, request.send_count + 1, now
        request.save()
        AgreementEvent.objects.create(agreement=agreement, request=request, kind="reminded", actor="system")
        _deliver(send, request, token, reminder=True)
    return True


def retire(learners):
    """A retired learner's supervisors are forgotten too (names, addresses, audit metadata)."""
    requests = SupervisorRequest.objects.filter(agreement__learner__in=learners)
    requests.update(supervisor_name="", supervisor_email="", organisation="", message="", learner_name="",
                    signer_name="", reason="", decision_ip="", decision_user_agent="", token_hash="")
    AgreementEvent.objects.filter(agreement__learner__in=learners).update(signer_name="", note="", ip="",
                                                                           user_agent="")
    SupervisorAgreement.objects.filter(learner__in=learners).update(decider_name="", decision_note="")


def state_of(agreement, limit=DEFAULT_MAILS_PER_DAY, now=None, learner=None, sent_today=None) -> dict:
    """What the learner sees (their own agreement only): status, request, decision, actions.
    `sent_today`: `mails_sent_today` when the caller read it already."""
    now = now or timezone.now()
    status = agreement.status if agreement else STATUS_NOT_REQUESTED
    request = agreement.current_request if agreement else None
    if status == STATUS_PENDING and request and request.expires_at <= now:
        status = STATUS_EXPIRED
    learner = learner if learner is not None else (agreement.learner_id if agreement else None)
    if sent_today is None:
        sent_today = mails_sent_today(learner, now) if learner is not None else 0  # all blocks of the course
    state = {"status": status, "request": None, "decision": None,
             "mails_left_today": max(limit - sent_today, 0),
             "can_request": status not in (STATUS_APPROVED, STATUS_AWAITING_STAFF),
             "can_resend": status in (STATUS_PENDING, STATUS_EXPIRED) and request is not None,
             "can_cancel": status in (STATUS_PENDING, STATUS_EXPIRED) and request is not None}
    if request is not None:
        state["request"] = {"supervisor_name": request.supervisor_name, "supervisor_email": request.supervisor_email,
                            "organisation": request.organisation, "message": request.message,
                            "requested_at": iso(request.created), "last_sent_at": iso(request.last_sent_at),
                            "send_count": request.send_count, "expires_at": iso(request.expires_at)}
    if agreement and status in ANSWERED:
        state["decision"] = {"status": status, "decided_at": iso(agreement.decided_at),
                             "decided_by": agreement.decided_by, "name": agreement.decider_name,
                             # An instructor's note on a paper form is internal (staff list and CSV);
                             # only a supervisor's reason for declining is meant for the learner.
                             "reason": agreement.decision_note if agreement.decided_by == "supervisor" else ""}
    return state
