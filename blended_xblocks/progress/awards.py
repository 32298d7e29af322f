"""Issuing a programme's certificate: from the block (the learner's visit), the moment one of our
blocks tells that a learner's outcome changed (an approval, attendance, a released grade, a
completed participation: `award_where_met`, through progress/receivers.py), or from a periodic
command (outcomes the platform keeps, such as completion and subsection grades, tell nothing).

Issuing records completion and the programme's whole weight in the gradebook, and asks the LMS for
its own course certificate, which the certificate gate now lets through.
"""
from __future__ import annotations

import logging

from blended_xblocks.platform.adapter import CurrentUser, outcome_reader, platform_for_keys
from blended_xblocks.platform.models import Learner
from blended_xblocks.progress import certificates
from blended_xblocks.progress.cohort import judged_cohort
from blended_xblocks.progress.models import ProgrammeCertificate, ProgrammeDefinition
from blended_xblocks.progress.programme import Person, judge

log = logging.getLogger(__name__)
BLOCK_TYPE = "blended_progress"


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
    """Certificates for every member of the cohort who meets the programme and has none yet; how many.

    An enrolled learner who met it without ever opening one of our blocks (a programme of
    completion and scores only) has no `Learner` row, which the certificate, its score and the
    verify page hang on: the row is made here with the anonymous id the platform gives them
    (`reader.anonymous_ids`), as their first visit would have made it. Where the platform cannot
    say (no such method, or no id), they get it on their first visit to the programme instead."""
    met = [(person, member) for person, status, member in judged_cohort(definition, definition.course_key, "", reader)
           if status.met]
    newcomers = [member for person, member in met if not person.learner_id and member.user_id]
    learner_ids = [person.learner_id for person, _ in met if person.learner_id]
    learner_ids += [learner.pk for learner in _record_newcomers(definition.course_key, newcomers, reader)]
    return _award_all(platform, definition, learner_ids, now)


def _award_all(platform, definition, learner_ids: list, now) -> int:
    """Certificates for these learners (who meet the programme) who have none yet; how many."""
    have = set(ProgrammeCertificate.objects.filter(usage_key=definition.usage_key, learner_id__in=learner_ids)
               .values_list("learner_id", flat=True))
    issued = 0
    for learner in Learner.objects.filter(pk__in=[pk for pk in learner_ids if pk not in have]):
        issued += award(platform, definition, learner, learner.full_name, now)[1]
    return issued


def award_where_met(course_key: str, learner_ids, now) -> int:
    """Certificates for those of these learners who now meet a programme of the course and hold
    none yet; how many. A course without a programme costs one query; otherwise the learners are
    judged in bulk, programme by programme (a handful of queries whatever their number), and only
    the newly met are written. The platform's adapter is detached (no block, no runtime), as for
    the periodic command."""
    definitions = list(ProgrammeDefinition.objects.filter(course_key=course_key).order_by("pk"))
    if not definitions:
        return 0
    people = [Person(learner_id=pk, user_id=user_id, anonymous_id=anonymous_id) for pk, user_id, anonymous_id in
              Learner.objects.filter(course_key=course_key, pk__in=list(learner_ids))
              .values_list("id", "user_id", "anonymous_user_id")]
    if not people:
        return 0
    reader, issued = outcome_reader(), 0
    for definition in definitions:
        met = [person.learner_id for person, status in judge(definition, people, reader).items() if status.met]
        if met:
            platform = platform_for_keys(definition.course_key, definition.usage_key, BLOCK_TYPE)
            issued += _award_all(platform, definition, met, now)
    return issued


def _record_newcomers(course_key: str, members, reader) -> list:
    """`Learner` rows for enrolled members who have none (see issue_due_certificates)."""
    lookup = getattr(reader, "anonymous_ids", None)
    anonymous_ids = lookup(course_key, [member.user_id for member in members]) if lookup and members else {}
    learners = []
    for member in members:
        anonymous_id = anonymous_ids.get(member.user_id)
        if not anonymous_id:
            log.info("blended_progress: no anonymous id for user %s in %s; certificate on their visit",
                     member.user_id, course_key)
            continue
        learners.append(Learner.objects.record(course_key, CurrentUser(
            anonymous_id=anonymous_id, user_id=member.user_id, username=member.username, email=member.email,
            full_name=member.full_name)))
    return learners
