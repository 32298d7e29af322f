"""What the pages contain: escaped text, the prompt's safe HTML, Arabic right to left, the right view."""
import html
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from blended_xblocks.core.html import PROMPT, sanitise
from blended_xblocks.xblock import base
from tests.harness import GROUP_ASSIGNMENT as OLX
from tests.harness import STAFF, grade_body, submit_with_file


def test_learner_page_shows_prompt_rubric_and_deadline(workbench):
    usage = workbench.load(OLX)
    html = workbench.render(usage, "amina")
    assert "Group assignment 1: Community reintegration plan" in html
    assert "<strong>community-level</strong>" in html and "Context analysis" in html
    assert "How this is graded (10 points)" in html and "data-due-text" in html
    assert "BlendedGroupAssignment" in html and "BlendedGroupAssignmentStaff" not in html


def test_instructor_gets_the_grading_view(workbench):
    html = workbench.render(workbench.load(OLX), STAFF)
    assert "BlendedGroupAssignmentStaff" in html and "Release all grades" in html


def test_prompt_keeps_formatting_but_never_scripts():
    cleaned = sanitise('<p onclick="x()">Plan <script>alert(1)</script><a href="javascript:x">a</a>'
                               '<a href="https://iom.int">IOM</a></p>', PROMPT)
    assert "<script" not in cleaned and "onclick" not in cleaned and "javascript:" not in cleaned
    assert '<a href="https://iom.int" rel="noopener noreferrer">IOM</a>' in cleaned and "<p>" in cleaned


def test_prompt_drops_the_content_of_styles_and_scripts_with_their_tags():
    cleaned = sanitise('<p>Plan</p><style>.bga { color: red }</style><STYLE type="text/css">p{x:1}</STYLE>'
                               '<script>var secret = 1;</script><template><p>hidden</p></template><style/><p>End<br/></p>', PROMPT)
    assert cleaned == "<p>Plan</p><p>End<br></p>"


def test_author_text_is_escaped(workbench):
    usage = workbench.load('<blended_group_assignment display_name="&lt;img src=x onerror=alert(1)&gt;"/>')
    html = workbench.render(usage, "amina")
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html


def test_arabic_page_is_right_to_left_and_translated(workbench):
    html = workbench.render(workbench.load(OLX), "amina", language="ar")
    assert 'dir="rtl"' in html and 'lang="ar"' in html
    assert "Save draft" not in html


def test_the_rubric_and_labels_follow_each_pages_language_in_one_process(workbench):
    """Translated labels and the rendered rubric are kept per process (ADR 0012): by language, so an
    Arabic page between two English ones gets Arabic, and the English one after it English again."""
    usage = workbench.load(OLX)
    for language, wanted, unwanted in (("en", ("Criterion", "4 points", "Save draft"), ("المعيار",)),
                                       ("ar", ("المعيار", "4 نقطة", "حفظ المسودة"), ("Criterion", "Save draft")),
                                       ("en", ("Criterion", "4 points", "Save draft"), ("المعيار", "نقطة"))):
        page = workbench.render(usage, "amina", language=language).split('type="application/json"', 1)[0]
        assert all(text in page for text in wanted) and not any(text in page for text in unwanted), language


@pytest.mark.parametrize("kept", [True, False], ids=["kept", "too large to keep"])
def test_the_authors_rubric_is_escaped_on_the_learners_page(workbench, monkeypatch, kept):
    if not kept:  # a rubric past the size `render_authored` keeps is rendered on every page, the same way
        monkeypatch.setattr(base, "LARGEST_KEPT_CONTENT", 10)
    usage = workbench.load(
        '<blended_group_assignment display_name="Plan"><rubric>'
        '<criterion name="x" label="&lt;script&gt;alert(1)&lt;/script&gt; &amp; more"><level points="1" '
        'label="&quot;&gt;&lt;b&gt;bold"/></criterion></rubric></blended_group_assignment>')
    page = workbench.render(usage, "amina")
    assert "<script>alert" not in page and "<b>bold" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in page and "&quot;&gt;&lt;b&gt;bold: 1 points" in page


def test_studio_editor_saves_valid_settings_and_refuses_broken_rubrics(workbench):
    usage = workbench.load(OLX)
    assert "Rubric" in workbench.render(usage, STAFF, view="studio_view")
    bad = workbench.call(usage, "submit_studio_edits", {"values": {"rubric": [{"name": "Bad Name", "levels": []}]},
                                                        "defaults": []}, student=STAFF)
    assert bad.status == 400
    assert workbench.block(usage).rubric[0]["name"] == "analysis"
    good = workbench.call(usage, "submit_studio_edits", {"values": {
        "display_name": "Assignment 2", "timezone": "Africa/Dakar", "assignment_due": "2022-06-24T18:00",
        "rubric": [{"name": "indicators", "label": "Indicators", "levels": [{"points": 0, "label": "None"},
                                                                             {"points": 5, "label": "SMART"}]}]},
        "defaults": []}, student=STAFF)
    assert good.status == 200
    block = workbench.block(usage)
    assert block.max_score() == 5 and block.display_name == "Assignment 2"


def test_studio_save_refuses_malformed_bodies(workbench):
    usage = workbench.load(OLX)
    for body in (b"{nope", b"[]", b'{"values": {"max_files": "many"}, "defaults": []}', b'{"values": {"evil": 1}}'):
        result = workbench.call(usage, "submit_studio_edits", body=body, student=STAFF)
        assert result.status == 400, body
    assert workbench.block(usage).max_files == 5


def test_errors_and_pages_are_translated(workbench):
    usage = workbench.load(OLX)
    workbench.call(usage, "save_draft", {"text": "a", "version": 0}, student="amina")
    stale = workbench.call(usage, "save_draft", {"text": "b", "version": 0}, student="yusuf", language="fr")
    assert stale.json["error"]["message"].startswith("Un membre de votre groupe a enregistré une version plus récente")
    assert "Comment ce travail est noté (10 points)" in workbench.render(usage, "amina", language="fr")
    assert "Cómo se califica (10 puntos)" in workbench.render(usage, "amina", language="es")
    assert "حفظ المسودة" in workbench.render(usage, "amina", language="ar")


def test_a_learners_page_reads_our_tables_five_times_and_shows_what_get_state_answers(workbench):
    """Issue 13: the learner's row, the mirrored settings, their group with its submission and the one
    counting for their grade, the members with the files, the history; whatever the group has done."""
    usage = workbench.load(OLX)
    workbench.call(usage, "get_state", student="yusuf")
    row = submit_with_file(workbench, usage)
    assert workbench.call(usage, "grade", grade_body(row), student=STAFF).status == 200
    assert workbench.call(usage, "release_grades", {}, student=STAFF).status == 200
    workbench.render(usage, "amina")
    with CaptureQueriesContext(connection) as queries:
        page = workbench.render(usage, "amina")
    ours = [query["sql"] for query in queries.captured_queries if "blended_xblocks_" in query["sql"]]
    assert len(ours) <= 5, "\n".join(sql[:200] for sql in ours)
    state = json.loads(html.unescape(re.search(r'data-bga-state="([^"]*)"', page).group(1)))
    assert state == workbench.call(usage, "get_state", student="amina").json
    assert state["group"]["members"] == ["Yusuf Abdi", "Amina Diallo"]  # in the order they joined
    assert [(f["name"], f["uploaded_by"]) for f in state["files"]] == [("plan.pdf", "Amina Diallo")]
    assert state["history"][0]["action"] == "graded" and state["result"]["points"] == 7


def test_a_learner_moved_after_the_grade_sees_it_on_the_page_beside_their_new_group(workbench):
    usage = workbench.load(OLX)
    row = submit_with_file(workbench, usage)
    workbench.call(usage, "grade", grade_body(row), student=STAFF)
    workbench.call(usage, "release_grades", {}, student=STAFF)
    horn = workbench.call(usage, "list_groups", {"query": "Horn"}, student=STAFF).json["groups"][0]["id"]
    assert workbench.call(usage, "assign_member", {"username": "amina", "group_id": horn}, student=STAFF).status == 200
    page = workbench.render(usage, "amina")
    state = json.loads(html.unescape(re.search(r'data-bga-state="([^"]*)"', page).group(1)))
    assert state == workbench.call(usage, "get_state", student="amina").json
    assert state["group"]["name"] == "Team Horn" and state["files"] == [] and state["result"]["points"] == 7
