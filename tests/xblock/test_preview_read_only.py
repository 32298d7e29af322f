"""Previews write nothing (issue 8, fix 7).

Draft and published content share the usage key, so a preview that wrote would move the live
session, promote and mail waitlisted learners, or create a learner called "student". Studio
preview is simulated as the platform builds it: a runtime with `is_author_mode = True` whose user
service gives every author the anonymous id "student". The LMS's draft preview for staff
(`render_xblock?preview=1`) passes the page's query to `student_view` as its context, and the
blocks' JavaScript adds `preview=1` to every handler call made from such a page.
"""
import json

import pytest
from django.apps import apps
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from webob import Request
from xblock.core import XBlock

from tests.harness import GROUP_ASSIGNMENT, SUPERVISOR_AGREEMENT, webinar

STAFF = "instructor"
BLOCKS = {
    "blended_webinar": webinar(capacity="1", checkin="true"),
    "blended_group_assignment": GROUP_ASSIGNMENT,
    "blended_supervisor_agreement": SUPERVISOR_AGREEMENT.format(weight="1"),
    "blended_experience_sharing": '<blended_experience_sharing display_name="ES" session="webinar-7"/>',
}
BODIES = {  # valid bodies, so that only the preview can refuse them
    "register": {}, "cancel": {}, "check_in": {"code": "ABCDEF"}, "get_state": {},
    "request_approval": {"name": "Joy", "email": "joy@iom.int", "organisation": "IOM"},
    "create_post": {"title": "A case", "body": "What happened."}, "create_group": {"name": "Team"},
}


def everything():
    """Every row of every table the blocks and the demo host write, and the mail sent."""
    models = [*apps.get_app_config("blended_xblocks").get_models(), *apps.get_app_config("blended_xblocks_demo").get_models()]
    if apps.is_installed("submissions"):
        models += list(apps.get_app_config("submissions").get_models())
    rows = {model._meta.db_table: sorted(map(repr, model.objects.values_list())) for model in models}
    return rows, len(mail.outbox)


def handler_names(block_type):
    cls = XBlock.load_class(block_type)
    return sorted(name for name in dir(cls) if getattr(getattr(cls, name, None), "_is_xblock_handler", False))


def studio_preview(workbench, usage):
    """The block as Studio's preview runtime holds it."""
    block = workbench.block(usage, student="student")
    block.runtime.is_author_mode = True
    return block


def call(block, handler, *, query="", method="POST", data=None):
    body = b"" if method == "GET" else json.dumps(BODIES.get(handler, {}) if data is None else data).encode()
    request = Request.blank("/?" + query, method=method, body=body, content_type="application/json")
    with translation.override("en"):
        response = block.runtime.handle(block, handler, request)
    return response.status_code, json.loads(response.body or b"{}") if response.content_type == "application/json" else {}


def live_webinar(workbench):
    """A full session: amina holds the seat, yusuf waits (promotion would mail him)."""
    usage = workbench.load(BLOCKS["blended_webinar"])
    assert workbench.call(usage, "register", {}, student="amina").json["registration"] == "registered"
    assert workbench.call(usage, "register", {}, student="yusuf").json["registration"] == "waitlisted"
    mail.outbox.clear()
    return usage


def draft_of(block):
    """Draft fields an author has not published: more seats (would promote yusuf), a new date."""
    block.capacity, block.start, block.display_name = 5, "2031-01-05T10:00", "Draft title"
    return block


def test_the_webinars_studio_and_lms_draft_previews_write_nothing(workbench, django_capture_on_commit_callbacks):
    """Registrations, sessions, mails and learners are identical before and after rendering and
    calling handlers in Studio preview and in the LMS's draft preview."""
    usage = live_webinar(workbench)
    before = everything()
    with django_capture_on_commit_callbacks(execute=True):
        studio = draft_of(studio_preview(workbench, usage))
        assert "Draft title" in studio.render("author_view", {}).content
        assert "Draft title" in studio.render("student_view", {}).content  # had the block no author view
        for name in handler_names("blended_webinar"):
            if name in ("studio_submit", "submit_studio_edits"):  # the editor's saves write the draft's fields
                continue
            for method in ("POST", "GET"):
                status, body = call(studio, name, method=method)
                assert status in (405, 409), (name, method, status)
                if status == 409:
                    assert body["error"]["code"] == "preview_read_only", name
        for student in ("amina", STAFF):
            lms_draft = draft_of(workbench.block(usage, student))
            html = lms_draft.render("student_view", {"preview": "1", "show_title": True}).content
            assert "2031" in html and "data-blended-preview" in html and "Sign in" not in html
        for name in ("register", "cancel", "check_in", "get_state", "roster", "set_attendance", "checkin_code"):
            result = workbench.call(usage, name, BODIES.get(name, {}), student="amina", query="preview=1")
            assert result.status == 409 and result.error_code == "preview_read_only", name
            assert workbench.call(usage, name, {}, student=STAFF, query="preview=1").error_code == "preview_read_only"
        for name in ("calendar", "export_roster"):
            result = workbench.call(usage, name, method="GET", student=STAFF, query="preview=1")
            assert result.error_code == "preview_read_only", name
    assert everything() == before
    assert mail.outbox == []


@pytest.mark.parametrize("block_type", sorted(BLOCKS))
def test_every_writing_handler_refuses_a_preview(workbench, block_type):
    usage = workbench.load(BLOCKS[block_type])
    before = everything()
    block = studio_preview(workbench, usage)
    for name in handler_names(block_type):
        if getattr(getattr(type(block), name), "preview_safe", False):
            continue
        for target, query in ((block, ""), (workbench.block(usage, STAFF), "preview=1")):
            answers = [call(target, name, query=query, method=method) for method in ("POST", "GET")]
            assert {status for status, _ in answers} <= {405, 409}, (name, answers)
            assert {body["error"]["code"] for status, body in answers if status == 409} == {"preview_read_only"}, name
    html = block.render("student_view", {}).content
    assert "data-blended-preview" in html and "Sign in to" not in html
    assert everything() == before


def test_a_supervisor_request_from_preview_mails_nobody(workbench):
    """Studio's handler URLs are relative /preview/xblock/… links: a mail sent from there is useless."""
    usage = workbench.load(BLOCKS["blended_supervisor_agreement"])
    status, body = call(studio_preview(workbench, usage), "request_approval")
    assert status == 409 and body["error"]["code"] == "preview_read_only"
    assert mail.outbox == []


@pytest.mark.parametrize("block_type", sorted(BLOCKS))
def test_author_view_summarises_settings_without_the_database(workbench, block_type):
    usage = workbench.load(BLOCKS[block_type])
    block = studio_preview(workbench, usage)
    block.display_name = '<script>alert("x")</script> Title'
    assert type(block).has_author_view is True
    with CaptureQueriesContext(connection) as queries:
        html = block.render("author_view", {}).content
    # The workbench keeps the block's own fields in a table; the platform keeps them in the modulestore.
    assert [query["sql"] for query in queries if "workbench_xblockstate" not in query["sql"] and "SAVEPOINT" not in query["sql"]] == []
    assert "<script>alert" not in html and "&lt;script&gt;" in html
    assert "blended-author-settings" in html


def test_author_view_shows_the_webinar_schedule_and_capacity_translated(workbench):
    usage = workbench.load(webinar(capacity="12", languages="en ar"))
    block = studio_preview(workbench, usage)
    with translation.override("fr"):
        html = block.render("author_view", {}).content
    assert "12" in html and "Africa/Dakar" in html and "en ar" in html
    assert block.fields["capacity"].display_name not in html  # labels are translated (French here)


def test_studio_editor_saves_are_still_allowed_in_the_preview_runtime(workbench):
    usage = workbench.load(BLOCKS["blended_experience_sharing"])
    block = workbench.block(usage, STAFF)
    block.runtime.is_author_mode = True
    status, body = call(block, "submit_studio_edits", data={"values": {"min_posts": 2}, "defaults": []})
    assert status == 200, body
