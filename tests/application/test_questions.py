"""The call's questions and review criteria (application/questions.py), called directly: what an
author's OLX gives, what an applicant's answer is stored as or refused with, who is ineligible."""
import pytest
from lxml import etree

from blended_xblocks.application.questions import (
    add_questions_to_node,
    clean_answer,
    clean_answers,
    clean_scores,
    disqualifying,
    questions_from_node,
)
from blended_xblocks.core.errors import BadRequest
from tests.harness import GOOD_ANSWERS


def refused(call, *args, **kwargs):
    with pytest.raises(BadRequest) as error:
        call(*args, **kwargs)
    return error.value.code, error.value.params


def test_the_iom_call_reads_its_five_questions_and_two_criteria(call_node):
    questions, criteria, problems = questions_from_node(call_node)
    assert problems == []
    assert [(q["id"], q["kind"], q["required"]) for q in questions] == [
        ("role", "choice", True), ("experience", "number", True), ("eligible", "yes_no", True),
        ("motivation", "text", True), ("cv", "file", False)]
    assert questions[0]["choices"] == [{"value": "ngo", "label": "Local NGO"},
                                       {"value": "authority", "label": "National or local authority"}]
    assert (questions[1]["min"], questions[1]["max"], questions[2]["must_be"]) == (0, 60, "yes")
    assert (questions[3]["max_length"], questions[4]["types"], questions[4]["max_mb"]) == (3000, "pdf", 5)
    assert criteria == [{"id": "exp", "label": "Experience in reintegration", "points": 5},
                        {"id": "plan", "label": "Plan to use the training", "points": 5}]


def test_export_writes_back_what_import_read(call_node):
    questions, criteria, _ = questions_from_node(call_node)
    exported = etree.Element("blended_application")
    add_questions_to_node(exported, questions, criteria)
    assert questions_from_node(exported)[:2] == (questions, criteria)


def test_what_an_import_cannot_use_is_left_out_and_told_to_the_author():
    node = etree.fromstring("""<blended_application>
      <question id="1bad" kind="text" label="Bad id"/>
      <question id="role" kind="essay" label="Unknown kind"/>
      <question id="org" kind="choice" label="No choices"/>
      <question id="ok" kind="yes_no" must_be="maybe" label="  Spaced   label "/>
      <question id="ok" kind="text" label="Repeated"/>
      <criterion id="exp" points="500"/>
    </blended_application>""")
    questions, criteria, problems = questions_from_node(node)
    assert [problem.code for problem in problems] == [
        "invalid_id", "invalid_kind", "no_choices", "invalid_must_be", "invalid_id"]
    assert questions == [{"id": "ok", "kind": "yes_no", "label": "Spaced label", "required": False}]
    assert criteria == [{"id": "exp", "label": "exp", "points": 100}]  # points kept within 1..100


def test_answers_are_stored_in_their_plain_form(call_node):
    questions, _, _ = questions_from_node(call_node)
    by_id = {question["id"]: question for question in questions}
    assert clean_answer(by_id["experience"], 3.0) == 3 and clean_answer(by_id["experience"], 2.456) == 2.46
    assert clean_answer(by_id["motivation"], "  I run counselling.  ") == "I run counselling."
    assert clean_answer(by_id["motivation"], "   ") is None and clean_answer(by_id["role"], "") is None


@pytest.mark.parametrize("question_id, value, code", [
    ("experience", True, "invalid_answer"),
    ("experience", "3", "invalid_answer"),
    ("experience", float("nan"), "invalid_answer"),
    ("experience", 61, "out_of_range"),
    ("role", "company", "invalid_choice"),
    ("eligible", "oui", "invalid_choice"),
    ("motivation", "x" * 3001, "too_long"),
    ("motivation", "a\x00b", "invalid_answer"),
    ("cv", "cv.pdf", "invalid_answer"),
])
def test_a_wrong_answer_is_refused_naming_its_question(call_node, question_id, value, code):
    questions, _, _ = questions_from_node(call_node)
    question = next(q for q in questions if q["id"] == question_id)
    found, params = refused(clean_answer, question, value)
    assert found == code and params["field"] == f"answers.{question_id}"


def test_a_draft_may_leave_required_questions_empty_a_submission_may_not(call_node):
    questions, _, _ = questions_from_node(call_node)
    assert clean_answers(questions, {"role": "ngo"}, complete=False) == {"role": "ngo"}
    assert refused(clean_answers, questions, {"role": "ngo"}, complete=True) == ("required",
                                                                                  {"field": "answers.experience"})
    assert clean_answers(questions, GOOD_ANSWERS, complete=True) == GOOD_ANSWERS
    assert refused(clean_answers, questions, {"salary": 1}, complete=False) == ("unknown_field",
                                                                                {"field": "answers.salary"})


def test_a_required_file_counts_once_uploaded():
    questions = [{"id": "cv", "kind": "file", "label": "CV", "required": True, "types": "pdf", "max_mb": 5}]
    assert refused(clean_answers, questions, {}, complete=True)[0] == "required"
    assert clean_answers(questions, {}, complete=True, files={"cv"}) == {}


def test_an_answer_other_than_the_required_one_makes_the_applicant_ineligible(call_node):
    questions, _, _ = questions_from_node(call_node)
    assert disqualifying(questions, GOOD_ANSWERS) == []
    assert disqualifying(questions, GOOD_ANSWERS | {"eligible": "no"}) == ["eligible"]
    assert disqualifying(questions, {"role": "ngo"}) == []  # not answered yet: not ineligible


def test_a_reviewer_gives_whole_points_for_every_criterion(call_node):
    _, criteria, _ = questions_from_node(call_node)
    assert clean_scores(criteria, {"exp": 4, "plan": 0}) == {"exp": 4, "plan": 0}
    assert refused(clean_scores, criteria, {"exp": 4}) == ("required", {"field": "scores.plan"})
    assert refused(clean_scores, criteria, {"exp": 4, "plan": 6})[0] == "out_of_range"
    assert refused(clean_scores, criteria, {"exp": 4.5, "plan": 1})[0] == "invalid_field"
    assert refused(clean_scores, criteria, {"exp": True, "plan": 1})[0] == "invalid_field"
    assert refused(clean_scores, criteria, {"exp": 1, "plan": 1, "bonus": 2}) == ("unknown_field",
                                                                                   {"field": "scores.bonus"})
