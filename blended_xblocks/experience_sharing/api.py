"""What other blocks and reports may ask about experience sharing, without a runtime (and, given a
loaded block, what a host may do for a learner: `settle_participation`)."""
from __future__ import annotations

from blended_xblocks.core.downloads import CSV, Stream, producer
from blended_xblocks.core.outcome_rows import as_outcome_rows, outcome_rows
from blended_xblocks.core.prepared import PreparedQuery
from blended_xblocks.experience_sharing import participation
from blended_xblocks.experience_sharing.models import SharingParticipation
from blended_xblocks.experience_sharing.participation import csv_rows
from blended_xblocks.experience_sharing.posts import Board, forget_authors
from blended_xblocks.platform import retirement
from blended_xblocks.platform.published_settings import settings_in_bulk
from blended_xblocks.webinar.api import attendance_in_bulk, sessions_by_url_name

ATTENDED = ("present", "late")


def participation_in_bulk(course_key: str, usage_keys, learner_ids, now=None, settings=None) -> dict:
    """Whether each learner's contribution completed each listed block, in two queries whatever the
    cohort (one when the caller passes the blocks' published `settings`, {usage_key: values} as
    `settings_in_bulk` reads them; two more when a block requires attendance at a live session):
    {(usage_key, learner_id): {"completion": 0.0 or 1.0, "posts", "replies", "still_open"}}.

    Posts and replies can always come, so an incomplete participation stays open — unless the block
    requires attendance at a live session that is over without the learner (not attended, and no
    mark to wait for): then it can no longer complete.
    """
    usage_keys, learner_ids = list(usage_keys), list(learner_ids)
    if not usage_keys or not learner_ids:
        return {}
    settings = settings_in_bulk(course_key, usage_keys) if settings is None else settings
    rows = _PARTICIPATION(course_key=course_key, usage_keys=usage_keys, learner_ids=learner_ids)
    return participation_from_rows(as_outcome_rows(rows), course_key=course_key,
                                   usage_keys=usage_keys, learner_ids=learner_ids, settings=settings, now=now)


def participation_rows(course_key: str, usage_keys, learner_ids):
    """The rows `participation_from_rows` reads, in the common outcome layout (core/outcome_rows.py):
    one per participation of a listed learner, with their posts and replies in `amount_1..2` and when
    their participation completed the block in `moment`."""
    return outcome_rows(SharingParticipation.objects.filter(
        course_key=course_key, usage_key__in=usage_keys, learner_id__in=learner_ids),
        "participation", usage_key="usage_key", learner_id="learner_id", amount_1="posts", amount_2="replies",
        moment="completed")


def participation_from_rows(rows, *, course_key, usage_keys, learner_ids, settings, now=None) -> dict:
    """`participation_in_bulk`'s answer from the rows `participation_rows` read (`OutcomeRow`s) and
    the blocks' published `settings` (two more queries when a block requires a live session)."""
    missed = _missed_required_sessions(course_key, {key: settings.get(key) or {} for key in usage_keys}, learner_ids, now)
    outcomes = {(usage_key, learner_id): {"completion": 0.0, "posts": 0, "replies": 0,
                                          "still_open": (usage_key, learner_id) not in missed}
                for usage_key in usage_keys for learner_id in learner_ids}
    for row in rows:
        completed = row.moment is not None
        outcomes[(row.usage_key, row.learner_id)] = {
            "completion": 1.0 if completed else 0.0, "posts": int(row.amount_1), "replies": int(row.amount_2),
            "still_open": not completed and (row.usage_key, row.learner_id) not in missed}
    return outcomes


_PARTICIPATION = PreparedQuery(participation_rows)


def _missed_required_sessions(course_key: str, settings: dict, learner_ids, now) -> set:
    """{(usage_key, learner_id)} whose required live session is over without them (`settings`: the
    blocks' published values by usage key)."""
    required = {usage_key: values.get("required_session") for usage_key, values in settings.items()
                if values.get("required_session")}
    if not required or not learner_ids:
        return set()
    sessions = sessions_by_url_name(course_key, required.values())
    attendance = attendance_in_bulk(course_key, list(sessions.values()), learner_ids, now)
    missed = set()
    for usage_key, url_name in required.items():
        session_key = sessions.get(url_name)
        if session_key is None:  # no such session: attendance does not count (the block says so to staff)
            continue
        for learner_id in learner_ids:
            mark = attendance.get((session_key, learner_id))
            if mark and mark["status"] not in ATTENDED and not mark["still_open"]:
                missed.add((usage_key, learner_id))
    return missed


def settle_participation(block, learner) -> None:
    """Count the learner's posts and replies on `block` and record whether they complete it, as
    the board does when the learner next opens it (the demo's prepared stages use it)."""
    row = participation.refresh(block.board(), learner)
    met = participation.thresholds_met(row, block.min_posts, block.min_replies, block._attendance(learner)[1])
    participation.settle_completion(row, met)


# Registrations (the app's ready() imports this module in every process: LMS, Studio, workers, commands).
retirement.on_retirement(forget_authors)


@producer("sharing_csv")
def _sharing_csv(ticket: dict) -> Stream:
    return Stream(csv_rows(Board(course_key=ticket["course"], usage_key=ticket["usage"])), CSV)
