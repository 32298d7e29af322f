"""What other blocks and reports may ask about supervisor agreements, without a runtime (and, given
a loaded block, what a host may do as a supervisor would: `approve_through_link`)."""
from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from blended_xblocks.supervisor_agreement import requests
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
