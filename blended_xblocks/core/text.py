"""Text from authors and learners that ends up in a mail header, a subject line or a link.

One rule each, for every block: a name or title put in a mail is one line without control
characters (so it can never add a header or break a subject); a link anyone may follow is an
absolute http(s) URL with a host, nothing else (`javascript:`, `data:`, relative paths stay out).
Imports nothing of ours.
"""
from __future__ import annotations

import re
from urllib.parse import urlsplit

CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")
SINGLE_LINE = r"[^\x00-\x1f\x7f\u2028\u2029]*"  # a schema pattern: one line, no control characters
MAIL_ADDRESS = re.compile(r"[^@\s]+@[^@\s]+")
MAX_URL = 2000
_URL_CHARACTERS = re.compile(r"[^\s<>\"'`\x00-\x1f\x7f]+")


def single_line(text: str, limit: int = 200) -> str:
    """`text` on one line (control characters and runs of spaces become one space), at most `limit` characters."""
    return " ".join(CONTROL.sub(" ", text or "").split())[:limit]


def safe_url(candidate: str) -> str | None:
    """`candidate` if it is an absolute http(s) URL with a host, at most 2,000 characters and
    without spaces, quotes or angle brackets; else None."""
    if not candidate or not isinstance(candidate, str) or len(candidate) > MAX_URL:
        return None
    if not _URL_CHARACTERS.fullmatch(candidate):
        return None
    try:
        parts = urlsplit(candidate)
        host = parts.hostname
    except ValueError:  # e.g. an invalid IPv6 literal or port
        return None
    if parts.scheme.lower() not in ("http", "https") or not host:
        return None
    return candidate


def is_mail_address(address: str) -> bool:
    """Something we may hand the mail server as a recipient (one @, no spaces); not a full RFC check."""
    return bool(address) and bool(MAIL_ADDRESS.fullmatch(address))
