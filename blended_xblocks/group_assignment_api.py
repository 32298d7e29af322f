"""What other blocks and reports may ask about assignments, without a runtime."""
from __future__ import annotations

from django.db.models import BooleanField, ExpressionWrapper, Q

from .models.group_assignment import SubmissionMember


def results_in_bulk(course_key: str, usage_keys, learner_ids) -> dict:
    """Each learner's result in each listed assignment, in one query whatever the cohort:
    {(usage_key, learner_id): {"status", "share", "still_open"}}.

    `status` is "released" once learners see the grade, else the submission's own status;
    `share` is the member's points (group points and their adjustment, within 0..max) over the
    maximum, and only once released; a learner with no submission is "not_started". Until
    released, the result can still change.
    """
    usage_keys, learner_ids = list(usage_keys), list(learner_ids)
    released = ExpressionWrapper(Q(submission__released__isnull=False), output_field=BooleanField())
    rows = (SubmissionMember.objects.filter(usage_key__in=usage_keys, learner_id__in=learner_ids,
                                            submission__course_key=course_key)
            .annotate(is_released=released)
            .values_list("usage_key", "learner_id", "adjustment", "submission__status", "submission__points",
                         "submission__possible", "is_released"))
    outcomes = {(usage_key, learner_id): {"status": "not_started", "share": None, "still_open": True}
                for usage_key in usage_keys for learner_id in learner_ids}
    for usage_key, learner_id, adjustment, status, points, possible, released in rows:
        share = None
        if released and points is not None and possible:
            share = min(max(points + adjustment, 0), possible) / possible
        outcomes[(usage_key, learner_id)] = {"status": "released" if released else status, "share": share,
                                             "still_open": not released}
    return outcomes
