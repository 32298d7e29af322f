"""What other blocks and reports may ask about assignments, without a runtime (and, given a loaded
block, what a host may do as a learner and a grader would: `hand_in`, `grade_and_release`)."""
from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from blended_xblocks.core.downloads import CSV, ZIP, Stream, producer
from blended_xblocks.core.outcome_rows import as_outcome_rows, outcome_rows
from blended_xblocks.core.prepared import PreparedQuery
from blended_xblocks.group_assignment import drafts, exports, files, grading, groups, scores
from blended_xblocks.group_assignment.models import GroupSubmission, SubmissionMember
from blended_xblocks.platform import gradebook, retirement
from blended_xblocks.platform.published_settings import settings_in_bulk


def results_in_bulk(course_key: str, usage_keys, learner_ids, now=None, settings=None) -> dict:
    """Each learner's result in each listed assignment, in two queries whatever the cohort (one when
    the caller passes the assignments' published `settings`, {usage_key: values} as
    `settings_in_bulk` reads them): {(usage_key, learner_id): {"status", "share", "still_open"}}.

    `status` is "released" once learners see the grade, else the submission's own status;
    `share` is the member's points (group points and their adjustment, within 0..max) over the
    maximum, and only once released; a learner with no submission is "not_started". Until
    released, the result can still change — except for a learner who has not submitted when the
    deadline has passed and the assignment accepts no late work (its published settings say so).
    """
    usage_keys, learner_ids = list(usage_keys), list(learner_ids)
    if not usage_keys or not learner_ids:
        return {}
    settings = settings_in_bulk(course_key, usage_keys) if settings is None else settings
    rows = _RESULTS(course_key=course_key, usage_keys=usage_keys, learner_ids=learner_ids)
    return results_from_rows(as_outcome_rows(rows), course_key=course_key, usage_keys=usage_keys,
                             learner_ids=learner_ids, settings=settings, now=now)


def results_rows(course_key: str, usage_keys, learner_ids):
    """The rows `results_from_rows` reads, in the common outcome layout (core/outcome_rows.py): one
    per member of a listed learner, with the submission's `status`, the member's adjustment, the
    group's points and the points possible in `amount_1..3`, and when the grade was released in
    `moment`."""
    return outcome_rows(SubmissionMember.objects.filter(
        usage_key__in=usage_keys, learner_id__in=learner_ids, submission__course_key=course_key),
        "assignment", usage_key="usage_key", learner_id="learner_id", status="submission__status",
        amount_1="adjustment", amount_2="submission__points", amount_3="submission__possible",
        moment="submission__released")


def results_from_rows(rows, *, course_key, usage_keys, learner_ids, settings, now=None) -> dict:
    """`results_in_bulk`'s answer from the rows `results_rows` read (`OutcomeRow`s) and the
    assignments' published `settings`."""
    now = now or timezone.now()
    closed = {usage_key for usage_key in usage_keys if _deadline_passed(settings.get(usage_key) or {}, now)}
    outcomes = {(usage_key, learner_id): {"status": "not_started", "share": None, "still_open": usage_key not in closed}
                for usage_key in usage_keys for learner_id in learner_ids}
    for row in rows:
        released = row.moment is not None
        adjustment, points, possible = row.amount_1 or 0, row.amount_2, row.amount_3
        share = None
        if released and points is not None and possible:
            share = min(max(points + adjustment, 0), possible) / possible
        outcomes[(row.usage_key, row.learner_id)] = {"status": "released" if released else row.status, "share": share,
                                                     "still_open": not released}
    return outcomes


_RESULTS = PreparedQuery(results_rows)


def _deadline_passed(values: dict, now) -> bool:
    """No submission can come any more: past the due time, and late work is refused."""
    if values.get("late_submissions") or not values.get("due"):
        return False
    try:
        due = datetime.fromisoformat(str(values["due"]).replace("Z", "+00:00"))
    except ValueError:
        return False
    return due.tzinfo is not None and now > due


def hand_in(block, learner, text: str) -> GroupSubmission | None:
    """The learner's submission on `block`, drafted with `text` and submitted as the learner does
    unless it was started already (in group mode the learner's OLX-seeded group is placed first).
    None when the learner has no group."""
    course_key, usage_key = block.course_key_string, block.usage_key_string
    if block.mode == "individual":
        group = groups.individual_group(course_key, usage_key, learner)
    else:
        mine = [entry for entry in block.groups if learner.username in entry["members"]]  # the rest on first visit
        groups.seed_and_place(course_key, usage_key, mine)
        membership = groups.membership_of(usage_key, learner)
        if membership is None:
            return None
        group = membership.group
    submission = GroupSubmission.objects.get(group=group)
    if submission.status == GroupSubmission.NOT_STARTED:
        drafts.save_draft(submission.pk, learner, text, submission.version)
        submission = drafts.submit(submission.pk, learner, submission.version + 1, block.due_at,
                                   block.late_submissions)
    return submission


def grade_and_release(block, submission: GroupSubmission, levels: dict, grader: str) -> None:
    """Grade `submission` with the rubric `levels` ({criterion name: points}) and release the grade,
    as staff do; nothing when it was graded already."""
    if submission.status == GroupSubmission.GRADED:
        return
    usage = block.usage_key_string
    grading.grade(usage, submission.pk, block.rubric, levels, "", {}, submission.grade_version, grader,
                  gradebook_possible=block.points_possible())
    grading.release(usage, [submission.pk], block.points_possible())


# Registrations (the app's ready() imports this module in every process: LMS, Studio, workers, commands).
gradebook.register(scores.SOURCE)
retirement.on_retirement(grading.forget_adjustment_reasons)


@producer("submissions_zip")
def _submissions_zip(ticket: dict) -> Stream:
    return Stream(exports.zip_stream(ticket["usage"]), ZIP)


@producer("grades_csv")
def _grades_csv(ticket: dict) -> Stream:
    return Stream(exports.csv_stream(ticket["usage"], ticket["max_points"]), CSV)


@producer("submission_file")
def _submission_file(ticket: dict) -> Stream:
    stored, chunks = files.open_stored(ticket["usage"], ticket["file"])
    return Stream(chunks, stored.content_type, stored.size)
