"""What other blocks and reports may ask about experience sharing, without a runtime (and, given a
loaded block, what a host may do for a learner: `settle_participation`)."""
from __future__ import annotations

from django.db.models import CharField, DateTimeField, IntegerField, Value

from blended_xblocks.core.downloads import CSV, Stream, producer
from blended_xblocks.experience_sharing import participation
from blended_xblocks.experience_sharing.models import SharingParticipation
from blended_xblocks.experience_sharing.participation import csv_rows
from blended_xblocks.experience_sharing.posts import Board, forget_authors
from blended_xblocks.platform import retirement
from blended_xblocks.platform.models import PublishedSettings
from blended_xblocks.webinar.api import attendance_in_bulk, sessions_by_url_name

ATTENDED = ("present", "late")


def participation_in_bulk(course_key: str, usage_keys, learner_ids, now=None) -> dict:
    """Whether each learner's contribution completed each listed block, in one query whatever the
    cohort (three when a block requires attendance at a live session):
    {(usage_key, learner_id): {"completion": 0.0 or 1.0, "posts", "replies", "still_open"}}.

    Posts and replies can always come, so an incomplete participation stays open — unless the block
    requires attendance at a live session that is over without the learner (not attended, and no
    mark to wait for): then it can no longer complete.
    """
    usage_keys, learner_ids = list(usage_keys), list(learner_ids)
    if not usage_keys or not learner_ids:
        return {}
    required, found = {}, {}
    for usage_key, learner_id, values, posts, replies, completed in _settings_and_rows(course_key, usage_keys,
                                                                                       learner_ids):
        if learner_id is None:
            if (values or {}).get("required_session"):
                required[usage_key] = values["required_session"]
        else:
            found[(usage_key, learner_id)] = (posts, replies, completed)
    missed = _missed_required_sessions(course_key, required, learner_ids, now)
    outcomes = {}
    for usage_key in usage_keys:
        for learner_id in learner_ids:
            posts, replies, completed = found.get((usage_key, learner_id), (0, 0, None))
            outcomes[(usage_key, learner_id)] = {
                "completion": 1.0 if completed else 0.0, "posts": posts, "replies": replies,
                "still_open": not completed and (usage_key, learner_id) not in missed}
    return outcomes


def _settings_and_rows(course_key: str, usage_keys: list, learner_ids: list):
    """The blocks' published settings (rows without a learner) and the learners' participation in
    them, in one query (UNION ALL): (usage_key, learner_id, settings, posts, replies, completed)."""
    settings = (PublishedSettings.objects.filter(course_key=course_key, usage_key__in=usage_keys)
                .annotate(nobody=Value(None, output_field=IntegerField()), no_posts=Value(0, output_field=IntegerField()),
                          no_replies=Value(0, output_field=IntegerField()),
                          not_completed=Value(None, output_field=DateTimeField()))
                .values_list("usage_key", "nobody", "values", "no_posts", "no_replies", "not_completed"))
    rows = (SharingParticipation.objects.filter(course_key=course_key, usage_key__in=usage_keys,
                                                learner_id__in=learner_ids)
            .annotate(no_settings=Value(None, output_field=CharField()))
            .values_list("usage_key", "learner_id", "no_settings", "posts", "replies", "completed"))
    return settings.union(rows, all=True)


def _missed_required_sessions(course_key: str, required: dict, learner_ids, now) -> set:
    """{(usage_key, learner_id)} whose required live session ({usage_key: session url_name}) is over
    without them."""
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
