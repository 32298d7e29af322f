"""The programme listens to our blocks: when a learner's outcome changes (`outcomes.outcome_changed`,
sent once the change is committed), those learners who now meet a programme of the course get its
certificate at once, rather than on their next visit or the next run of the periodic command.

Connected in apps.py (`ready`). A failure here is logged and never reaches the approval, attendance
or grading request that told: the periodic command and the learner's next visit catch up.
"""
from __future__ import annotations

import logging

from django.utils import timezone

from blended_xblocks.progress.awards import award_where_met

log = logging.getLogger(__name__)


def award_certificates(sender=None, course_key: str = "", learner_ids=(), **kwargs):  # pylint: disable=unused-argument
    """`outcome_changed`: issue the certificates these learners have just earned."""
    try:
        return award_where_met(course_key, learner_ids, timezone.now())
    except Exception:  # noqa: BLE001 - the change that told stands; the command catches up
        log.exception("blended_progress: could not award certificates after an outcome change in %s", course_key)
        return 0
