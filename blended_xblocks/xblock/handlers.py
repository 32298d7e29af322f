"""The JSON handler convention every block follows (documented in docs/api.md).

A handler takes a POST with a JSON object, checks it against a small schema, and answers JSON.
Any refusal is an `ApiError`, turned into HTTP 400/403/404/409 with
`{"error": {"code": "<snake_case>", "message": "<translated text>"}}`; the handler body runs
only on valid input, so an error never leaves a change behind. Staff handlers re-check staff
rights on the server on every call.
"""
from __future__ import annotations

import functools
import ipaddress
import json
import logging
import re

from django.core.exceptions import BadRequest as DjangoBadRequest
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation, TooManyFieldsSent, TooManyFilesSent
from django.http import RawPostDataException
from django.http.multipartparser import MultiPartParserError
from webob import Response
from xblock.core import XBlock

from blended_xblocks.core.errors import N_, ApiError, BadRequest
from blended_xblocks.core.schema import validate

log = logging.getLogger(__name__)


MAX_JSON_BYTES = 1_000_000


def json_body(request):
    """The request's JSON body (anything JSON; `validate` checks the shape)."""
    if (request.content_length or 0) > MAX_JSON_BYTES:
        raise BadRequest("too_large", N_("The request is too large."))
    try:
        body = request.body  # Django refuses once a multipart body was parsed as a form: not JSON then
    except RawPostDataException as error:
        raise BadRequest("invalid_json", N_("The request body must be a JSON object.")) from error
    if len(body) > MAX_JSON_BYTES:
        raise BadRequest("too_large", N_("The request is too large."))
    try:
        return json.loads(body.decode("utf-8") if body else "{}")
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        raise BadRequest("invalid_json", N_("The request body must be a JSON object.")) from error


def json_response(data, status=200):
    return Response(json.dumps(data), status=status, content_type="application/json", charset="utf-8")


def error_response(block, error: ApiError):
    message = block.gettext(error.message)
    try:
        message = message.format(**error.params)
    except (KeyError, IndexError, ValueError):
        pass
    body = {"error": {"code": error.code, "message": message}}
    body["error"].update(error.extra)
    return json_response(body, status=error.status)


# Decorators --------------------------------------------------------------------------------------
def _guard(block, request, staff, methods, before_body=None, read_form=False, preview_safe=False):
    if request.method not in methods:
        raise ApiError("method_not_allowed", N_("This address does not accept {method}."), 405,
                       method=request.method)
    try:
        request.GET  # noqa: B018 - the preview check reads it: a query that is not UTF-8 is a 400, not a 500
    except UNREADABLE_REQUEST as error:
        raise unreadable(error) from error
    if not preview_safe:
        block.refuse_in_preview(request)
    if staff:
        block.require_staff()
    if before_body:
        before_body(block, request)
    if read_form:
        read_request(request)


# What parsing a request can raise. Webob (the workbench): ValueError (UnicodeDecodeError included),
# TypeError, IndexError, LookupError (unknown charset), DeprecationWarning (a charset other than
# UTF-8). Django (the LMS hands blocks Django's parsed request): BadRequest (a url-encoded form
# not in UTF-8), MultiPartParserError, and SuspiciousOperation for its limits (RequestDataTooBig,
# TooManyFieldsSent, TooManyFilesSent), which Django would otherwise answer with its HTML 400.
DJANGO_REQUEST_ERRORS = (DjangoBadRequest, SuspiciousOperation, MultiPartParserError)
UNREADABLE_REQUEST = (ValueError, TypeError, IndexError, LookupError, DeprecationWarning, *DJANGO_REQUEST_ERRORS)
FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")
CHARSET = re.compile(r";\s*charset\s*=\s*\"?([^\";\s]*)", re.IGNORECASE)


def unreadable(error: Exception) -> ApiError:
    """The refusal for a request the server cannot parse (see UNREADABLE_REQUEST)."""
    if isinstance(error, (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent)):
        return BadRequest("too_large", N_("The request is too large."))
    return BadRequest("invalid_form", N_("The form could not be read. Choose the file again and retry."))


def read_request(request):
    """Parse the query string and, for a form POST, the body, now: anything unreadable is an
    `ApiError` before the handler runs. A form must be UTF-8 (what our pages and browsers send):
    a declared charset other than UTF-8 is refused, whether or not the parser knows it."""
    try:
        request.GET  # noqa: B018 - Django parses (and limits) the query string on first access
        if request.method == "POST" and (request.content_type or "") in FORM_TYPES:
            declared = CHARSET.search(request.environ.get("CONTENT_TYPE") or "")
            if declared and declared.group(1).lower().replace("_", "-") not in ("utf-8", "utf8"):
                raise LookupError(declared.group(1))
            request.POST  # noqa: B018 - parsed once, then cached by webob or Django
    except UNREADABLE_REQUEST as error:
        raise unreadable(error) from error


def client_address(request, trusted_proxies: int = 0) -> str:
    """The address the request came from, as far as the server can vouch for it.

    With no trusted proxy this is REMOTE_ADDR (in the LMS, the platform's own choice of the safest
    client address). Behind `trusted_proxies` proxies that each append the address they received
    the request from to X-Forwarded-For, it is the entry that many places from the right: anything
    further left was written by the client and can be anything. Never webob's `client_addr`, which
    takes the left-most entry. "" when the chain is shorter than announced or the entry is no address.
    """
    environ = request.environ
    if trusted_proxies <= 0:
        return _address(environ.get("REMOTE_ADDR", ""))
    chain = [entry.strip() for entry in (environ.get("HTTP_X_FORWARDED_FOR") or "").split(",") if entry.strip()]
    return _address(chain[-trusted_proxies]) if len(chain) >= trusted_proxies else ""


def _address(value: str) -> str:
    try:
        return str(ipaddress.ip_address(value.strip().strip("[]")))
    except ValueError:
        return ""


def _run(block, request, staff, methods, call, before_body=None, read_form=False, preview_safe=False):
    try:
        _guard(block, request, staff, methods, before_body, read_form, preview_safe)
        return call()
    except ApiError as error:
        return error_response(block, error)
    except DJANGO_REQUEST_ERRORS as error:  # Django parsing late (e.g. `request.GET` read again in the handler)
        return error_response(block, unreadable(error))


def json_handler(schema: dict | None = None, *, staff=False):
    """A POST handler taking and returning JSON: `fn(self, data) -> dict`.

    Refused with 409 `preview_read_only` in a preview (see `BlendedBlockMixin.in_preview`)."""
    schema = schema or {}

    def decorate(fn):
        @XBlock.handler
        @functools.wraps(fn)
        def wrapper(self, request, suffix=""):
            def call():
                result = fn(self, validate(schema, json_body(request)))
                return result if isinstance(result, Response) else json_response(result)
            return _run(self, request, staff, ("POST",), call)
        wrapper.json_schema = schema
        wrapper.staff_only = staff
        wrapper.preview_safe = False
        return wrapper
    return decorate


def request_handler(*, staff=False, methods=("GET",), before_body=None, preview_safe=False):
    """A handler that needs the raw request (downloads, uploads): `fn(self, request) -> Response`.

    `before_body(block, request)` runs after the rights check, before the handler reads the form.
    It cannot spare the server the body: in the LMS, Django has already parsed the whole multipart
    request (and answered 413 above `STUDENT_FILEUPLOAD_MAX_SIZE`) before any block code runs; it
    refuses early what the block's own, smaller limits would refuse anyway.
    Refused in a preview unless `preview_safe` (the Studio editor's save, which writes the draft's
    fields and no table).
    """

    def decorate(fn):
        @XBlock.handler
        @functools.wraps(fn)
        def wrapper(self, request, suffix=""):
            return _run(self, request, staff, methods, lambda: fn(self, request), before_body, read_form=True,
                        preview_safe=preview_safe)
        wrapper.staff_only = staff
        wrapper.preview_safe = preview_safe
        return wrapper
    return decorate
