"""What other blocks and reports may ask about supervisor agreements, without a runtime."""
from __future__ import annotations

from blended_xblocks.core.downloads import CSV, Stream, producer
from blended_xblocks.core.errors import ApiError
from blended_xblocks.platform import retirement
from blended_xblocks.supervisor_agreement import requests, staff
from blended_xblocks.supervisor_agreement.mail import send_with_django
from blended_xblocks.supervisor_agreement.models import STATUS_APPROVED, STATUS_NOT_REQUESTED, SupervisorAgreement


def agreements_in_bulk(course_key: str, usage_keys, learner_ids) -> dict:
    """Each learner's agreement status in each listed block, in one query whatever the cohort:
    {(usage_key, learner_id): {"status", "still_open"}}. A learner can always ask again (another
    supervisor after a refusal), so only an approval is final."""
    usage_keys, learner_ids = list(usage_keys), list(learner_ids)
    outcomes = {(usage_key, learner_id): {"status": STATUS_NOT_REQUESTED, "still_open": True}
                for usage_key in usage_keys for learner_id in learner_ids}
    rows = (SupervisorAgreement.objects.filter(course_key=course_key, usage_key__in=usage_keys, learner_id__in=learner_ids)
            .values_list("usage_key", "learner_id", "status"))
    for usage_key, learner_id, status in rows:
        outcomes[(usage_key, learner_id)] = {"status": status, "still_open": status != STATUS_APPROVED}
    return outcomes


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
