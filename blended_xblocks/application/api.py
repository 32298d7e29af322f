"""What other blocks and reports may ask about calls for applications, without a runtime."""
from __future__ import annotations

from blended_xblocks.application.models import Application
from blended_xblocks.platform.retirement import on_retirement

NOT_APPLIED = "not_applied"


def selections_in_bulk(course_key: str, usage_keys, learner_ids) -> dict:
    """Each learner's application status in each listed call, in one query whatever the cohort:
    {(usage_key, learner_id): {"status"}}; `not_applied` when there is none. `accepted` is the
    status of a learner who took their place."""
    usage_keys, learner_ids = list(usage_keys), list(learner_ids)
    outcomes = {(usage_key, learner_id): {"status": NOT_APPLIED} for usage_key in usage_keys for learner_id in learner_ids}
    rows = (Application.objects.filter(call__course_key=course_key, call__usage_key__in=usage_keys,
                                       learner_id__in=learner_ids)
            .values_list("call__usage_key", "learner_id", "status"))
    for usage_key, learner_id, status in rows:
        outcomes[(usage_key, learner_id)] = {"status": status}
    return outcomes


@on_retirement
def forget_applications(learners):
    """A retired learner's applications go, with their answers, reviews and files; their name
    as a reviewer of others' applications is blanked."""
    from blended_xblocks.application.files import delete_all
    from blended_xblocks.application.models import ApplicationFile, ApplicationReview
    user_ids = [user_id for user_id in learners.values_list("user_id", flat=True) if user_id]
    delete_all(list(ApplicationFile.objects.filter(application__learner__in=learners)))
    Application.objects.filter(learner__in=learners).delete()
    if user_ids:
        ApplicationReview.objects.filter(reviewer_id__in=user_ids).update(reviewer_name="")
