"""The progress block's Studio editor, hosted as Open edX hosts it: authors list the course's blocks
to pick from (only those that fit a requirement's kind), and what they pick is saved, refused when
it cannot work, and exported in the OLX as picked."""
import json

import pytest

from blended_xblocks.progress import studio
from tests.harness import programme

WEBINARS = ["blended_webinar/w1", "blended_webinar/w2"]


@pytest.fixture
def modules(course):
    """A chapter with a subsection, a unit and a problem, as Studio's outline has them."""
    keys = course.course_key
    for block_type, url_name, title in [("chapter", "m", "Module 1"), ("sequential", "final-test", "Final test"),
                                        ("vertical", "unit-1", "Unit 1"), ("problem", "q1", "Question 1"),
                                        ("html", "intro", "Introduction"), ("course", "course", "The course")]:
        course.store.add(keys.make_usage_key(block_type, url_name), title)
    return course


def listed(answer):
    return {block["block"]: block for block in answer.json["blocks"]}


def test_an_author_lists_the_course_blocks_with_the_kinds_each_fits(modules):
    key = programme(modules)
    editor = modules.studio_editor(modules.person("instructor", "Joy Paone"))
    answer = editor.call(key, "course_blocks", {})
    assert answer.status == 200, answer.body
    blocks = listed(answer)
    assert blocks["blended_webinar/w1"] == {"block": "blended_webinar/w1", "type": "blended_webinar",
                                            "title": "Webinar 1", "kinds": ["completion", "score", "attendance"]}
    assert blocks["blended_supervisor_agreement/agreement"]["kinds"] == ["completion", "score", "approval"]
    assert blocks["sequential/final-test"]["kinds"] == ["completion", "score"]
    assert blocks["html/intro"]["kinds"] == ["completion"]
    assert blocks["chapter/m"]["kinds"] == ["completion", "score"]
    assert "course/course" not in blocks and "blended_progress/programme" not in blocks  # not something a learner does
    assert [block["type"] for block in answer.json["blocks"]][:3] == ["chapter", "sequential", "vertical"]
    assert (answer.json["total"], answer.json["truncated"]) == (len(blocks), False)

    attendance = editor.call(key, "course_blocks", {"kind": "attendance"})
    assert [block["block"] for block in attendance.json["blocks"]] == WEBINARS


def test_the_list_is_read_once_from_the_store_without_a_database_query(modules, django_assert_max_num_queries):
    key = programme(modules)
    editor = modules.studio_editor(modules.person("instructor"))
    calls = modules.store.get_items_calls
    with django_assert_max_num_queries(0):
        assert editor.call(key, "course_blocks", {}).status == 200
    assert modules.store.get_items_calls == calls + 1


def test_a_large_course_is_cut_and_says_so(modules, monkeypatch):
    monkeypatch.setattr(studio, "MAX_PICKABLE_BLOCKS", 3)
    key = programme(modules)
    answer = modules.studio_editor(modules.person("instructor")).call(key, "course_blocks", {})
    assert len(answer.json["blocks"]) == 3 and answer.json["truncated"] is True
    assert answer.json["total"] == 8 and answer.json["limit"] == 3


def test_only_authors_may_list_and_junk_is_refused(modules):
    key = programme(modules)
    assert modules.studio_editor(modules.person("stranger"), can_write=False).call(key, "course_blocks", {}).status == 403
    amina = modules.person("amina", "Amina Diallo")
    learner = modules.lms(amina).call(key, "course_blocks", {})
    assert (learner.status, learner.json["error"]["code"]) == (403, "staff_only")
    editor = modules.studio_editor(modules.person("instructor"))
    for body, code in [({"kind": "magic"}, "invalid_choice"), ({"types": ["x"]}, "unknown_field"),
                       ([], "invalid_json")]:
        answer = editor.call(key, "course_blocks", body=json.dumps(body).encode())
        assert (answer.status, answer.json["error"]["code"]) == (400, code)
    assert editor.call(key, "course_blocks", method="GET").status == 405


def test_studio_preview_may_list_the_blocks(modules):
    """The editor's list writes nothing, so Studio's preview handler allows it (as it allows the save)."""
    key = programme(modules)
    assert modules.studio_preview(modules.person("instructor")).call(key, "course_blocks", {}).status == 200


def test_a_store_that_fails_is_a_503_the_editor_can_fall_back_from(modules, monkeypatch):
    key = programme(modules)

    def broken(*args, **kwargs):
        raise RuntimeError("mongo is down")

    monkeypatch.setattr(modules.store, "get_items", broken)
    answer = modules.studio_editor(modules.person("instructor")).call(key, "course_blocks", {})
    assert (answer.status, answer.json["error"]["code"]) == (503, "blocks_unavailable")


def test_picked_blocks_round_trip_through_the_save_and_the_olx_export(modules):
    key = programme(modules)
    learner = modules.lms(modules.person("amina"))
    before = learner.render(key)  # the programme as imported, parsed and kept
    assert "Supervisor agreement" in before and "Live sessions" not in before
    editor = modules.studio_editor(modules.person("instructor"))
    offered = listed(editor.call(key, "course_blocks", {"kind": "attendance"}))
    picked = list(reversed(offered))  # the author moved Webinar 2 above Webinar 1
    requirements = [{"id": "live", "label": "Live sessions", "kind": "attendance", "blocks": picked, "min": "1"},
                    {"id": "test", "label": "Final test", "kind": "score", "blocks": ["sequential/final-test"],
                     "min_score": "0.7"}]
    assert editor.call(key, "submit_studio_edits", {"values": {"requirements": requirements}}).status == 200
    saved = modules.load(key, editor.runtime(), None)
    assert saved.requirements[0]["blocks"] == ["blended_webinar/w2", "blended_webinar/w1"]
    exported = modules.export_olx(key)
    assert ('<requirement id="live" label="Live sessions" kind="attendance" '
            'blocks="blended_webinar/w2 blended_webinar/w1" min="1"/>') in exported
    assert '<requirement id="test" label="Final test" kind="score" blocks="sequential/final-test" min_score="0.7"/>' \
        in exported
    preview = modules.studio_preview(modules.person("instructor")).render(key)
    assert "Live sessions" in preview and "blended_webinar/w2 blended_webinar/w1" in preview
    after = learner.render(key)  # the learner's page follows the published programme at once
    assert "Live sessions" in after and "Final test" in after and "Supervisor agreement" not in after


@pytest.mark.parametrize(("change", "message"), [
    ({"kind": "score", "blocks": ["html/intro"]}, "A score requirement cannot use html/intro."),
    ({"kind": "approval", "blocks": WEBINARS}, "A approval requirement cannot use blended_webinar/w1."),
    ({"kind": "completion", "blocks": ["course/course"]}, "A completion requirement cannot use course/course."),
    ({"blocks": ["blended_webinar/w1", "blended_webinar/w9"]}, "The course has no block blended_webinar/w9."),
    ({"min": "3"}, "“min” must be between 1 and 2."),
    ({"min": "0"}, "“min” must be between 1 and 2."),
])
def test_the_save_refuses_what_the_picker_would_not_offer_and_keeps_the_programme(modules, change, message):
    key = programme(modules)
    editor = modules.studio_editor(modules.person("instructor"))
    before = modules.load(key, editor.runtime(), None).requirements
    requirement = {"id": "live", "label": "Live", "kind": "attendance", "blocks": WEBINARS, "min": "1", **change}
    answer = editor.call(key, "submit_studio_edits", {"values": {"requirements": [requirement]}})
    assert (answer.status, answer.json["error"]["code"]) == (400, "invalid_settings")
    assert message in answer.json["error"]["message"]
    assert modules.load(key, editor.runtime(), None).requirements == before


def test_the_studio_editor_renders_the_picker_in_arabic_right_to_left(modules):
    key = programme(modules)
    html = modules.studio_editor(modules.person("instructor")).render(key, language="ar")
    assert 'dir="rtl"' in html and "data-pg-picker" in html and "data-pg-typed" in html
