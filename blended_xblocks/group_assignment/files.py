"""Uploaded files: limits, safe names, a content sniff, Django storage, and streamed downloads.

Files go through `default_storage` (the filesystem in the demo, S3 or similar in production)
under `group_assignment/<course>/<block>/<group>/`, so any app server can serve them.
"""
from __future__ import annotations

import re
import unicodedata
import uuid

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from blended_xblocks.core.errors import N_, BadRequest, Conflict
from blended_xblocks.core.times import iso
from blended_xblocks.group_assignment.drafts import SUBMITTED_STATUSES, record
from blended_xblocks.group_assignment.models import GroupSubmission, SubmissionFile

CHUNK = 64 * 1024
OFFICE = (b"PK\x03\x04",)
MAGIC = {
    ".pdf": (b"%PDF-",), ".docx": OFFICE, ".xlsx": OFFICE, ".pptx": OFFICE, ".odt": OFFICE, ".ods": OFFICE,
    ".odp": OFFICE, ".zip": OFFICE, ".jpg": (b"\xff\xd8\xff",), ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG\r\n\x1a\n",), ".gif": (b"GIF87a", b"GIF89a"),
    ".doc": (b"\xd0\xcf\x11\xe0",), ".xls": (b"\xd0\xcf\x11\xe0",), ".ppt": (b"\xd0\xcf\x11\xe0",),
}
TEXT_TYPES = {".txt", ".csv", ".md"}
CONTENT_TYPES = {".pdf": "application/pdf", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
                 ".gif": "image/gif", ".txt": "text/plain", ".csv": "text/csv"}


def allowed_types(file_types: str) -> list:
    return sorted({("." + part.lstrip(".")).lower() for part in re.split(r"[\s,]+", file_types or "") if part.strip(".")})


def chosen_name(raw: str) -> str:
    """The name as the learner sees it on their computer (composed accents, no outer spaces)."""
    return unicodedata.normalize("NFC", raw or "").strip()


def safe_name(raw: str) -> str:
    """A display/storage-safe file name; names that try to leave the folder are refused. Letters,
    digits, spaces and - _ ( ) are kept, anything else (emoji, < = ; …) becomes `_`, the extension
    is lower-cased: the upload's answer says when the name changed (`renamed`)."""
    raw = chosen_name(raw)
    if not raw or "/" in raw or "\\" in raw or ".." in raw or raw.startswith(".") or any(ord(c) < 32 for c in raw):
        raise BadRequest("invalid_file_name", N_("This file name is not allowed. Rename the file and try again."))
    stem, dot, ext = raw.rpartition(".")
    stem = re.sub(r"[^\w\-() ]+", "_", stem if dot else raw).strip(" _")[:100] or "file"
    return f"{stem}.{ext.lower()}" if dot else stem


def _read_limited(stream, limit: int) -> bytes:
    data, size = [], 0
    while True:
        chunk = stream.read(CHUNK)
        if not chunk:
            break
        size += len(chunk)
        if size > limit:
            raise BadRequest("file_too_large", N_("Files may be at most {mb} MB."), mb=limit // (1024 * 1024))
        data.append(chunk)
    return b"".join(data)


def check_content(name: str, content: bytes, types: list):
    ext = "." + name.rpartition(".")[2] if "." in name else ""
    if ext not in types:
        raise BadRequest("file_type_not_allowed", N_("Allowed file types: {types}."), types=" ".join(types))
    if not content:
        raise BadRequest("empty_file", N_("This file is empty."))
    if ext in MAGIC and not content.startswith(MAGIC[ext]):
        raise BadRequest("file_content_mismatch", N_("This file's content does not match its type {ext}."), ext=ext)
    if ext in TEXT_TYPES:
        try:
            content.decode("utf-8")
        except UnicodeDecodeError as error:
            raise BadRequest("file_content_mismatch", N_("This file's content does not match its type {ext}."),
                             ext=ext) from error


def storage_folder(submission) -> str:
    slug = lambda text: re.sub(r"[^A-Za-z0-9_.-]+", "_", text)[:120]  # noqa: E731
    return f"group_assignment/{slug(submission.course_key)}/{slug(submission.usage_key)}/{submission.group_id}"


FORM_SLACK = 64 * 1024  # multipart boundaries and the other form fields
ID = re.compile(r"[0-9]{1,12}")


def parse_id(raw, field: str) -> int:
    """A database id from a query string or form field; only ASCII digits (str.isdigit() accepts "²")."""
    if not isinstance(raw, str) or not ID.fullmatch(raw):
        raise BadRequest("invalid_field", N_("“{field}” must be a whole number."), field=field)
    return int(raw)


def server_max_mb():
    """Whole MB under the LMS's own cap: it refuses handler uploads above
    settings.STUDENT_FILEUPLOAD_MAX_SIZE (bytes; 4,000,000 by default) with a 413 before the block
    runs. None where the setting is absent (the workbench)."""
    size = getattr(settings, "STUDENT_FILEUPLOAD_MAX_SIZE", None)
    if isinstance(size, int) and not isinstance(size, bool) and size > 0:
        return max(1, size // (1024 * 1024))
    return None


def effective_max_mb(block_max_mb: int, operator_settings: dict) -> int:
    """The block's limit, capped by the operator's XBLOCK_SETTINGS["BlendedXBlocks"]["MAX_UPLOAD_MB"]
    and by the LMS's STUDENT_FILEUPLOAD_MAX_SIZE."""
    limits = [block_max_mb, server_max_mb()]
    cap = operator_settings.get("MAX_UPLOAD_MB")
    if isinstance(cap, int) and not isinstance(cap, bool) and cap > 0:
        limits.append(cap)
    return min(limit for limit in limits if limit is not None)


def refuse_large_request(request, max_mb: int):
    """Refuse a request whose announced Content-Length is over the block's limit.

    This saves no memory or disk in the LMS: Django has parsed the whole multipart body (and the
    LMS's `_check_files_limits` has answered 413 above `STUDENT_FILEUPLOAD_MAX_SIZE`) before the
    block runs. It only gives the block's own, smaller limit its clear `file_too_large` answer."""
    length = request.content_length
    if length is not None and length > max_mb * 1024 * 1024 + FORM_SLACK:
        raise BadRequest("file_too_large", N_("Files may be at most {mb} MB."), mb=max_mb)


def check_request_size(block, request):
    """For `request_handler(before_body=...)`: the block's upload limit, applied to Content-Length
    (after the platform has parsed the body: see `refuse_large_request`)."""
    refuse_large_request(request, block.upload_limit_mb)


def read_upload(request, max_mb: int, types: list):
    """(safe name, bytes, the name as sent) of the `file` field of a multipart POST, checked."""
    refuse_large_request(request, max_mb)
    upload = request.POST.get("file")
    if upload is None or not hasattr(upload, "file"):
        raise BadRequest("file_required", N_("Choose a file to upload."))
    name = safe_name(getattr(upload, "filename", ""))
    content = _read_limited(upload.file, max_mb * 1024 * 1024)
    check_content(name, content, types)
    return name, content, chosen_name(getattr(upload, "filename", ""))


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
        ext = "." + name.rpartition(".")[2]
        stored = SubmissionFile.objects.create(
            submission=submission, kind=kind, name=name, path=path, size=len(content),
            content_type=CONTENT_TYPES.get(ext, "application/octet-stream"), uploaded_by=learner)
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


def stream_chunks(handle):
    try:
        while True:
            chunk = handle.read(CHUNK)
            if not chunk:
                break
            yield chunk
    finally:
        handle.close()


def open_stored(usage_key: str, file_id: int):
    """(file row, its chunks from storage) for the download view; LookupError if it is gone."""
    stored = SubmissionFile.objects.filter(pk=file_id, submission__usage_key=usage_key).first()
    if stored is None:
        raise LookupError(file_id)
    return stored, stream_chunks(default_storage.open(stored.path, "rb"))
