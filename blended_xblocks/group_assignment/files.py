"""Submitted files: Django storage per group, the submission's file list, and streamed downloads
(the checks every upload goes through are in `core/uploads.py`).

Files go through `default_storage` (the filesystem in the demo, S3 or similar in production)
under `group_assignment/<course>/<block>/<group>/`, so any app server can serve them.
"""
from __future__ import annotations

import re
import uuid

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from blended_xblocks.core.errors import N_, BadRequest, Conflict
from blended_xblocks.core.times import iso
from blended_xblocks.core.uploads import content_type, refuse_large_request, stream_chunks
from blended_xblocks.group_assignment.drafts import SUBMITTED_STATUSES, record
from blended_xblocks.group_assignment.models import GroupSubmission, SubmissionFile


def storage_folder(submission) -> str:
    slug = lambda text: re.sub(r"[^A-Za-z0-9_.-]+", "_", text)[:120]  # noqa: E731
    return f"group_assignment/{slug(submission.course_key)}/{slug(submission.usage_key)}/{submission.group_id}"


ID = re.compile(r"[0-9]{1,12}")


def parse_id(raw, field: str) -> int:
    """A database id from a query string or form field; only ASCII digits (str.isdigit() accepts "²")."""
    if not isinstance(raw, str) or not ID.fullmatch(raw):
        raise BadRequest("invalid_field", N_("“{field}” must be a whole number."), field=field)
    return int(raw)


def check_request_size(block, request):
    """For `request_handler(before_body=...)`: the block's upload limit, applied to Content-Length
    (after the platform has parsed the body: see `refuse_large_request`)."""
    refuse_large_request(request, block.upload_limit_mb)


def upload_json(stored, original: str) -> dict:
    """The stored file, and whether its name differs from the one the uploader chose."""
    return {**file_json(stored), "renamed": stored.name != original, "original_name": original}


def add_file(submission_id: int, learner, name: str, content: bytes, max_files: int, kind="work") -> SubmissionFile:
    """Store a file; the submission row is locked while files are counted (no over-the-limit race)."""
    with transaction.atomic():
        submission = GroupSubmission.objects.select_for_update().get(pk=submission_id)
        if kind == "work":
            if submission.status in SUBMITTED_STATUSES:
                raise Conflict("already_submitted", N_("Your group has already submitted this assignment."))
            if submission.files.filter(kind="work").count() >= max_files:
                raise BadRequest("too_many_files", N_("At most {count} files can be added."), count=max_files)
        path = default_storage.save(f"{storage_folder(submission)}/{uuid.uuid4().hex}-{name}", ContentFile(content))
        stored = SubmissionFile.objects.create(
            submission=submission, kind=kind, name=name, path=path, size=len(content),
            content_type=content_type(name), uploaded_by=learner)
        if submission.status == GroupSubmission.NOT_STARTED:
            submission.status = GroupSubmission.DRAFT
            submission.save(update_fields=["status"])
        record(submission, learner, "uploaded" if kind == "work" else "feedback_file", name)
    return stored


def delete_file(submission_id: int, learner, file_id: int):
    with transaction.atomic():
        submission = GroupSubmission.objects.select_for_update().get(pk=submission_id)
        if submission.status in SUBMITTED_STATUSES:
            raise Conflict("already_submitted", N_("Your group has already submitted this assignment."))
        stored = SubmissionFile.objects.filter(submission=submission, pk=file_id, kind="work").first()
        if stored is None:
            raise BadRequest("unknown_file", N_("This file does not exist."))
        stored.delete()
        record(submission, learner, "deleted", stored.name)
    transaction.on_commit(lambda: default_storage.delete(stored.path))


def file_json(stored) -> dict:
    return {"id": stored.id, "name": stored.name, "size": stored.size, "kind": stored.kind,
            "uploaded": iso(stored.uploaded),
            "uploaded_by": stored.uploaded_by.display_name if stored.uploaded_by else None}


def open_stored(usage_key: str, file_id: int):
    """(file row, its chunks from storage) for the download view; LookupError if it is gone."""
    stored = SubmissionFile.objects.filter(pk=file_id, submission__usage_key=usage_key).first()
    if stored is None:
        raise LookupError(file_id)
    return stored, stream_chunks(default_storage.open(stored.path, "rb"))
