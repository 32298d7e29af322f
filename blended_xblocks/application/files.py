"""Files applicants attach to file questions: the checks every upload goes through (size, safe
name, content sniff: `core/uploads.py`), kept in Django storage under
`application/<course>/<block>/<learner>/`, one per question.
"""
from __future__ import annotations

import re
import uuid

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from blended_xblocks.application.models import ApplicationFile
from blended_xblocks.core.errors import N_, BadRequest
from blended_xblocks.core.times import iso
from blended_xblocks.core.uploads import allowed_types, content_type, effective_max_mb, read_upload, stream_chunks


def file_question(questions: list[dict], question_id: str) -> dict:
    for question in questions:
        if question["id"] == question_id and question["kind"] == "file":
            return question
    raise BadRequest("invalid_field", N_("“{field}” is not a file question of this call."), field="question")


def read(request, question: dict, operator_settings: dict):
    return read_upload(request, effective_max_mb(question["max_mb"], operator_settings), allowed_types(question["types"]))


def store(application, question_id: str, name: str, content: bytes) -> ApplicationFile:
    """Keep the file, replacing the one the question had (removed from storage after commit)."""
    slug = lambda text: re.sub(r"[^A-Za-z0-9_.-]+", "_", text)[:120]  # noqa: E731
    call = application.call
    folder = f"application/{slug(call.course_key)}/{slug(call.usage_key)}/{application.learner_id}"
    path = default_storage.save(f"{folder}/{uuid.uuid4().hex}-{name}", ContentFile(content))
    with transaction.atomic():
        old = ApplicationFile.objects.select_for_update().filter(application=application, question_id=question_id).first()
        if old is not None:
            old_path = old.path
            old.delete()
            transaction.on_commit(lambda: default_storage.delete(old_path))
        return ApplicationFile.objects.create(application=application, question_id=question_id, name=name, path=path,
                                              size=len(content),
                                              content_type=content_type(name))


def file_json(stored) -> dict:
    return {"question": stored.question_id, "name": stored.name, "size": stored.size, "uploaded": iso(stored.uploaded)}


def open_stored(usage_key: str, user_id: int, question_id: str):
    """(file row, its chunks) for the download view; LookupError if it is gone."""
    stored = ApplicationFile.objects.filter(application__call__usage_key=usage_key, application__learner__user_id=user_id,
                                            question_id=question_id).first()
    if stored is None:
        raise LookupError(question_id)
    return stored, stream_chunks(default_storage.open(stored.path, "rb"))


def delete_all(files):
    paths = [stored.path for stored in files]
    transaction.on_commit(lambda: [default_storage.delete(path) for path in paths])
