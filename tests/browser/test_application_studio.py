"""The call's Studio editor in a real browser: an author adds a question, moves it up, saves, and a
learner then sees it on the form; a bad value is refused next to the form; axe finds nothing to fix,
in English and in Arabic."""
from playwright.sync_api import expect

from tests.browser.conftest import run_axe

SCENARIO = "/scenario/blended.50-iom-call/"
EDITOR = ".bap-studio"


def open_studio(new_page, demo, language="en", questions=5):
    page = new_page(language=language)
    page.goto(f"{demo}{SCENARIO}studio_view/?student=instructor&lang={language}")
    expect(page.locator(EDITOR).locator('[data-ap-list="questions"] > li')).to_have_count(questions)
    return page


def test_author_adds_a_question_and_a_learner_sees_it(demo, new_page):
    studio = open_studio(new_page, demo)
    editor = studio.locator(EDITOR)
    assert run_axe(studio, EDITOR) == []
    editor.get_by_role("button", name="Add a question").click()
    added = editor.get_by_role("group", name="Question 6")
    expect(added.get_by_label("Identifier")).to_be_focused()
    added.get_by_label("Identifier").fill("languages")
    added.get_by_label("Kind").select_option(label="Choice")
    expect(added.get_by_label("Most characters")).to_be_hidden()
    added.get_by_label("Question", exact=True).fill("Your working language")
    added.get_by_label("Choices, one a line").fill("fr = French\nar = Arabic")
    added.get_by_label("Required").check()
    added.get_by_role("button", name="Move up: question 6").click()
    expect(editor.get_by_role("group", name="Question 5").get_by_label("Identifier")).to_have_value("languages")
    assert run_axe(studio, EDITOR) == []
    editor.get_by_role("button", name="Save", exact=True).click()
    expect(editor.locator("[data-blended-status]")).to_have_text("Saved.")

    learner = new_page()
    learner.goto(f"{demo}{SCENARIO}?student=zainab")
    question = learner.locator('.bap-block [data-ap-question="languages"]')
    expect(question).to_contain_text("Your working language")
    expect(question.get_by_label("Arabic")).to_be_visible()
    again = open_studio(new_page, demo, questions=6)
    expect(again.locator(EDITOR).get_by_role("group", name="Question 5").get_by_label("Choices, one a line")).to_have_value(
        "fr = French\nar = Arabic")


def test_a_bad_value_is_refused_next_to_the_form_and_nothing_is_saved(demo, new_page):
    studio = open_studio(new_page, demo)
    editor = studio.locator(EDITOR)
    number = editor.get_by_role("group", name="Question 2")
    number.get_by_label("Smallest number").fill("10")
    number.get_by_label("Largest number").fill("5")
    editor.get_by_role("button", name="Save", exact=True).click()
    expect(editor.locator("[data-blended-status]")).to_contain_text("“questions[2].max”")
    again = open_studio(new_page, demo)
    expect(again.locator(EDITOR).get_by_role("group", name="Question 2").get_by_label("Largest number")).to_have_value("60")


def test_arabic_editor_is_right_to_left_and_accessible(demo, new_page):
    studio = open_studio(new_page, demo, language="ar")
    editor = studio.locator(EDITOR)
    expect(editor).to_have_attribute("dir", "rtl")
    expect(editor.locator("[data-ap-legend]").first).to_have_text("السؤال 1")
    assert run_axe(studio, EDITOR) == []
