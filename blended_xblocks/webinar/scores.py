"""Attendance that staff marked, on its way to the gradebook.

Marking (by hand or from a CSV) stores each changed learner's score on their registration and
bumps `score_version` (a learner's own check-in too: one store per block); `gradebook` pushes it
through edx-submissions and records completion (in
the request for a few learners, else through Celery or the `blended_push_scores` command), so a
session of hundreds never holds the instructor's request, and a failed push is retried rather
than lost.
"""
from __future__ import annotations

from blended_xblocks.platform import gradebook
from blended_xblocks.webinar.models import WebinarRegistration as Reg

BLOCK_TYPE = "blended_webinar"


def _registration_score(registration) -> gradebook.Score:
    """Whole points as marked; earned None ("unmarked" again) withdraws the score. Rows stored before
    scores were whole points (a float share of a weight) get the nearest whole point (logged)."""
    session = registration.session
    stored_possible = registration.score_possible or 0
    possible = gradebook.whole_weight(stored_possible, 0, where=f"{BLOCK_TYPE} {session.usage_key}")
    earned = registration.score_earned
    if earned is not None and possible:
        share = gradebook.fraction(earned) / gradebook.fraction(stored_possible)
        earned = gradebook.share_points(possible, share, where=f"{BLOCK_TYPE} {session.usage_key}")
    return gradebook.Score(session.course_key, session.usage_key, earned, possible,
                           1.0 if registration.attended else 0.0)


SOURCE = gradebook.ScoreSource(
    block_type=BLOCK_TYPE, model=Reg, usage_path="session__usage_key", course_path="session__course_key",
    related=("session",), score=_registration_score)


def pending_count(usage_key: str) -> int:
    return gradebook.pending(SOURCE, usage_key).count()


def dispatch(usage_key: str) -> bool:
    return gradebook.dispatch(SOURCE, usage_key)
