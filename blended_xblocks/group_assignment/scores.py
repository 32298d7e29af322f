"""Released group-assignment scores on their way to the gradebook.

Releasing only marks our rows (learners see their grade at once); each counted member whose
released score changed gets `score_version` bumped, and `gradebook` pushes it (in the request
when few, else through Celery or the `blended_push_scores` command). See
docs/decisions/0003-score-release.md.
"""
from __future__ import annotations

from django.db.models import F

from blended_xblocks.group_assignment.models import SubmissionMember
from blended_xblocks.platform import gradebook

BLOCK_TYPE = "blended_group_assignment"


def member_points(base: float, adjustment: float, maximum: float) -> float:
    return round(min(max(base + adjustment, 0), maximum), 2)


def _member_score(member) -> gradebook.Score:
    """Whole points: the member's rubric points out of the rubric's (`possible`, stored at grading and
    release; 0: not graded, the score is withdrawn). Rubrics and adjustments are whole points since
    scores are; a decimal one from before counts as the nearest whole point (logged)."""
    submission = member.submission
    stored = submission.possible or 0
    where = f"{BLOCK_TYPE} {member.usage_key}"
    possible = gradebook.whole_weight(stored, 0, where=where)
    if not possible:
        return gradebook.Score(submission.course_key, member.usage_key, None, 0, 1.0)
    share = gradebook.fraction(member_points(submission.points, member.adjustment, stored)) / gradebook.fraction(stored)
    return gradebook.Score(submission.course_key, member.usage_key, gradebook.share_points(possible, share, where=where),
                           possible, 1.0)


SOURCE = gradebook.ScoreSource(
    block_type=BLOCK_TYPE, model=SubmissionMember, usage_path="usage_key", course_path="submission__course_key",
    related=("submission",), score=_member_score,
    ready={"submission__released__isnull": False, "submission__points__isnull": False})


def pending(usage_key: str):
    """The members whose released score has not reached the gradebook yet."""
    return gradebook.pending(SOURCE, usage_key)


def pending_count(usage_key: str) -> int:
    return pending(usage_key).count()


def mark_changed(submissions) -> int:
    """The released score of every member of these submissions changed: push it (again)."""
    return SubmissionMember.objects.filter(submission__in=submissions).update(score_version=F("score_version") + 1)


def push_pending(usage_key: str | None = None, course_key: str | None = None, chunk_size: int = gradebook.CHUNK_SIZE):
    return gradebook.push_pending(SOURCE, usage_key, course_key, chunk_size)


def dispatch(usage_key: str) -> bool:
    return gradebook.dispatch(SOURCE, usage_key)
