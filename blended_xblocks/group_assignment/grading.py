"""Grading with the rubric, per-member adjustment, release, and the staff list.

The group's points are the sum of the chosen levels; each member gets those points plus their
adjustment (clamped to 0..max). Grades stay hidden from learners until released. Two graders
saving at once: each save names the `grade_version` it started from; the second is refused.
"""
from __future__ import annotations

from django.db import transaction
from django.db.models import CharField, F, FloatField, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone as dj_timezone

from blended_xblocks.core.errors import N_, BadRequest, Conflict, NotFound
from blended_xblocks.core.outcomes import announce
from blended_xblocks.core.schema import Field, Number  # noqa: F401  (Number: used by the block)
from blended_xblocks.core.times import iso
from blended_xblocks.group_assignment.drafts import record
from blended_xblocks.group_assignment.listing import count_of, page_with_total, with_totals
from blended_xblocks.group_assignment.models import GroupMembership, GroupSubmission, SubmissionFile, SubmissionMember
from blended_xblocks.group_assignment.olx import max_points
from blended_xblocks.group_assignment.scores import mark_changed, member_points
from blended_xblocks.platform.models import Learner


class LevelMap(Field):
    """{criterion name: points of the chosen level}."""

    def clean(self, name, value):
        if not isinstance(value, dict) or len(value) > 20:
            raise self.invalid(name, N_("“{field}” must be an object."))
        number = Number(0, 1000)
        return {str(key)[:40]: _plain(number.clean(f"{name}.{str(key)[:40]}", points)) for key, points in value.items()}


def _plain(value):
    return int(value) if float(value).is_integer() else value


GRADABLE = (GroupSubmission.SUBMITTED, GroupSubmission.LATE, GroupSubmission.GRADED)


def check_levels(rubric: list, levels: dict) -> float:
    """The group's points for {criterion: points}; every criterion needs one of its levels."""
    unknown = sorted(set(levels) - {criterion["name"] for criterion in rubric})
    if unknown:
        raise BadRequest("unknown_criterion", N_("Unknown rubric criterion “{name}”."), name=unknown[0][:50])
    total = 0
    for criterion in rubric:
        chosen = levels.get(criterion["name"])
        if chosen not in [level["points"] for level in criterion["levels"]]:
            raise BadRequest("invalid_level", N_("Choose a level for “{name}”."), name=criterion["label"])
        total += chosen
    return round(total, 2)


def grade(usage_key, submission_id, rubric, levels, feedback, adjustments, grade_version, grader,
          gradebook_possible: int | None = None):
    """Save a grade; adjustments = {user_id: {"points": delta, "reason": text}}, whole points.

    `gradebook_possible` (the block's `points_possible()`: the rubric's whole points, or 0 when not
    graded) is stored as the submission's `possible` for the push, which has no block."""
    base = check_levels(rubric, levels)
    maximum = max_points(rubric)
    with transaction.atomic():
        submission = (GroupSubmission.objects.select_for_update()
                      .filter(usage_key=usage_key, pk=submission_id).first())
        if submission is None:
            raise NotFound("unknown_submission", N_("This submission does not exist."))
        if submission.status not in GRADABLE:
            raise Conflict("not_submitted", N_("This group has not submitted yet."))
        if grade_version != submission.grade_version:
            error = Conflict("grading_conflict", N_("Someone else graded this submission while you were working. "
                                                    "Reload it to see their grade."))
            error.extra = {"grade_version": submission.grade_version, "graded_by": submission.graded_by}
            raise error
        members = {m.learner.anonymous_user_id: m for m in
                   SubmissionMember.objects.filter(submission=submission).select_related("learner")}
        for user_id, change in adjustments.items():
            if user_id not in members:
                raise BadRequest("unknown_user", N_("This learner is not a member of the group."))
            if abs(change["points"]) > maximum:
                raise BadRequest("out_of_range", N_("“{field}” must be between {min} and {max}."),
                                 field="adjustments.points", min=-maximum, max=maximum)
            if change["points"] and not change["reason"]:
                raise BadRequest("reason_required", N_("Give a reason for each adjustment."))
        before = {user_id: _score(submission, member) for user_id, member in members.items()}
        changed = []
        for user_id, member in members.items():
            change = adjustments.get(user_id, {"points": 0, "reason": ""})
            if (member.adjustment, member.reason) != (change["points"], change["reason"]):
                member.adjustment, member.reason = change["points"], change["reason"]
                changed.append(member)
        SubmissionMember.objects.bulk_update(changed, ["adjustment", "reason"])
        submission.levels, submission.feedback, submission.points = levels, feedback, base
        submission.status, submission.graded, submission.graded_by = GroupSubmission.GRADED, dj_timezone.now(), grader
        submission.grade_version += 1
        submission.possible = maximum if gradebook_possible is None else gradebook_possible
        submission.save(update_fields=["levels", "feedback", "points", "status", "graded", "graded_by",
                                       "grade_version", "possible"])
        record(submission, None, "graded", grader)
        if submission.released:  # learners already see it: the gradebook must follow, once per changed score
            rescored = [member.pk for user_id, member in members.items() if _score(submission, member) != before[user_id]]
            SubmissionMember.objects.filter(pk__in=rescored).update(score_version=F("score_version") + 1)
            announce(submission.course_key, [member.learner_id for member in members.values() if member.pk in rescored],
                     "assignment")
    return submission, list(members.values())


def _score(submission, member) -> tuple:
    """(earned, possible) as the gradebook receives it (see group_assignment_scores)."""
    if submission.points is None:
        return None
    possible = submission.possible or 0
    return member_points(submission.points, member.adjustment, possible), possible


def release(usage_key: str, submission_ids: list | None, maximum: int):
    """Mark graded submissions released (all, or the given ones); returns what was released.

    `maximum` is the gradebook's possible (the block's `points_possible()`), stored on each newly
    released submission for the push.

    Learners see their grade from now on; the members of newly released submissions are marked
    pending for the gradebook (group_assignment_scores pushes them). A constant number of queries
    whatever the number of groups."""
    with transaction.atomic():
        query = GroupSubmission.objects.select_for_update().filter(usage_key=usage_key, status=GroupSubmission.GRADED)
        if submission_ids is not None:
            query = query.filter(pk__in=submission_ids)
        submissions = list(query)
        if submission_ids is not None and len(submissions) != len(set(submission_ids)):
            raise Conflict("not_graded", N_("Only graded submissions can be released."))
        now = dj_timezone.now()
        GroupSubmission.objects.filter(pk__in=[s.pk for s in submissions]).update(released=now)
        newly = [s.pk for s in submissions if s.released is None]
        if newly:
            GroupSubmission.objects.filter(pk__in=newly).update(possible=maximum)
            mark_changed(newly)
            by_course = {}
            for course_key, learner_id in (SubmissionMember.objects.filter(submission_id__in=newly)
                                           .values_list("submission__course_key", "learner_id")):
                by_course.setdefault(course_key, []).append(learner_id)
            for course_key, learner_ids in by_course.items():
                announce(course_key, learner_ids, "assignment")
    return submissions


def list_rows(usage_key: str, status: str | None, page: int, page_size: int, maximum: float,
              pending=None) -> dict:
    """One page of groups for staff in three queries whatever the cohort size: the page (with the
    total, each row's file count and the `pending` queryset's count riding along), the groups'
    members, the submissions' counted members."""
    query = GroupSubmission.objects.filter(usage_key=usage_key)
    if status:
        query = query.filter(status=status)
    page_rows, shown, waiting = page_with_total(with_totals(query.select_related("group"), pending).annotate(
        work_files=count_of(SubmissionFile.objects.filter(submission=OuterRef("pk"), kind="work")))
        .order_by("group__name", "pk"), query, page, page_size, pending)
    return _rows_json(page_rows, shown, waiting, maximum)


def list_individual_rows(course_key: str, usage_key: str, status: str | None, page: int, page_size: int,
                         maximum: float, pending=None) -> dict:
    """Individual mode: every learner the course knows, with or without a submission (those who
    never opened the assignment are "not started"), by name. One subquery finds each learner's own
    submission, so a page costs the same for 8 or 20,000 learners (three queries: the learners with
    the total, their submissions with file counts, the counted members)."""
    own = GroupSubmission.objects.filter(usage_key=usage_key, group__source="individual",
                                         group__memberships__learner=OuterRef("pk"))
    learners = (Learner.objects.filter(course_key=course_key)
                .annotate(submission_pk=Subquery(own.values("pk")[:1]),
                          submission_status=Coalesce(Subquery(own.values("status")[:1]),
                                                     Value(GroupSubmission.NOT_STARTED), output_field=CharField())))
    if status == GroupSubmission.NOT_STARTED:
        learners = learners.filter(Q(submission_pk__isnull=True) | Q(submission_status=status))
    elif status:
        learners = learners.filter(submission_status=status)
    page_learners, shown, waiting = page_with_total(with_totals(learners, pending).order_by("full_name", "username", "pk"),
                                                   learners, page, page_size, pending)
    found = {row.pk: row for row in GroupSubmission.objects.select_related("group").filter(
        pk__in=[learner.submission_pk for learner in page_learners if learner.submission_pk]).annotate(
        work_files=count_of(SubmissionFile.objects.filter(submission=OuterRef("pk"), kind="work")))}
    owners = {learner.submission_pk: learner for learner in page_learners if learner.submission_pk}
    page_rows = [found.get(learner.submission_pk) or learner for learner in page_learners]
    known = {row.group_id: [owners[pk]] for pk, row in found.items()}  # an individual group's one member
    return _rows_json(page_rows, shown, waiting, maximum, known)


def _not_started_row(learner, maximum) -> dict:
    """A learner who never opened an individual assignment: no submission yet."""
    return {"submission_id": None, "group_id": None, "group": learner.display_name, "individual": True,
            "status": GroupSubmission.NOT_STARTED, "late": False, "submitted": None, "points": None,
            "released": False, "files": 0, "members": [member_json(learner, None, None, maximum)]}


def _rows_json(page_rows, shown, pending, maximum, known_members=None) -> dict:
    """Rows are submissions, or (individual mode) learners without one. `known_members`: the
    members of groups the caller already has ({group id: [learner]}), not read again."""
    submissions = [row for row in page_rows if not isinstance(row, Learner)]
    ids = [row.pk for row in submissions]
    members, counted = dict(known_members or {}), {}
    unknown = [row.group_id for row in submissions if row.group_id not in members]
    for kind, owner, _pk, anonymous_id, full_name, username, adjustment, reason in _people(unknown, ids):
        learner = Learner(anonymous_user_id=anonymous_id, full_name=full_name, username=username)
        if kind == _COUNTED:
            counted.setdefault(owner, []).append(SubmissionMember(learner=learner, adjustment=adjustment, reason=reason))
        else:
            members.setdefault(owner, []).append(learner)
    done = {}
    for row in submissions:
        people = counted.get(row.pk)
        done[row.pk] = {
            "submission_id": row.pk, "group_id": row.group_id, "group": group_label(row.group, members.get(row.group_id)),
            "individual": row.group.source == "individual", "status": row.status, "late": row.late,
            "submitted": iso(row.submitted), "points": row.points, "released": row.released is not None,
            "files": row.work_files or 0,
            "members": [member_json(m.learner, row, m, maximum) for m in people] if people is not None
            else [member_json(learner, row, None, maximum) for learner in members.get(row.group_id, [])],
        }
    rows = [_not_started_row(row, maximum) if isinstance(row, Learner) else done[row.pk] for row in page_rows]
    return shown.json("rows", rows, max_points=maximum, **({"scores_pending": pending} if pending is not None else {}))


_CURRENT, _COUNTED = 0, 1
_PERSON = ("kind", "owner", "pk", "learner__anonymous_user_id", "learner__full_name", "learner__username",
           "points_adjustment", "adjustment_reason")


def _people(group_ids: list, submission_ids: list) -> list:
    """The current members of these groups and the counted members of these submissions, in one
    read: sorted (kind, owner: the group or submission id, pk, anonymous id, full name, username,
    adjustment, reason), the kind `_CURRENT` or `_COUNTED`."""
    current = GroupMembership.objects.filter(group_id__in=group_ids).annotate(
        kind=Value(_CURRENT, output_field=IntegerField()), owner=F("group_id"),
        points_adjustment=Value(0.0, output_field=FloatField()), adjustment_reason=Value("", output_field=CharField()))
    counted = SubmissionMember.objects.filter(submission_id__in=submission_ids).annotate(
        kind=Value(_COUNTED, output_field=IntegerField()), owner=F("submission_id"),
        points_adjustment=F("adjustment"), adjustment_reason=F("reason"))
    if not group_ids:
        return sorted(counted.values_list(*_PERSON)) if submission_ids else []
    if not submission_ids:
        return sorted(current.values_list(*_PERSON))
    return sorted(current.values_list(*_PERSON).union(counted.values_list(*_PERSON), all=True))


def submission_detail(submission, maximum) -> dict:
    """One submission for staff: status, grade and every counted (or current) member."""
    counted = list(SubmissionMember.objects.filter(submission=submission).select_related("learner").order_by("pk"))
    current = [m.learner for m in GroupMembership.objects.filter(group_id=submission.group_id)
               .select_related("learner").order_by("pk")]
    return {"submission_id": submission.pk, "group_id": submission.group_id,
            "group": group_label(submission.group, current or [m.learner for m in counted]),
            "individual": submission.group.source == "individual", "status": submission.status,
            "late": submission.late, "submitted": iso(submission.submitted),
            "submitted_by": submission.submitted_by.display_name if submission.submitted_by else None,
            "levels": submission.levels, "feedback": submission.feedback, "points": submission.points,
            "grade_version": submission.grade_version, "graded_by": submission.graded_by,
            "released": submission.released is not None, "max_points": maximum,
            "members": [member_json(m.learner, submission, m, maximum) for m in counted] if counted
            else [member_json(learner, submission, None, maximum) for learner in current]}


def group_label(group, learners) -> str:
    if group.source == "individual":
        return learners[0].display_name if learners else group.name
    return group.name


def member_json(learner, submission, member, maximum) -> dict:
    data = {"user_id": learner.anonymous_user_id, "name": learner.display_name, "username": learner.username}
    if member is not None:
        data.update(adjustment=member.adjustment, reason=member.reason,
                    points=member_points(submission.points, member.adjustment, maximum)
                    if submission.points is not None else None)
    return data


_UNREAD = object()


def learner_result(usage_key, learner, rubric, maximum, member=_UNREAD) -> dict | None:
    """What a learner sees once their grade is released (None before): the submission that
    counted for them, even if they have changed group since (`member`, their `SubmissionMember`
    with its submission, when the caller read it with others: `learner_rows.page_rows`)."""
    if member is _UNREAD:
        member = (SubmissionMember.objects.filter(usage_key=usage_key, learner=learner)
                  .select_related("submission").first())
    submission = member.submission if member else None
    if submission is None or not submission.released or submission.points is None:
        return None
    chosen = submission.levels
    return {"points": member_points(submission.points, member.adjustment, maximum), "max_points": maximum,
            "group_points": submission.points, "adjustment": member.adjustment, "reason": member.reason,
            "feedback": submission.feedback, "submission_id": submission.pk,
            "levels": [{"criterion": c["label"], "criterion_id": c["name"], "points": chosen.get(c["name"]),
                        "label": next((lv["label"] for lv in c["levels"] if lv["points"] == chosen.get(c["name"])), ""),
                        "max": max(lv["points"] for lv in c["levels"])} for c in rubric]}


def forget_adjustment_reasons(learners):
    """A retired learner's points stay (they are the group's record); what staff wrote about them goes.
    The group's shared text and files belong to the whole group and are kept."""
    SubmissionMember.objects.filter(learner__in=learners).exclude(reason="").update(reason="")
