"""The view that streams every download a handler offers (`/blended/downloads/<ticket>/`).

Handlers check the user's rights, then redirect here with a signed ticket (core/downloads.py); this
view checks the ticket and the browser's session, asks the producer the owning block registered
for the ticket's kind (from the block's `api.py`) and streams its chunks with
`StreamingHttpResponse`, straight from storage (S3 or the filesystem) or from the database.

It refuses a ticket unless the browser's session is the user it names (the LMS account; the
demo's account for `?student=`), and a ticket that names no user. Only the webinar's calendar
file (a few hundred bytes) is still answered by its handler.
"""
from __future__ import annotations

from django.core import signing
from django.http import JsonResponse, StreamingHttpResponse

from blended_xblocks.core.downloads import (
    MAX_AGE,
    SALT,
    content_disposition,
    download_url,
    encoded,
    make_ticket,
    producer_of,
    read_ticket,
)
from blended_xblocks.core.errors import N_
from blended_xblocks.core.i18n import COMMON_DOMAIN, Translator

__all__ = ["MAX_AGE", "SALT", "download", "download_url", "make_ticket"]


def _error(status: int, code: str, message: str, **params):
    text = Translator(COMMON_DOMAIN).gettext(message).format(**params)
    return JsonResponse({"error": {"code": code, "message": text}}, status=status)


def download(request, ticket: str):
    """GET with a ticket from a staff handler: the file, streamed (constant memory)."""
    if request.method != "GET":
        return _error(405, "method_not_allowed", N_("This address does not accept {method}."), method=request.method)
    try:
        data = read_ticket(ticket, max_age=MAX_AGE)
    except signing.SignatureExpired:
        return _error(410, "download_expired",
                      N_("This download link has expired. Start the download again from the staff page."))
    except signing.BadSignature:
        data = None
    produce = producer_of(data.get("kind")) if isinstance(data, dict) else None
    if produce is None:
        return _error(403, "invalid_download",
                      N_("This download link is not valid. Start the download again from the staff page."))
    if data.get("user") is None or getattr(request.user, "id", None) != data["user"]:
        return _error(403, "download_not_yours", N_("This download link was made for another user."))
    try:
        stream = produce(data)
    except LookupError:  # the file was deleted since the ticket was made
        return _error(404, "unknown_file", N_("This file does not exist."))
    response = StreamingHttpResponse(encoded(stream.chunks), content_type=stream.content_type)
    if stream.length is not None:
        response["Content-Length"] = str(stream.length)
    response["Content-Disposition"] = content_disposition(data["name"])
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
