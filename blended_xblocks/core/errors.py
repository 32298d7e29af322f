"""Refusals a client can act on: every rule module raises these; the handler layer turns them into
`{"error": {"code", "message"}}` responses (docs/api.md)."""
from __future__ import annotations


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
    """The input is wrong (unreadable, unknown field, out of range): the client should fix it."""

    status = 400


class Forbidden(ApiError):
    """This person may not do this (not staff, not signed in, not theirs)."""

    status = 403


class NotFound(ApiError):
    """The thing named does not exist (any more)."""

    status = 404


class Conflict(ApiError):
    """The state changed or does not allow it now (another tab, a full session, a stale version)."""

    status = 409
