"""Bulk downloads for instructors: every submission as one zip, every member's grade as CSV.

Both are generators: the zip is written entry by entry into a small buffer that is handed to the
client as it fills (zipfile writes data descriptors on unseekable streams), and files are read
from storage in chunks, so hundreds of groups with large files never sit in memory at once.
"""
from __future__ import annotations

import csv
import io
import zipfile

from blended_xblocks.core.downloads import ZipSink, copy_stored_file, folder_name
from blended_xblocks.core.spreadsheet import safe_cell
from blended_xblocks.group_assignment.grading import group_label, member_points
from blended_xblocks.group_assignment.models import GroupMembership, GroupSubmission, SubmissionFile, SubmissionMember

BATCH = 200


def _batches(usage_key):
    """Submitted work in batches of BATCH groups: a few queries per batch, never all rows at once."""
    query = (GroupSubmission.objects.filter(usage_key=usage_key).exclude(status__in=["not_started", "draft"])
             .select_related("group").order_by("pk"))
    last = 0
    while True:
        batch = list(query.filter(pk__gt=last)[:BATCH])
        if not batch:
            return
        last = batch[-1].pk
        members = {}
        for member in SubmissionMember.objects.filter(submission__in=batch).select_related("learner"):
            members.setdefault(member.submission_id, []).append(member)
        files = {}
        for stored in SubmissionFile.objects.filter(submission__in=batch, kind="work").order_by("pk"):
            files.setdefault(stored.submission_id, []).append(stored)
        yield batch, members, files


def zip_stream(usage_key: str):
    sink = ZipSink()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        used = set()
        for batch, members, files in _batches(usage_key):
            for submission in batch:
                people = [m.learner for m in members.get(submission.pk, [])]
                folder = folder_name(group_label(submission.group, people), "group")
                if folder in used:
                    folder = f"{folder}-{submission.pk}"
                used.add(folder)
                names = ", ".join(person.display_name for person in people)
                header = f"{submission.group.name}\n{names}\n{submission.status}\n\n"
                archive.writestr(f"{folder}/submission.txt", header + submission.text)
                yield sink.drain()
                for stored in files.get(submission.pk, []):
                    yield from copy_stored_file(archive, f"{folder}/{stored.id}-{stored.name}", stored, sink)
    yield sink.drain()


CSV_HEADER = ["group", "user_id", "username", "name", "status", "late", "group_points", "adjustment",
              "reason", "points", "max_points", "released"]


def csv_stream(usage_key: str, maximum: float):
    """One row per counted member (submitted groups) and per member of groups still drafting."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_HEADER)
    yield buffer.getvalue().encode("utf-8-sig")
    query = GroupSubmission.objects.filter(usage_key=usage_key).select_related("group").order_by("pk")
    last = 0
    while True:
        batch = list(query.filter(pk__gt=last)[:BATCH])
        if not batch:
            return
        last = batch[-1].pk
        counted, current = {}, {}
        for member in SubmissionMember.objects.filter(submission__in=batch).select_related("learner"):
            counted.setdefault(member.submission_id, []).append(member)
        for membership in GroupMembership.objects.filter(group__submission__in=batch).select_related("learner"):
            current.setdefault(membership.group_id, []).append(membership.learner)
        buffer.seek(0)
        buffer.truncate()
        for submission in batch:
            label = group_label(submission.group, current.get(submission.group_id) or
                                [m.learner for m in counted.get(submission.pk, [])])
            rows = [(m.learner, m) for m in counted.get(submission.pk, [])] or \
                [(learner, None) for learner in current.get(submission.group_id, [])]
            for learner, member in rows:
                graded = member is not None and submission.points is not None
                writer.writerow([safe_cell(v) for v in (
                    label, learner.anonymous_user_id, learner.username, learner.display_name, submission.status,
                    "yes" if submission.late else "no", submission.points if graded else "",
                    member.adjustment if graded else "", member.reason if member else "",
                    member_points(submission.points, member.adjustment, maximum) if graded else "", maximum,
                    "yes" if submission.released else "no")])
        yield buffer.getvalue().encode("utf-8")
