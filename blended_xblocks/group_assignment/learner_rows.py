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

from blended_xblocks.group_assignment import drafts
from blended_xblocks.group_assignment.models import GroupMembership, GroupSubmission, SubmissionFile, SubmissionMember
from blended_xblocks.platform.models import Learner

_MEMBER, _FILE = 0, 1
_COLUMNS = ("row_kind", "owner", "pk", "file_kind", "file_name", "file_size", "at")
_PERSON = ("full_name", "username", "anonymous_user_id")


def page_rows(usage_keys, learner) -> dict:
    """{"current": {usage key: the learner's group's submission, its `group` read with it},
    "counted": {usage key: the learner's `SubmissionMember`, its `submission` set},
    "rows": {group id: (submission, members' names, files, history events)}}."""
    found = list(GroupSubmission.objects.filter(usage_key__in=usage_keys).annotate(
        mine=FilteredRelation("group__memberships", condition=Q(group__memberships__learner=learner)),
        me=FilteredRelation("members", condition=Q(members__learner=learner)),
    ).filter(Q(mine__id__isnull=False) | Q(me__id__isnull=False)).annotate(
        membership_id=F("mine__id"), member_id=F("me__id"), my_adjustment=F("me__adjustment"), my_reason=F("me__reason"),
    ).select_related("group", "updated_by", "submitted_by"))
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


def _members_and_files(submissions) -> tuple:
    """({group id: members' names}, {submission id: files}) of these submissions, in one read."""
    if not submissions:
        return {}, {}
    people = GroupMembership.objects.filter(group_id__in=[row.group_id for row in submissions]).annotate(
        row_kind=Value(_MEMBER, output_field=IntegerField()), owner=F("group_id"),
        file_kind=Value("", output_field=CharField()), file_name=Value("", output_field=CharField()),
        file_size=Value(0, output_field=BigIntegerField()), at=F("joined"))
    uploads = SubmissionFile.objects.filter(submission_id__in=[row.pk for row in submissions]).annotate(
        row_kind=Value(_FILE, output_field=IntegerField()), owner=F("submission_id"), file_kind=F("kind"),
        file_name=F("name"), file_size=F("size"), at=F("uploaded"))
    members, files = {}, {}
    rows = people.values_list(*_COLUMNS, *(f"learner__{name}" for name in _PERSON)).union(
        uploads.values_list(*_COLUMNS, *(f"uploaded_by__{name}" for name in _PERSON)), all=True)
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
    events = submission.events.all()
    if submission.released is None:
        events = events.exclude(action__in=drafts.GRADING_EVENTS)
    return {submission.pk: list(events.select_related("actor").order_by("-at", "-id")[:drafts.HISTORY_LIMIT])}

