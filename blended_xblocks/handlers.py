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
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation, TooManyFieldsSent, TooManyFilesSent, ValidationError
from django.core.validators import validate_email
from django.http import RawPostDataException
from django.http.multipartparser import MultiPartParserError
from webob import Response
from xblock.core import XBlock

log = logging.getLogger(__name__)


def N_(message):
    """Mark a message for extraction; it is translated when the response is built."""
    return message


class ApiError(Exception):
    """A refusal a client can act on. `message` is an untranslated msgid with {placeholders}."""

    status = 400

    def __init__(self, code, message, status=None, **params):
        super().__init__(code)
        self.code = code
        self.message = message
        self.params = params
        if status:
            self.status = status
        self.extra = {}


class BadRequest(ApiError):
    status = 400


class Forbidden(ApiError):
    status = 403


class NotFound(ApiError):
    status = 404


class Conflict(ApiError):
    status = 409


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


# Schema ------------------------------------------------------------------------------------------
class Field:
    """One key of a JSON body. Subclasses check and convert a value."""

    def __init__(self, required=True, default=None, nullable=False):
        self.required = required and default is None
        self.default = default
        self.nullable = nullable

    def clean(self, name, value):
        raise NotImplementedError

    @staticmethod
    def invalid(name, message):
        """`message` is one of the marked msgids below, e.g. N_("“{field}” must be text.")."""
        return BadRequest("invalid_field", message, field=name)


class Str(Field):
    def __init__(self, max_length=1000, min_length=0, pattern=None, strip=True, **kwargs):
        super().__init__(**kwargs)
        self.max_length, self.min_length = max_length, min_length
        self.pattern = re.compile(pattern) if pattern else None
        self.strip = strip

    def clean(self, name, value):
        if not isinstance(value, str):
            raise self.invalid(name, N_("“{field}” must be text."))
        if self.strip:
            value = value.strip()
        if "\x00" in value or not _encodable(value):
            raise self.invalid(name, N_("“{field}” must be text."))
        if len(value) > self.max_length:
            raise BadRequest("too_long", N_("“{field}” is longer than {max} characters."),
                             field=name, max=self.max_length)
        if len(value) < self.min_length:
            raise BadRequest("required", N_("“{field}” is required."), field=name)
        if self.pattern and not self.pattern.fullmatch(value):
            raise self.invalid(name, N_("“{field}” is not in the expected format."))
        return value


def _encodable(text: str) -> bool:
    """JSON can carry lone UTF-16 surrogates (\\ud800) that no database column can store."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


class Email(Str):
    PATTERN = r"[^@\s<>,;\"'\r\n]+@[^@\s<>,;\"'\r\n]+\.[^@\s<>,;\"'\r\n]+"

    def __init__(self, **kwargs):
        super().__init__(max_length=254, min_length=3, pattern=self.PATTERN, **kwargs)

    def clean(self, name, value):
        """Django's own address rules too: the mail backend must send to exactly this address (a
        comment such as `amina(x)@…` would otherwise be stripped on sending, and reach someone else).
        A value that is not text at all is a wrong type (`invalid_field`), as for every field."""
        if not isinstance(value, str):
            raise self.invalid(name, N_("“{field}” must be text."))
        try:
            value = super().clean(name, value)
            if value is not None:
                validate_email(value)
            return value
        except (BadRequest, ValidationError) as error:
            raise BadRequest("invalid_email", N_("Enter a valid e-mail address."), field=name) from error


SAFE_INTEGER = 2**53 - 1  # beyond this, JavaScript clients lose precision and database columns overflow


class Int(Field):
    def __init__(self, minimum=-SAFE_INTEGER, maximum=SAFE_INTEGER, **kwargs):
        super().__init__(**kwargs)
        self.minimum = -SAFE_INTEGER if minimum is None else minimum
        self.maximum = SAFE_INTEGER if maximum is None else maximum

    def clean(self, name, value):
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.invalid(name, N_("“{field}” must be a whole number."))
        if not self.minimum <= value <= self.maximum:
            raise BadRequest("out_of_range", N_("“{field}” must be between {min} and {max}."),
                             field=name, min=self.minimum, max=self.maximum)
        return value


class Number(Field):
    """A JSON number (not a boolean) within [minimum, maximum]."""

    def __init__(self, minimum, maximum, **kwargs):
        super().__init__(**kwargs)
        self.minimum, self.maximum = minimum, maximum

    def clean(self, name, value):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
            raise self.invalid(name, N_("“{field}” must be a number."))
        if not self.minimum <= value <= self.maximum:
            raise BadRequest("out_of_range", N_("“{field}” must be between {min} and {max}."),
                             field=name, min=self.minimum, max=self.maximum)
        return round(float(value), 2)


class Bool(Field):
    def clean(self, name, value):
        if not isinstance(value, bool):
            raise self.invalid(name, N_("“{field}” must be true or false."))
        return value


class Choice(Field):
    def __init__(self, choices, **kwargs):
        super().__init__(**kwargs)
        self.choices = tuple(choices)

    def clean(self, name, value):
        if not isinstance(value, str) or value not in self.choices:
            raise BadRequest("invalid_choice", N_("“{field}” must be one of: {choices}."),
                             field=name, choices=", ".join(self.choices))
        return value


class ListOf(Field):
    def __init__(self, item: Field, max_items=1000, **kwargs):
        super().__init__(**kwargs)
        self.item, self.max_items = item, max_items

    def clean(self, name, value):
        if not isinstance(value, list):
            raise self.invalid(name, N_("“{field}” must be a list."))
        if len(value) > self.max_items:
            raise BadRequest("too_many", N_("“{field}” has more than {max} items."), field=name,
                             max=self.max_items)
        return [self.item.clean(f"{name}[{index}]", entry) for index, entry in enumerate(value)]


class Obj(Field):
    def __init__(self, schema: dict, **kwargs):
        super().__init__(**kwargs)
        self.schema = schema

    def clean(self, name, value):
        return validate(self.schema, value, prefix=f"{name}.")


def validate(schema: dict, data, prefix=""):
    """Check `data` against `schema`; unknown keys are refused so that typos never pass silently."""
    if not isinstance(data, dict):
        raise BadRequest("invalid_json", N_("The request body must be a JSON object."))
    unknown = sorted(set(data) - set(schema))
    if unknown:
        raise BadRequest("unknown_field", N_("Unknown field “{field}”."), field=prefix + unknown[0])
    cleaned = {}
    for key, field in schema.items():
        if key not in data:
            if field.required:
                raise BadRequest("required", N_("“{field}” is required."), field=prefix + key)
            cleaned[key] = field.default
        elif data[key] is None and (field.nullable or not field.required):
            cleaned[key] = field.default
        else:
            cleaned[key] = field.clean(prefix + key, data[key])
    return cleaned


PAGINATION = {"page": Int(minimum=1, maximum=1_000_000, default=1),
              "page_size": Int(minimum=1, maximum=200, default=50)}


class Unchecked(Field):
    """A value its handler ignores (Studio's `defaults`)."""

    def clean(self, name, value):
        return value


class AnyObject(Field):
    """An object its handler checks key by key (a Studio editor's `values`)."""

    def clean(self, name, value):
        if not isinstance(value, dict):
            raise self.invalid(name, N_("“{field}” must be an object."))
        return value


# The body of XBlock's Studio editor protocol (`submit_studio_edits`) for our own editors: the
# `values` each block's studio.py checks, and `defaults` (fields to reset), which they do not use.
STUDIO_EDITS = {"values": AnyObject(), "defaults": ListOf(Unchecked(), required=False, default=[])}


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
