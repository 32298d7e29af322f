"""What other blocks and reports may ask about experience sharing, without a runtime."""
from __future__ import annotations

from .models.experience_sharing import SharingParticipation


def participation_in_bulk(course_key: str, usage_keys, learner_ids) -> dict:
    """Whether each learner's contribution completed each listed block, in one query whatever the
    cohort: {(usage_key, learner_id): {"completion": 0.0 or 1.0, "posts", "replies"}}."""
    usage_keys, learner_ids = list(usage_keys), list(learner_ids)
    outcomes = {(usage_key, learner_id): {"completion": 0.0, "posts": 0, "replies": 0}
                for usage_key in usage_keys for learner_id in learner_ids}
    rows = (SharingParticipation.objects.filter(course_key=course_key, usage_key__in=usage_keys, learner_id__in=learner_ids)
            .values_list("usage_key", "learner_id", "posts", "replies", "completed"))
    for usage_key, learner_id, posts, replies, completed in rows:
        outcomes[(usage_key, learner_id)] = {"completion": 1.0 if completed else 0.0, "posts": posts, "replies": replies}
    return outcomes
