"""Word that a learner's outcome in one of our blocks changed: an approval, an attendance mark, a
released grade, a completed participation.

The blocks tell; whoever cares listens (the programme's certificates: progress/receivers.py). The
blocks never import the listeners, so the block modules stay free of the progress block, and a
listener that fails never undoes or breaks the change that was told.

`outcome_changed` is sent once the change is committed (a rolled-back change tells nothing), with
`course_key` (str), `learner_ids` (our `Learner` ids, a sorted list without repeats) and `kind`
(the requirement kind the change concerns: attendance, assignment, approval, participation).
"""
from __future__ import annotations

import logging

from django.db import transaction
from django.dispatch import Signal

log = logging.getLogger(__name__)

outcome_changed = Signal()


def announce(course_key: str, learner_ids, kind: str) -> None:
    """Send `outcome_changed` for these learners once the current transaction commits (at once
    outside one). Nothing is sent for nobody."""
    learner_ids = sorted({learner_id for learner_id in learner_ids if learner_id})
    if not course_key or not learner_ids:
        return
    transaction.on_commit(lambda: _send(course_key, learner_ids, kind))


def _send(course_key: str, learner_ids: list, kind: str) -> None:
    for receiver, answer in outcome_changed.send_robust(sender=kind, course_key=course_key,
                                                        learner_ids=learner_ids, kind=kind):
        if isinstance(answer, Exception):
            log.error("outcome_changed: %r failed for %s learners of %s", receiver, len(learner_ids), course_key,
                      exc_info=(type(answer), answer, answer.__traceback__))
