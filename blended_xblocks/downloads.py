"""Every download a handler offers, streamed by a Django view of our own.

The LMS turns a handler's response into a plain Django `HttpResponse`, which reads the whole body
into memory (`webob_to_django_response`): a large file or a CSV of a big cohort would sit in a
worker's memory. So the handlers that offer a file (a submitted file, the zip of every group's
files, each block's CSV export) check the user's rights, then answer with a redirect here carrying
a short-lived signed ticket (Django's signing with `SECRET_KEY`, the same on every app server), and
this view streams the file with `StreamingHttpResponse`, a chunk at a time, straight from storage
(S3 or the filesystem) or from the database.

The ticket names the block, the kind of download and the user's id (the LMS account; the demo's
account for `?student=`): the view refuses it unless the browser's session is that user's, and
refuses a ticket that names no user. It expires after `MAX_AGE` seconds. Only the webinar's
calendar file (a few hundred bytes) is still answered by its handler.
"""
from __future__ import annotations

from urllib.parse import quote

from django.core import signing
from django.http import JsonResponse, StreamingHttpResponse
from django.urls import reverse
from webob import Response

from blended_xblocks.core.errors import N_
from blended_xblocks.core.i18n import COMMON_DOMAIN, Translator
from blended_xblocks.group_assignment.exports import csv_stream, zip_stream

SALT = "blended_xblocks.downloads"
MAX_AGE = 5 * 60  # seconds
CSV = "text/csv; charset=utf-8"
KINDS = {
    "submissions_zip": "application/zip",
    "grades_csv": CSV,
    "submission_file": None,  # the stored file's own type
    "webinar_roster_csv": CSV,
    "agreements_csv": CSV,
    "sharing_csv": CSV,
    "applications_csv": CSV,
    "application_files_zip": "application/zip",
    "application_file": None,
}


def make_ticket(*, kind: str, usage_key: str, course_key: str, user_id, filename: str, **extra) -> str:
    if kind not in KINDS:
        raise ValueError(kind)
    payload = {"kind": kind, "usage": usage_key, "course": course_key, "user": user_id, "name": filename, **extra}
    return signing.dumps(payload, salt=SALT, compress=True)


def download_url(**ticket) -> str:
    """The absolute path of the streamed download (see `make_ticket` for the arguments)."""
    return reverse("blended_xblocks:download", args=[make_ticket(**ticket)])


def redirect(block, kind: str, filename: str, **extra) -> Response:
    """A handler's answer: a redirect to the download, bound to the current user (rights checked by
    the handler before)."""
    url = download_url(kind=kind, usage_key=block.usage_key_string, course_key=block.course_key_string,
                       user_id=block.current_user.user_id, filename=filename, **extra)
    return Response(status=302, location=url)


def _error(status: int, code: str, message: str, **params):
    text = Translator(COMMON_DOMAIN).gettext(message).format(**params)
    return JsonResponse({"error": {"code": code, "message": text}}, status=status)


def _encoded(chunks):
    for chunk in chunks:
        yield chunk.encode("utf-8") if isinstance(chunk, str) else chunk


def _stream(ticket: dict):
    """(chunks, content type, length or None) of the download the ticket names."""
    kind, usage_key = ticket["kind"], ticket["usage"]
    if kind == "submissions_zip":
        return zip_stream(usage_key), KINDS[kind], None
    if kind == "grades_csv":
        return csv_stream(usage_key, ticket["max_points"]), KINDS[kind], None
    if kind == "submission_file":
        from blended_xblocks.group_assignment.files import open_stored
        stored, chunks = open_stored(usage_key, ticket["file"])
        return chunks, stored.content_type, stored.size
    if kind == "webinar_roster_csv":
        from blended_xblocks.webinar.attendance import roster_csv
        return _encoded(roster_csv(usage_key)), KINDS[kind], None
    if kind == "agreements_csv":
        from blended_xblocks.supervisor_agreement.staff import export_csv
        return _encoded(export_csv(ticket["course"], usage_key)), KINDS[kind], None
    if kind == "applications_csv":
        from blended_xblocks.application.staff import export_rows
        return _encoded(export_rows(usage_key, ticket["questions"])), KINDS[kind], None
    if kind == "application_files_zip":
        from blended_xblocks.application.staff import zip_rows
        return zip_rows(usage_key), KINDS[kind], None
    if kind == "application_file":
        from blended_xblocks.application.files import open_stored as open_application_file
        stored, chunks = open_application_file(usage_key, ticket["applicant"], ticket["question"])
        return chunks, stored.content_type, stored.size
    from blended_xblocks.experience_sharing.participation import csv_rows
    from blended_xblocks.experience_sharing.posts import Board
    return _encoded(csv_rows(Board(course_key=ticket["course"], usage_key=usage_key))), KINDS[kind], None


def content_disposition(filename: str) -> str:
    """`attachment` with an ASCII name for old clients and the exact (UTF-8) name for the others."""
    fallback = "".join(c if c.isascii() and (c.isalnum() or c in "._-") else "_" for c in filename) or "download"
    return f'attachment; filename="{fallback}"; filename*=UTF-8\'\'{quote(filename)}'


def download(request, ticket: str):
    """GET with a ticket from a staff handler: the file, streamed (constant memory)."""
    if request.method != "GET":
        return _error(405, "method_not_allowed", N_("This address does not accept {method}."), method=request.method)
    try:
        data = signing.loads(ticket, salt=SALT, max_age=MAX_AGE)
    except signing.SignatureExpired:
        return _error(410, "download_expired",
                      N_("This download link has expired. Start the download again from the staff page."))
    except signing.BadSignature:
        data = None
    if not isinstance(data, dict) or data.get("kind") not in KINDS:
        return _error(403, "invalid_download",
                      N_("This download link is not valid. Start the download again from the staff page."))
    if data.get("user") is None or getattr(request.user, "id", None) != data["user"]:
        return _error(403, "download_not_yours", N_("This download link was made for another user."))
    try:
        chunks, content_type, length = _stream(data)
    except LookupError:  # the file was deleted since the ticket was made
        return _error(404, "unknown_file", N_("This file does not exist."))
    response = StreamingHttpResponse(chunks, content_type=content_type)
    if length is not None:
        response["Content-Length"] = str(length)
    response["Content-Disposition"] = content_disposition(data["name"])
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
