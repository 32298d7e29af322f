"""What other blocks and reports may ask about supervisor agreements, without a runtime (and, given
a loaded block, what a host may do as a supervisor would: `approve_through_link`)."""
from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from django.db.models import CharField, Subquery, Value
from django.db.models.functions import Coalesce

from blended_xblocks.core.downloads import CSV, Stream, producer
from blended_xblocks.core.errors import ApiError
from blended_xblocks.core.outcome_rows import as_outcome_rows, outcome_rows
from blended_xblocks.core.prepared import PreparedQuery
from blended_xblocks.platform import retirement
from blended_xblocks.supervisor_agreement import requests, staff
from blended_xblocks.supervisor_agreement.mail import send_with_django
from blended_xblocks.supervisor_agreement.models import STATUS_APPROVED, STATUS_NOT_REQUESTED, SupervisorAgreement


def agreements_in_bulk(course_key: str, usage_keys, learner_ids) -> dict:
    """Each learner's agreement status in each listed block, in one query whatever the cohort:
    {(usage_key, learner_id): {"status", "still_open"}}. A learner can always ask again (another
    supervisor after a refusal), so only an approval is final."""
    usage_keys, learner_ids = list(usage_keys), list(learner_ids)
    rows = _AGREEMENTS(course_key=course_key, usage_keys=usage_keys, learner_ids=learner_ids) if usage_keys and learner_ids \
        else []
    return agreements_from_rows(as_outcome_rows(rows), course_key=course_key, usage_keys=usage_keys,
                                learner_ids=learner_ids)


def agreements_rows(course_key: str, usage_keys, learner_ids):
    """The rows `agreements_from_rows` reads, in the common outcome layout (core/outcome_rows.py):
    one per agreement of a listed learner, with its `status`."""
    return outcome_rows(SupervisorAgreement.objects.filter(
        course_key=course_key, usage_key__in=usage_keys, learner_id__in=learner_ids),
        "approval", usage_key="usage_key", learner_id="learner_id", status="status")


def agreements_from_rows(rows, *, course_key, usage_keys, learner_ids, settings=None, now=None) -> dict:
    """`agreements_in_bulk`'s answer from the rows `agreements_rows` read (`OutcomeRow`s); the
    arguments of every kind's `*_from_rows`, of which an agreement needs its rows and who is asked."""
    outcomes = {(usage_key, learner_id): {"status": STATUS_NOT_REQUESTED, "still_open": True}
                for usage_key in usage_keys for learner_id in learner_ids}
    for row in rows:
        outcomes[(row.usage_key, row.learner_id)] = {"status": row.status, "still_open": row.status != STATUS_APPROVED}
    return outcomes


_AGREEMENTS = PreparedQuery(agreements_rows)


def status_expression(course_key: str, usage_key: str, learner_id):
    """The learner's status in one agreement block ("not_requested" when never asked), as an expression
    another block's query can carry: the call's page reads it with the call's row instead of asking
    `agreements_in_bulk` in a round trip of its own. One row at most (a learner's agreement per block
    is unique, bx_sa_unique)."""
    asked = SupervisorAgreement.objects.filter(course_key=course_key, usage_key=usage_key, learner_id=learner_id)
    return Coalesce(Subquery(asked.values("status")[:1]), Value(STATUS_NOT_REQUESTED), output_field=CharField())


def approve_through_link(block, learner, supervisor: dict, ip: str, user_agent: str) -> bool:
    """The learner asks `supervisor` ({"name", "email", "organisation", "message"}) on `block`, and
    the supervisor approves through the signed link of the mail, which is composed but not sent.
    Nothing when the learner's agreement is approved already; True when it was approved now."""
    if SupervisorAgreement.objects.filter(learner=learner, usage_key=block.usage_key_string,
                                          status=STATUS_APPROVED).exists():
        return False
    links = []
    terms = block.terms()
    requests.request_approval(learner, terms, supervisor, "en", lambda to, subject, text, html: links.append(text))
    token = _token_in(links[0]) if links else None
    if not token:
        return False
    requests.decide_by_supervisor(token, terms.usage_key, True, supervisor["name"], "", ip, user_agent)
    return True


def _token_in(text: str) -> str | None:
    for word in text.split():
        if "token=" in word:
            return (parse_qs(urlsplit(word).query).get("token") or [None])[0]
    return None


def due_reminders(now) -> list:
    """The requests whose supervisor is due one reminder (the periodic command)."""
    return requests.due_reminders(now)


def send_reminders(request_ids, now) -> tuple[int, int]:
    """Remind each supervisor once, by Django mail: (sent, failed); a refused mail stays due."""
    sent = failed = 0
    for request_id in request_ids:
        try:
            sent += requests.send_reminder(request_id, send_with_django, now)
        except ApiError:
            failed += 1
    return sent, failed


def expire_links(now) -> int:
    """Expire the links past their time; how many."""
    return requests.expire_due(now)


# Registrations (the app's ready() imports this module in every process: LMS, Studio, workers, commands).
retirement.on_retirement(requests.retire)


@producer("agreements_csv")
def _agreements_csv(ticket: dict) -> Stream:
    return Stream(staff.export_csv(ticket["course"], ticket["usage"]), CSV)
