"""A sweep over every handler of every block: junk input never yields a 500 and changes nothing.

Each block's own tests check its handlers' specific refusals; this one makes sure a handler added
later cannot forget the convention. It calls every handler the block class declares, as a learner
and as staff, with bodies that are not what any handler takes.
"""
import json

import pytest
from django.apps import apps
from xblock.core import XBlock

from tests.test_group_assignment_core import OLX as GROUP_ASSIGNMENT
from tests.test_supervisor_agreement_flow import OLX as SUPERVISOR_AGREEMENT
from tests.webinar_olx import webinar

BLOCKS = {
    "blended_webinar": webinar(capacity="2", checkin="true", languages="en ar"),
    "blended_group_assignment": GROUP_ASSIGNMENT,
    "blended_supervisor_agreement": SUPERVISOR_AGREEMENT.format(weight="1"),
    "blended_experience_sharing": '<blended_experience_sharing display_name="ES" session="webinar-7"/>',
}
JUNK = [
    b"",
    b"not json",
    b"\xff\xfe\x00",
    b"[]",
    b"null",
    b"42",
    b'"text"',
    json.dumps({"unexpected": True}).encode(),
    json.dumps({"page": -1, "page_size": 10**9, "post_id": "x" * 10_000, "version": "1"}).encode(),
    json.dumps({"records": [{"user_id": None}], "text": {"nested": ["deep"]}}).encode(),
    b'{"text": "\\ud800", "title": "\\ud800", "body": "\\ud800", "name": "\\ud800", "version": 0}',
    b"[" * 50_000 + b"]" * 50_000,
]


def handler_names(block_type):
    cls = XBlock.load_class(block_type)
    return sorted(name for name in dir(cls) if getattr(getattr(cls, name, None), "_is_xblock_handler", False))


def our_tables():
    return {model._meta.db_table: model.objects.count() for model in apps.get_app_config("blended_xblocks").get_models()
            if model.__name__ != "Learner"}


@pytest.mark.parametrize("block_type", sorted(BLOCKS))
@pytest.mark.parametrize("student", ["amina", "instructor"])
def test_junk_never_breaks_a_handler_or_changes_state(workbench, block_type, student):
    usage = workbench.load(BLOCKS[block_type])
    workbench.render(usage, student=student)
    workbench.call(usage, "get_state", {}, student=student)  # a first visit creates the learner's own rows
    before = our_tables()
    names = handler_names(block_type)
    assert len(names) >= 5, names
    problems = []
    for name in names:
        for body in JUNK:
            for method, content_type in (("POST", "application/json"), ("POST", "multipart/form-data"),
                                         ("GET", "application/json")):
                result = workbench.call(usage, name, body=body, method=method, student=student,
                                        content_type=content_type)
                if result.status >= 500:
                    problems.append((name, method, body[:40], result.status))
                elif result.status >= 400 and result.headers.get("Content-Type", "").startswith("application/json"):
                    payload = json.loads(result.body)
                    error = payload.get("error") if isinstance(payload, dict) else None
                    if not (isinstance(error, dict) and error.get("code") and error.get("message")):
                        problems.append((name, method, body[:40], result.body[:120]))
        if our_tables() != before:
            problems.append((name, "changed", our_tables()))
            before = our_tables()
    assert problems == []
