"""Checks every uploaded file goes through, whichever block takes it: the size limit (the block's,
the operator's and the LMS's), a safe name, an allowed type and a content sniff; and reading a
stored file back in chunks.

Used by the group assignment's submissions and the call for applications' file questions.
"""
from __future__ import annotations

import re
import unicodedata

from django.conf import settings

from blended_xblocks.core.errors import N_, BadRequest

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


def content_type(name: str) -> str:
    """The type a stored file is served with: known types, else a download."""
    return CONTENT_TYPES.get("." + name.rpartition(".")[2], "application/octet-stream")


FORM_SLACK = 64 * 1024  # multipart boundaries and the other form fields


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


def stream_chunks(handle):
    try:
        while True:
            chunk = handle.read(CHUNK)
            if not chunk:
                break
            yield chunk
    finally:
        handle.close()
