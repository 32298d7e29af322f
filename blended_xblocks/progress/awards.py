"""Issuing a programme's certificate, from the block (the learner's visit) or without one (a
periodic command: a learner met the programme while away, through an approval or a released
grade, and nothing in the platform fires then).

Issuing records completion and the programme's whole weight in the gradebook, and asks the LMS for
its own course certificate, which the certificate gate now lets through.
"""
from __future__ import annotations

import logging

from ..models import Learner, ProgrammeCertificate
from . import certificates
from .cohort import judged_cohort

log = logging.getLogger(__name__)


def publish_outcome(platform, learner, weight: int, *, met: bool):
    """Met: completion and `weight` of `weight` points. Revoked: both withdrawn (a reset, not a 0:
    the LMS then shows the programme as not yet done). A failure is logged; the certificate stands."""
    try:
        platform.complete_for([learner], 1.0 if met else 0.0)
        if weight > 0 and met:
            platform.set_scores({learner.anonymous_user_id: (weight, weight)})
        elif weight > 0:
            platform.reset_scores([learner.anonymous_user_id])
    except Exception:  # noqa: BLE001 - the next issue or revocation publishes again
        log.exception("blended_progress: could not publish the outcome of learner %s", learner.pk)


def award(platform, definition, learner, full_name: str, now):
    """The learner's certificate, issued now if they have none: (certificate, newly issued)."""
    certificate, issued = certificates.issue(definition.course_key, definition.usage_key, learner, full_name, now)
    if issued:
        publish_outcome(platform, learner, definition.weight, met=True)
        platform.request_course_certificate(learner.user_id)
    return certificate, issued


def issue_due_certificates(definition, reader, platform, now) -> int:
    """Certificates for every learner of the programme who meets it and has none yet; how many."""
    met = [person.learner_id for person, status, _ in judged_cohort(definition, definition.course_key, "", reader)
           if status.met and person.learner_id]
    have = set(ProgrammeCertificate.objects.filter(usage_key=definition.usage_key, learner_id__in=met)
               .values_list("learner_id", flat=True))
    issued = 0
    for learner in Learner.objects.filter(pk__in=[pk for pk in met if pk not in have]):
        issued += award(platform, definition, learner, learner.full_name, now)[1]
    return issued
