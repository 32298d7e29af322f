"""What a learner's page of group assignments reads: every assignment of the page at once, in three
queries however many the page shows (issue 13: a render pays for round trips and for compiling
each query, so the reads are few and flat).

1. the learner's current group in each assignment with its submission, and the submission that
   counts for them (the same one, or another group's they submitted with before moving);
2. the current groups' members and files, together;
3. the history lines the learners see.
"""
from __future__ import annotations

from django.db.models import (
    BigIntegerField,
    CharField,
    F,
    FilteredRelation,
    IntegerField,
    Q,
    Value,
)

from blended_xblocks.core.prepared import PreparedQuery
from blended_xblocks.group_assignment import drafts
from blended_xblocks.group_assignment.models import (
    GroupMembership,
    GroupSubmission,
    SubmissionEvent,
    SubmissionFile,
    SubmissionMember,
)
from blended_xblocks.platform.models import Learner

_MEMBER, _FILE = 0, 1
_COLUMNS = ("row_kind", "owner", "pk", "file_kind", "file_name", "file_size", "at")
_PERSON = ("full_name", "username", "anonymous_user_id")


def page_rows(usage_keys, learner) -> dict:
    """{"current": {usage key: the learner's group's submission, its `group` read with it},
    "counted": {usage key: the learner's `SubmissionMember`, its `submission` set},
    "rows": {group id: (submission, members' names, files, history events)}}."""
    found = _SUBMISSIONS(usage_keys=list(usage_keys), learner_id=learner.pk)
    current = {row.usage_key: row for row in found if row.membership_id}
    counted = {}
    for row in found:
        if row.member_id:
            counted[row.usage_key] = member = SubmissionMember(pk=row.member_id, usage_key=row.usage_key, learner=learner,
                                                               adjustment=row.my_adjustment, reason=row.my_reason or "")
            member.submission = row
    submissions = list(current.values())
    members, files = _members_and_files(submissions)
    events = _events(submissions)
    return {"current": current, "counted": counted,
            "rows": {row.group_id: (row, members.get(row.group_id, []), files.get(row.pk, []), events.get(row.pk, []))
                     for row in submissions}}


def _submissions(usage_keys, learner_id):
    """The page's submissions of the learner's current groups, and those that count for them."""
    return GroupSubmission.objects.filter(usage_key__in=usage_keys).annotate(
        mine=FilteredRelation("group__memberships", condition=Q(group__memberships__learner_id=learner_id)),
        me=FilteredRelation("members", condition=Q(members__learner_id=learner_id)),
    ).filter(Q(mine__id__isnull=False) | Q(me__id__isnull=False)).annotate(
        membership_id=F("mine__id"), member_id=F("me__id"), my_adjustment=F("me__adjustment"), my_reason=F("me__reason"),
    ).select_related("group", "updated_by", "submitted_by")


def _people_and_uploads(group_ids, submission_ids):
    """Members of the groups and files of the submissions, as rows of one shape (_COLUMNS, then a person)."""
    people = GroupMembership.objects.filter(group_id__in=group_ids).annotate(
        row_kind=Value(_MEMBER, output_field=IntegerField()), owner=F("group_id"),
        file_kind=Value("", output_field=CharField()), file_name=Value("", output_field=CharField()),
        file_size=Value(0, output_field=BigIntegerField()), at=F("joined"))
    uploads = SubmissionFile.objects.filter(submission_id__in=submission_ids).annotate(
        row_kind=Value(_FILE, output_field=IntegerField()), owner=F("submission_id"), file_kind=F("kind"),
        file_name=F("name"), file_size=F("size"), at=F("uploaded"))
    return people.values_list(*_COLUMNS, *(f"learner__{name}" for name in _PERSON)).union(
        uploads.values_list(*_COLUMNS, *(f"uploaded_by__{name}" for name in _PERSON)), all=True)


def _history(submission_id, hide_grading):
    """A submission's newest history lines; grading lines stay hidden until the grade is released."""
    events = SubmissionEvent.objects.filter(submission_id=submission_id)
    if hide_grading:
        events = events.exclude(action__in=drafts.GRADING_EVENTS)
    return events.select_related("actor").order_by("-at", "-id")[:drafts.HISTORY_LIMIT]


_SUBMISSIONS = PreparedQuery(_submissions)
_PEOPLE_AND_UPLOADS = PreparedQuery(_people_and_uploads)
_HISTORY = PreparedQuery(_history, shape=("hide_grading",))


def _members_and_files(submissions) -> tuple:
    """({group id: members' names}, {submission id: files}) of these submissions, in one read."""
    if not submissions:
        return {}, {}
    members, files = {}, {}
    rows = _PEOPLE_AND_UPLOADS(group_ids=[row.group_id for row in submissions], submission_ids=[row.pk for row in submissions])
    for kind, owner, pk, file_kind, name, size, at, full_name, username, anonymous_id in sorted(
            rows, key=lambda row: (row[0], row[2])):
        if kind == _MEMBER:
            members.setdefault(owner, []).append(full_name or username or anonymous_id)
            continue
        who = Learner(full_name=full_name, username=username, anonymous_user_id=anonymous_id) \
            if anonymous_id is not None else None
        files.setdefault(owner, []).append(SubmissionFile(pk=pk, submission_id=owner, kind=file_kind, name=name,
                                                          size=size, uploaded=at, uploaded_by=who))
    return members, files


def _events(submissions) -> dict:
    """{submission id: the events its learners see, newest first}: one submission (a page's usual
    case) reads its newest lines plainly; several read them together (`drafts.learner_events_in_bulk`)."""
    if len(submissions) != 1:
        return drafts.learner_events_in_bulk(submissions) if submissions else {}
    submission = submissions[0]
    return {submission.pk: _HISTORY(submission_id=submission.pk, hide_grading=submission.released is None)}

