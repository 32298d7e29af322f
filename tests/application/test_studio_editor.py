"""The call's Studio editor, hosted as Open edX hosts it: authors edit the settings, questions and
criteria in a form; the save checks everything, names the field it refuses and half-saves nothing;
a question that applications answered cannot be removed or change its kind."""
import pytest
from lxml import etree

from tests.harness import GOOD_ANSWERS as GOOD
from tests.harness import application_call as call


def editor_of(openedx):
    return openedx.studio_editor(openedx.person("instructor", "Joy Paone"))


def saved(openedx, key):
    editor = editor_of(openedx)
    return openedx.load(key, editor.runtime(), None)


def form_of(page: str) -> str:
    """The applicant's form, without the state the page also carries as JSON for its script."""
    return page.split("data-ap-form", 1)[1].split("</form>", 1)[0]


QUESTIONS = [
    {"id": "role", "kind": "choice", "label": "Your organisation type", "required": True,
     "choices": [{"value": "ngo", "label": "Local NGO"}, {"value": "un", "label": "UN agency"}]},
    {"id": "languages", "kind": "text", "label": "Which languages do you work in?", "required": True, "max_length": 500},
    {"id": "experience", "kind": "number", "label": "Years of work", "required": True, "min": 1, "max": 40},
    {"id": "eligible", "kind": "yes_no", "label": "I can take part in May", "required": True, "must_be": "yes"},
    {"id": "cv", "kind": "file", "label": "CV", "required": False, "types": "pdf, .DOCX", "max_mb": 3},
    {"id": "motivation", "kind": "text", "label": "Why?", "required": True, "max_length": 3000},
]


def test_an_author_edits_settings_questions_and_criteria_and_the_olx_keeps_them(openedx):
    key = openedx.import_olx(call())
    assert "UN agency" not in form_of(openedx.lms(openedx.person("amina")).render(key))  # the form before, kept
    editor = editor_of(openedx)
    html = editor.render(key, view="studio_view")
    assert "data-ap-studio" in html and "Years of work in reintegration" in html  # the questions, as JSON for the form
    values = {"display_name": "Apply for the 2023 training", "deadline": "2030-04-15T23:59", "opens": "2030-03-15T09:00",
              "timezone": "Africa/Dakar", "places": 12, "waitlist": False, "offer_days": 5, "cohort": "Selected 2023",
              "agreement": "blended_supervisor_agreement/agreement", "agreement_required": True,
              "description": "<p>Who may apply</p>", "questions": QUESTIONS,
              "criteria": [{"id": "plan", "label": "Plan", "points": 10}, {"id": "exp", "label": "Experience", "points": 5}]}
    answer = editor.call(key, "submit_studio_edits", {"values": values, "defaults": []})
    assert answer.status == 200, answer.body
    block = saved(openedx, key)
    assert [q["id"] for q in block.questions] == ["role", "languages", "experience", "eligible", "cv", "motivation"]
    assert block.questions[4]["types"] == "pdf docx" and block.questions[3]["must_be"] == "yes"
    assert (block.places, block.waitlist, block.offer_days, block.timezone) == (12, False, 5, "Africa/Dakar")
    node = etree.fromstring(openedx.export_olx(key))
    assert [q.get("id") for q in node.findall("question")][:2] == ["role", "languages"]
    assert [(c.get("id"), c.get("points")) for c in node.findall("criterion")] == [("plan", "10"), ("exp", "5")]
    assert node.get("cohort") == "Selected 2023" and node.get("agreement_required") == "true"
    lms = form_of(openedx.lms(openedx.person("amina")).render(key))
    assert "Which languages do you work in?" in lms and "UN agency" in lms


@pytest.mark.parametrize(("values", "field"), [
    ({"display_name": "  "}, "display_name"),
    ({"places": -1}, "places"),
    ({"places": True}, "places"),
    ({"offer_days": "many"}, "offer_days"),
    ({"opens": "2030-05-01T00:00", "deadline": "2030-04-01T00:00"}, "deadline"),
    ({"agreement": "html/intro"}, "agreement"),
    ({"agreement": "", "agreement_required": True}, "agreement_required"),
    ({"waitlist": "perhaps"}, "waitlist"),
    ({"questions": [{**QUESTIONS[0], "kind": "essay"}]}, "questions[1].kind"),
    ({"questions": [QUESTIONS[1], {**QUESTIONS[1], "label": "Again"}]}, "questions[2].id"),
    ({"questions": [{**QUESTIONS[1], "id": "1st"}]}, "questions[1].id"),
    ({"questions": [{**QUESTIONS[0], "choices": []}]}, "questions[1].choices"),
    ({"questions": [{**QUESTIONS[0], "choices": [{"value": "a", "label": "A"}, {"value": "a", "label": "B"}]}]},
     "questions[1].choices[2].value"),
    ({"questions": [{**QUESTIONS[0], "must_be": "ministry"}]}, "questions[1].must_be"),
    ({"questions": [{**QUESTIONS[2], "min": 10, "max": 5}]}, "questions[1].max"),
    ({"questions": [{**QUESTIONS[1], "max_length": 0}]}, "questions[1].max_length"),
    ({"questions": [{**QUESTIONS[4], "types": "p/df"}]}, "questions[1].types"),
    ({"questions": [{**QUESTIONS[4], "max_mb": 500}]}, "questions[1].max_mb"),
    ({"questions": [{**QUESTIONS[1], "label": ""}]}, "questions[1].label"),
    ({"questions": "role"}, "questions"),
    ({"criteria": [{"id": "exp", "label": "Experience", "points": 0}]}, "criteria[1].points"),
    ({"criteria": [{"id": "role", "label": "Clash with a question", "points": 5}]}, "criteria[1].id"),
])
def test_a_bad_value_is_refused_naming_the_field_and_nothing_is_saved(openedx, values, field):
    key = openedx.import_olx(call())
    before = saved(openedx, key)
    snapshot = (before.display_name, before.places, list(before.questions), list(before.criteria), before.deadline)
    good = {"display_name": "Changed too", "places": 3}
    answer = editor_of(openedx).call(key, "submit_studio_edits", {"values": {**good, **values}})
    assert (answer.status, answer.json["error"]["code"]) == (400, "invalid_settings"), answer.body
    assert f"“{field}”" in answer.json["error"]["message"]
    after = saved(openedx, key)
    assert (after.display_name, after.places, list(after.questions), list(after.criteria), after.deadline) == snapshot


@pytest.mark.parametrize(("values", "code", "field"), [
    ({"timezone": "Mars/Olympus"}, "invalid_timezone", "timezone"),
    ({"deadline": "15 April"}, "invalid_time", "deadline"),
    ({"timezone": "Europe/Paris", "opens": "2030-03-31T02:30"}, "nonexistent_time", "opens"),  # clocks skip 02:00-03:00
])
def test_a_time_it_cannot_use_is_refused_with_the_code_every_block_answers(openedx, values, code, field):
    key = openedx.import_olx(call())
    before = saved(openedx, key)
    snapshot = (before.display_name, before.timezone, before.opens, before.deadline)
    answer = editor_of(openedx).call(key, "submit_studio_edits", {"values": {"display_name": "Changed too", **values}})
    assert (answer.status, answer.json["error"]["code"]) == (400, code), answer.body
    assert f"“{field}”" in answer.json["error"]["message"]
    after = saved(openedx, key)
    assert (after.display_name, after.timezone, after.opens, after.deadline) == snapshot


def test_answered_questions_cannot_be_removed_or_change_kind_but_may_be_relabelled(openedx):
    key = openedx.import_olx(call())
    assert openedx.lms(openedx.person("amina")).call(key, "save_draft", {"answers": {"role": "ngo"}, "version": 0}).status == 200
    editor = editor_of(openedx)
    questions = list(saved(openedx, key).questions)
    removed = editor.call(key, "submit_studio_edits", {"values": {"questions": questions[1:], "places": 9}})
    assert (removed.status, removed.json["error"]["code"]) == (409, "question_answered")
    assert "“role”" in removed.json["error"]["message"] and saved(openedx, key).places == 2
    as_text = [{**questions[0], "kind": "text", "max_length": 100}, *questions[1:]]
    changed = editor.call(key, "submit_studio_edits", {"values": {"questions": as_text}})
    assert (changed.status, changed.json["error"]["code"]) == (409, "question_answered")
    # Unanswered questions may go; answered ones may be relabelled and moved.
    kept = [questions[3], {**questions[0], "label": "Organisation"}]
    assert editor.call(key, "submit_studio_edits", {"values": {"questions": kept}}).status == 200
    assert [q["id"] for q in saved(openedx, key).questions] == ["motivation", "role"]


def test_only_authors_may_open_and_save_the_editor(openedx):
    key = openedx.import_olx(call())
    learner = openedx.lms(openedx.person("amina")).call(key, "submit_studio_edits", {"values": {"places": 100}})
    assert (learner.status, learner.json["error"]["code"]) == (403, "staff_only")
    stranger = openedx.studio_editor(openedx.person("stranger"), can_write=False)
    assert stranger.call(key, "submit_studio_edits", {"values": {"places": 100}}).status == 403
    assert saved(openedx, key).places == 2
    assert openedx.studio_preview(openedx.person("instructor")).call(
        key, "submit_studio_edits", {"values": {"places": 5}}).status == 200
    for body in ({"values": []}, {"values": {"seats": 3}}, {"values": {}, "defaults": "x"}):
        assert editor_of(openedx).call(key, "submit_studio_edits", body).status == 400


def test_the_editor_is_right_to_left_in_arabic(openedx):
    key = openedx.import_olx(call())
    html = editor_of(openedx).render(key, view="studio_view", language="ar")
    assert 'dir="rtl"' in html and "data-ap-list" in html


def test_applicants_answer_the_questions_the_author_added(openedx):
    key = openedx.import_olx(call())
    questions = [*saved(openedx, key).questions, QUESTIONS[1]]
    assert editor_of(openedx).call(key, "submit_studio_edits", {"values": {"questions": questions}}).status == 200
    lms = openedx.lms(openedx.person("amina"))
    missing = lms.call(key, "submit", {"answers": GOOD, "version": 0})
    assert missing.status == 400 and "“answers.languages”" in missing.json["error"]["message"]
    assert lms.call(key, "submit", {"answers": {**GOOD, "languages": "French, Hausa"}, "version": 0}).status == 200


def test_the_form_follows_each_pages_language_and_escapes_the_authors_labels(openedx):
    """The questions' form is kept per process for each set of questions and language (ADR 0012):
    an Arabic page between two English ones gets its own; the author's labels stay text."""
    key = openedx.import_olx(call())
    questions = [{**QUESTIONS[3], "label": "<script>alert(1)</script> & May"}]
    assert editor_of(openedx).call(key, "submit_studio_edits", {"values": {"questions": questions}}).status == 200
    lms = openedx.lms(openedx.person("amina"))
    for language, yes in (("en", "> Yes</label>"), ("ar", "> نعم</label>"), ("en", "> Yes</label>")):
        form = form_of(lms.render(key, language=language))
        assert yes in form and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; May" in form and "<script>" not in form
