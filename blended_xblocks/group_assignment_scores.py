"""Released group-assignment scores on their way to the gradebook.

Releasing only marks our rows (learners see their grade at once); each counted member whose
released score changed gets `score_version` bumped. `push_pending` then writes the scores
through the platform adapter (edx-submissions) and records completion, a chunk of members per
transaction: the edx-submissions rows and our `pushed_version` commit together, so a member's
score is pushed once per change even when two workers (or a worker and the cron command) run at
the same time. Small releases are pushed inside the request; large ones go to Celery when it is
installed (the LMS), else they are pushed inline too (the demo). See
docs/decisions/0003-score-release.md.
"""
from __future__ import annotations

import logging

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone as dj_timezone

from .models import SubmissionMember
from .platform import platform_for_keys

log = logging.getLogger(__name__)

BLOCK_TYPE = "blended_group_assignment"
INLINE_LIMIT = 25
CHUNK_SIZE = 100


def member_points(base: float, adjustment: float, maximum: float) -> float:
    return round(min(max(base + adjustment, 0), maximum), 2)


def pending_members(usage_key: str | None = None, course_key: str | None = None):
    """Members of released, graded submissions whose current score is not in the gradebook yet."""
    query = SubmissionMember.objects.filter(score_version__gt=F("pushed_version"),
                                            submission__released__isnull=False, submission__points__isnull=False)
    if usage_key:
        query = query.filter(usage_key=usage_key)
    if course_key:
        query = query.filter(submission__course_key=course_key)
    return query


def pending_count(usage_key: str) -> int:
    return pending_members(usage_key).count()


def mark_changed(submissions) -> int:
    """The released score of every member of these submissions changed: push it (again)."""
    return SubmissionMember.objects.filter(submission__in=submissions).update(score_version=F("score_version") + 1)


def push_pending(usage_key: str | None = None, course_key: str | None = None, chunk_size: int = CHUNK_SIZE) -> int:
    """Push every pending score (of one block, one course, or everywhere); returns how many.

    Idempotent: a member whose score is already in the gradebook is not pushed again. Rows another
    worker is pushing are skipped (it will finish them); walking by primary key ends the loop.
    """
    pushed, after = 0, 0
    while True:
        candidates = list(pending_members(usage_key, course_key).filter(pk__gt=after)
                          .order_by("pk").values_list("pk", flat=True)[:chunk_size])
        if not candidates:
            return pushed
        after = candidates[-1]
        pushed += _push_chunk(candidates)


def _push_chunk(candidate_ids) -> int:
    locking = SubmissionMember.objects.select_for_update(
        skip_locked=connection.features.has_select_for_update_skip_locked)
    with transaction.atomic():
        # Lock only member rows (graders keep working on submissions); re-check under the lock.
        ids = list(locking.filter(pk__in=candidate_ids, score_version__gt=F("pushed_version"))
                   .values_list("pk", flat=True))
        members = list(SubmissionMember.objects.filter(pk__in=ids).select_related("learner", "submission"))
        by_block = {}
        for member in members:
            by_block.setdefault((member.submission.course_key, member.usage_key), []).append(member)
        for (course_key, usage_key), block_members in by_block.items():
            scores = {}
            for member in block_members:
                maximum = member.submission.possible or 0
                scores[member.learner.anonymous_user_id] = (
                    member_points(member.submission.points, member.adjustment, maximum), maximum)
            adapter = platform_for_keys(course_key, usage_key, BLOCK_TYPE)
            adapter.set_scores(scores)
            adapter.complete_for([member.learner for member in block_members])
        now = dj_timezone.now()
        by_version = {}
        for member in members:
            by_version.setdefault(member.score_version, []).append(member.pk)
        for version, pks in by_version.items():
            SubmissionMember.objects.filter(pk__in=pks, score_version=version).update(
                pushed_version=version, score_pushed_at=now)
    return len(members)


def dispatch(usage_key: str) -> bool:
    """After a release or a regrade: push now if few scores are pending (or there is no Celery),
    otherwise queue the push for when the release has committed. True if queued."""
    count = pending_count(usage_key)
    if count and push_scores_task is not None and count > INLINE_LIMIT:
        transaction.on_commit(lambda: push_scores_task.delay(usage_key))
        return True
    if count:
        try:
            push_pending(usage_key)
        except Exception:  # noqa: BLE001 - the release stands; the scores stay pending for the command
            log.exception("Pushing group-assignment scores of %s failed; they stay pending", usage_key)
    return False


def _push_task(usage_key=None, course_key=None):
    """Celery entry point (by name, so workers need no platform code to route it)."""
    return push_pending(usage_key=usage_key, course_key=course_key)


try:  # The LMS and its workers have Celery; the demo does not.
    from celery import shared_task
except ImportError:  # pragma: no cover - depends on the host
    push_scores_task = None
else:  # pragma: no cover - exercised in the LMS
    push_scores_task = shared_task(name="blended_xblocks.push_group_assignment_scores", ignore_result=True)(_push_task)
