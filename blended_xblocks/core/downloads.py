"""Streamed downloads: signed tickets, the producers blocks register, and a zip written as it streams.

The LMS turns a handler's response into a plain Django `HttpResponse`, which reads the whole body
into memory, so a handler that offers a file checks the user's rights and answers with a redirect
to our own view (`blended_xblocks/downloads.py`) carrying a short-lived signed ticket (Django's
signing with `SECRET_KEY`, the same on every app server). The ticket names the block, the kind of
download and the user's id; it expires after `MAX_AGE` seconds.

Each kind of download is produced by the block that owns it: the block registers a producer for
its kinds (`@producer("grades_csv")`, from its `api.py`), which turns a ticket into a `Stream`.
This module knows no block.
"""
from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import quote

from django.core import signing
from django.core.files.storage import default_storage
from django.urls import reverse

from blended_xblocks.core.uploads import CHUNK

SALT = "blended_xblocks.downloads"
MAX_AGE = 5 * 60  # seconds
CSV = "text/csv; charset=utf-8"
ZIP = "application/zip"


@dataclass(frozen=True)
class Stream:
    """A download's body as chunks (bytes or text), its type, and its length when known."""

    chunks: Iterable
    content_type: str
    length: int | None = None


# Kept across `importlib.reload`: blocks register their producers once, at start-up.
_PRODUCERS: dict = globals().get("_PRODUCERS", {})


def producer(kind: str):
    """Register `fn(ticket: dict) -> Stream` as the producer of one kind of download."""
    def register(fn: Callable[[dict], Stream]):
        _PRODUCERS[kind] = fn
        return fn
    return register


def producer_of(kind) -> Callable[[dict], Stream] | None:
    return _PRODUCERS.get(kind) if isinstance(kind, str) else None


def make_ticket(*, kind: str, usage_key: str, course_key: str, user_id, filename: str, **extra) -> str:
    if kind not in _PRODUCERS:
        raise ValueError(kind)
    payload = {"kind": kind, "usage": usage_key, "course": course_key, "user": user_id, "name": filename, **extra}
    return signing.dumps(payload, salt=SALT, compress=True)


def download_url(**ticket) -> str:
    """The absolute path of the streamed download (see `make_ticket` for the arguments)."""
    return reverse("blended_xblocks:download", args=[make_ticket(**ticket)])


def read_ticket(ticket: str, max_age: int = MAX_AGE):
    """The ticket's payload; `signing.SignatureExpired` / `signing.BadSignature` as Django raises them."""
    return signing.loads(ticket, salt=SALT, max_age=max_age)


def encoded(chunks):
    """Text chunks (a CSV writer's rows) as UTF-8 bytes; bytes pass through."""
    for chunk in chunks:
        yield chunk.encode("utf-8") if isinstance(chunk, str) else chunk


def content_disposition(filename: str) -> str:
    """`attachment` with an ASCII name for old clients and the exact (UTF-8) name for the others."""
    fallback = "".join(c if c.isascii() and (c.isalnum() or c in "._-") else "_" for c in filename) or "download"
    return f'attachment; filename="{fallback}"; filename*=UTF-8\'\'{quote(filename)}'


class ZipSink(io.RawIOBase):
    """A write-only stream for `zipfile`: what it wrote is collected and drained by the generator that
    yields the zip as it grows (zipfile writes data descriptors on unseekable streams), so a zip of
    hundreds of large files never sits in memory at once."""

    def __init__(self):
        super().__init__()
        self.parts, self.written = [], 0

    def writable(self):
        return True

    def write(self, data):
        self.parts.append(bytes(data))
        self.written += len(data)
        return len(data)

    def tell(self):
        return self.written

    def drain(self) -> bytes:
        data, self.parts = b"".join(self.parts), []
        return data


def folder_name(text: str, fallback: str) -> str:
    """A zip folder named after a person or group: no path separators or characters an unzip tool
    refuses, no leading dot, at most 80 characters."""
    return re.sub(r"[^\w\-(). ]+", "_", text).strip(" ._")[:80] or fallback


def copy_stored_file(archive, name: str, stored, sink: ZipSink):
    """Copy an uploaded file (`stored.path`, `stored.size`) into the zip in chunks, yielding what the
    zip wrote so far, so the download starts at once and memory stays flat."""
    with archive.open(name, "w", force_zip64=stored.size > 2**31) as entry, default_storage.open(stored.path, "rb") as source:
        while chunk := source.read(CHUNK):
            entry.write(chunk)
            yield sink.drain()
