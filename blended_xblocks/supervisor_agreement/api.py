"""What other blocks and reports may ask about supervisor agreements, without a runtime."""
from __future__ import annotations

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
