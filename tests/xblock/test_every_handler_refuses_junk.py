"""A sweep over every handler of every block: junk input never yields a 500 and changes nothing.

Each block's own tests check its handlers' specific refusals; this one makes sure a handler added
later cannot forget the convention. It calls every handler the block class declares, as a learner
and as staff, with bodies that are not what any handler takes.
"""
import json

import pytest
from django.apps import apps
from xblock.core import XBlock

from tests.harness import GROUP_ASSIGNMENT, SUPERVISOR_AGREEMENT, application_call, local, webinar

# 32-character tags, ten of them: each is allowed, but together they are longer than the post's column.
LONG_TAGS = [f"t{n}" + "x" * 30 for n in range(10)]
LONG_LINK = "https://meet.example.org/" + "x" * 1000
BLOCKS = {
    "blended_webinar": ("blended_webinar", webinar(capacity="2", checkin="true", languages="en ar")),
    # An imported course with values longer than the session row's columns: ignored, never a 500.
    "blended_webinar long imported links": ("blended_webinar", webinar(
        capacity="2", checkin="true", languages="en ar", join_url=LONG_LINK, recording_url=LONG_LINK)),
    "blended_webinar long imported time zone and languages": ("blended_webinar", webinar(  # closed: {} cannot register
        capacity="2", checkin="true", registration_closes=local(-60), languages=" ".join(["en", "ar"] * 90)).replace(
        'timezone="Africa/Dakar"', 'timezone="Africa/' + "x" * 64 + '"')),
    "blended_group_assignment": ("blended_group_assignment", GROUP_ASSIGNMENT),
    "blended_supervisor_agreement": ("blended_supervisor_agreement", SUPERVISOR_AGREEMENT.format(weight="1")),
    "blended_experience_sharing": ("blended_experience_sharing",
                                   '<blended_experience_sharing display_name="ES" session="webinar-7" tags="{}"/>'
                                   .format(" ".join(LONG_TAGS))),
    "blended_application": ("blended_application", application_call()),
    "blended_progress": ("blended_progress", '<blended_progress display_name="Your programme">'
                         '<requirement id="w" kind="attendance" blocks="blended_webinar/webinar-7"/></blended_progress>'),
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
    json.dumps({"title": "Ten long tags", "body": "b", "tags": LONG_TAGS}).encode(),
    json.dumps({"post_id": 1, "title": "Ten long tags", "body": "b", "tags": LONG_TAGS}).encode(),
]


def multipart(parts, boundary="bX7q"):
    """A multipart body of (Content-Disposition header, content) parts, and its Content-Type."""
    body = b"".join(b"--%s\r\n%s\r\n\r\n%s\r\n" % (boundary.encode(), header, content) for header, content in parts)
    return body + b"--%s--\r\n" % boundary.encode(), f"multipart/form-data; boundary={boundary}"


# What Django itself refuses to parse (the LMS hands every handler Django's request): its own errors
# must never escape as a 500 or Django's HTML 400.
DJANGO_JUNK = {
    "latin-1 form": (b"signer_name=J%E9r%F4me&decision=approve&reason=x",
                     "application/x-www-form-urlencoded; charset=latin-1"),
    "unknown charset": (b"signer_name=x&decision=approve", "application/x-www-form-urlencoded; charset=x-unheard-of"),
    "2,000 fields": ("&".join(f"field{i}=1" for i in range(2000)).encode(), "application/x-www-form-urlencoded"),
    "200 file parts": multipart([(f'Content-Disposition: form-data; name="file"; filename="plan{i}.pdf"'.encode(),
                                  b"%PDF-1.4") for i in range(200)]),
    "5,000-character file name": multipart([(b'Content-Disposition: form-data; name="file"; filename="'
                                             + b"a" * 5000 + b'.csv"', b"username,status\n")]),
    "no boundary": (b"--x\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nx\r\n--x--\r\n",
                    "multipart/form-data"),
    "3 MB field": (b"reason=" + b"x" * 3_000_000, "application/x-www-form-urlencoded"),
    "latin-1 multipart": multipart([(b'Content-Disposition: form-data; name="signer_name"', "Jérôme".encode("latin-1")),
                                    (b'Content-Disposition: form-data; name="file"; filename="r\xe9sum\xe9.csv"', b"x")]),
}


def handler_names(block_type):
    cls = XBlock.load_class(block_type)
    return sorted(name for name in dir(cls) if getattr(getattr(cls, name, None), "_is_xblock_handler", False))


def our_tables():
    """Every row of every table of ours (learners and the demo's completions and mail included), in full."""
    models = [*apps.get_app_config("blended_xblocks").get_models(), *apps.get_app_config("blended_xblocks_demo").get_models()]
    return {model._meta.db_table: list(model.objects.order_by("pk").values()) for model in models}


def changes(before, after):
    """{table: (rows before, rows after)} for the tables whose rows differ (the first few only)."""
    return {table: ([row for row in before[table] if row not in after[table]][:3],
                    [row for row in after[table] if row not in before[table]][:3])
            for table in before if before[table] != after[table]}


@pytest.mark.parametrize("block", sorted(BLOCKS))
@pytest.mark.parametrize("student", ["amina", "instructor"])
def test_junk_never_breaks_a_handler_or_changes_state(workbench, block, student):
    block_type, olx = BLOCKS[block]
    usage = workbench.load(olx)
    workbench.render(usage, student=student)
    workbench.call(usage, "get_state", {}, student=student)  # a first visit creates the learner's own rows
    names = handler_names(block_type)
    if "checkin_code" in names:
        workbench.call(usage, "checkin_code", {}, student=student)  # staff's first request makes the code
    before = our_tables()
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
        after = our_tables()
        if after != before:
            problems.append((name, "changed", changes(before, after)))
            before = after
    assert problems == []


@pytest.mark.parametrize("block", sorted(BLOCKS))
def test_what_django_cannot_parse_is_refused_by_every_handler(workbench, block):
    """The documented refusal (JSON `invalid_form` / `too_large`, or the supervisor's "link not
    valid" page), never a 500 or Django's own HTML 400, and nothing changes."""
    block_type, olx = BLOCKS[block]
    usage = workbench.load(olx)
    workbench.render(usage, student="instructor")
    workbench.call(usage, "get_state", {}, student="instructor")
    before = our_tables()
    problems = []
    for name in handler_names(block_type):
        for case, (body, content_type) in DJANGO_JUNK.items():
            crowded = "&".join(f"q{i}=1" for i in range(2000))  # Django's field limit counts the query string too
            for method, query in (("POST", ""), ("POST", crowded), ("GET", crowded)) if case == "2,000 fields" else (("POST", ""),):
                try:
                    result = workbench.call_django(usage, name, body if method == "POST" else b"", content_type,
                                                   student="instructor", query=query, method=method)
                except Exception as error:  # noqa: BLE001 - an escaping exception is what this test looks for
                    problems.append((name, case, method, bool(query), type(error).__name__))
                    continue
                if not 400 <= result.status < 500:
                    problems.append((name, case, method, bool(query), result.status))
                elif result.headers.get("Content-Type", "").startswith("application/json"):
                    error = json.loads(result.body).get("error") or {}
                    if not (error.get("code") and error.get("message")):
                        problems.append((name, case, method, bool(query), result.body[:120]))
                elif b"This link is not valid" not in result.body:
                    problems.append((name, case, method, bool(query), result.body[:120]))
        after = our_tables()
        if after != before:
            problems.append((name, "changed", changes(before, after)))
            before = after
    assert problems == [], "\n".join(map(str, problems))
