"""Instructors' bulk downloads, streamed by a Django view of our own.

The LMS turns a handler's response into a plain Django `HttpResponse`, which reads the whole body
into memory; a zip of every group's files would sit in a worker's memory. So the staff handlers
answer with a redirect here, carrying a short-lived signed ticket (Django's signing with
`SECRET_KEY`, the same on every app server), and this view streams the file with
`StreamingHttpResponse` straight from the storage (S3 or the filesystem), a chunk at a time.

The ticket names the block, the kind of download and the staff member's user id (the LMS account;
the demo's account for `?student=`): the view refuses it unless the browser's session is that
user's, and refuses a ticket that names no user. It expires after `MAX_AGE` seconds.
"""
from __future__ import annotations

from django.core import signing
from django.http import JsonResponse, StreamingHttpResponse
from django.urls import reverse

from .group_assignment_exports import csv_stream, zip_stream
from .handlers import N_
from .i18n import COMMON_DOMAIN, Translator

SALT = "blended_xblocks.downloads"
MAX_AGE = 5 * 60  # seconds
KINDS = {
    "submissions_zip": "application/zip",
    "grades_csv": "text/csv; charset=utf-8",
}


def make_ticket(*, kind: str, usage_key: str, course_key: str, user_id, filename: str, **extra) -> str:
    if kind not in KINDS:
        raise ValueError(kind)
    payload = {"kind": kind, "usage": usage_key, "course": course_key, "user": user_id, "name": filename, **extra}
    return signing.dumps(payload, salt=SALT, compress=True)


def download_url(**ticket) -> str:
    """The absolute path of the streamed download (see `make_ticket` for the arguments)."""
    return reverse("blended_xblocks:download", args=[make_ticket(**ticket)])


def _error(status: int, code: str, message: str, **params):
    text = Translator(COMMON_DOMAIN).gettext(message).format(**params)
    return JsonResponse({"error": {"code": code, "message": text}}, status=status)


def _stream(ticket: dict):
    if ticket["kind"] == "submissions_zip":
        return zip_stream(ticket["usage"])
    return csv_stream(ticket["usage"], ticket["max_points"])


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
    response = StreamingHttpResponse(_stream(data), content_type=KINDS[data["kind"]])
    response["Content-Disposition"] = f'attachment; filename="{data["name"]}"'
    response["Cache-Control"] = "private, no-store"
    return response
