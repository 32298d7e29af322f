"""The progress block's Studio editor in a real browser: an author adds a requirement by picking
two webinars of the course from a list (no names typed), orders them, asks for 1 of 2, saves,
and learners see the new requirement; the server's refusals show next to the form; axe finds
nothing to fix, in English and in Arabic."""
from playwright.sync_api import expect

from tests.browser.conftest import run_axe

SCENARIO = "/scenario/blended.70-cmi-training-of-trainers/"
EDITOR = ".bpg-studio"


def open_studio(new_page, demo, language="en"):
    page = new_page(language=language)
    page.goto(f"{demo}{SCENARIO}studio_view/?student=instructor&lang={language}")
    expect(page.locator(EDITOR).locator("[data-pg-picked] li code").first).to_have_text("blended_webinar/cmi-tot-1")
    return page


def test_author_picks_two_webinars_for_a_new_requirement_and_learners_see_it(demo, new_page):
    studio = open_studio(new_page, demo)
    editor = studio.locator(EDITOR)
    first = editor.get_by_role("group", name="Requirement 1")
    expect(first.locator("[data-pg-picked] li")).to_have_count(5)  # the five sessions, titled from the course
    expect(first.locator("[data-pg-picked] li").first).to_contain_text("Session 1: Freelancing")
    assert run_axe(studio, EDITOR) == []

    editor.get_by_role("button", name="Add a requirement").click()
    expect(editor.get_by_label("Identifier").last).to_be_focused()
    added = editor.get_by_role("group", name="Requirement 2")
    added.get_by_label("Identifier").fill("follow-up")
    added.get_by_label("Label").fill("Follow-up sessions")
    added.get_by_label("Kind").select_option(label="Attendance")
    added.get_by_text("Choose blocks").click()
    expect(added.get_by_role("checkbox", name="Session 4")).to_be_visible()
    expect(added.get_by_role("checkbox", name="Online course and test")).to_have_count(0)  # not a webinar
    added.get_by_label("Show only titles containing").fill("Session")
    added.get_by_role("checkbox", name="Session 5").check()
    added.get_by_role("checkbox", name="Session 4").press("Space")  # the keyboard picks too
    picked = added.locator("[data-pg-picked] li")
    expect(picked).to_have_count(2)
    expect(picked.first).to_contain_text("Session 5")
    added.get_by_role("button", name="Move up: Session 4").press("Enter")  # Session 4 first
    expect(picked.first).to_contain_text("Session 4")
    expect(added.get_by_text("Blocks chosen: 2")).to_be_visible()
    added.get_by_label("How many must be met").fill("1")
    assert run_axe(studio, EDITOR) == []
    editor.get_by_role("button", name="Save", exact=True).click()
    expect(editor.locator("[data-blended-status]")).to_have_text("Saved.")

    learner = new_page()
    learner.goto(f"{demo}{SCENARIO}?student=leila")
    requirement = learner.locator(".bpg-requirement", has_text="Follow-up sessions")
    expect(requirement).to_contain_text("0 of 1 webinar attended")
    again = open_studio(new_page, demo)
    saved = again.locator(EDITOR).get_by_role("group", name="Requirement 2").locator("[data-pg-picked] li")
    expect(saved.first).to_contain_text("blended_webinar/cmi-tot-4")
    expect(saved.nth(1)).to_contain_text("blended_webinar/cmi-tot-5")


def test_an_impossible_min_is_refused_and_nothing_is_saved(demo, new_page):
    studio = open_studio(new_page, demo)
    editor = studio.locator(EDITOR)
    first = editor.get_by_role("group", name="Requirement 1")
    first.get_by_role("button", name="Remove: Session 5").click()
    first.get_by_label("How many must be met").fill("5")
    editor.get_by_role("button", name="Save", exact=True).click()
    status = editor.locator("[data-blended-status]")
    expect(status).to_contain_text("“min” must be between 1 and 4.")
    learner = new_page()
    learner.goto(f"{demo}{SCENARIO}?student=leila")
    expect(learner.locator(".bpg-requirement").first).to_contain_text("of 5 webinars attended")


def test_arabic_editor_is_right_to_left_and_accessible(demo, new_page):
    studio = open_studio(new_page, demo, language="ar")
    editor = studio.locator(EDITOR)
    expect(editor).to_have_attribute("dir", "rtl")
    expect(editor.locator("[data-pg-picked] li").first).to_contain_text("Session 1")
    editor.locator("[data-pg-picker] summary").first.click()
    expect(editor.locator("[data-pg-choices] input[type=checkbox]").first).to_be_visible()
    assert run_axe(studio, EDITOR) == []


def test_when_the_course_cannot_be_listed_blocks_are_named_instead(demo, new_page, monkeypatch):
    from blended_xblocks.demo.runtime import DemoRuntime

    def broken(self, block):
        raise RuntimeError("the store is down")

    monkeypatch.setattr(DemoRuntime, "course_blocks", broken)
    page = new_page()
    page.goto(f"{demo}{SCENARIO}studio_view/?student=instructor")
    editor = page.locator(EDITOR)
    expect(editor.locator("[data-pg-course-note]")).to_have_text(
        "The course's blocks could not be listed: name them as type/url_name.")
    typed = editor.get_by_role("group", name="Requirement 1").get_by_label("Blocks as type/url_name")
    expect(typed).to_have_value(" ".join(f"blended_webinar/cmi-tot-{n}" for n in range(1, 6)))
    typed.fill("blended_webinar/cmi-tot-1 blended_webinar/cmi-tot-2")
    editor.get_by_role("button", name="Save", exact=True).click()
    expect(editor.locator("[data-blended-status]")).to_have_text("Saved.")
    assert run_axe(page, EDITOR) == []
    learner = new_page()
    learner.goto(f"{demo}{SCENARIO}?student=leila")
    expect(learner.locator(".bpg-requirement").first).to_contain_text("2 of 2 webinars attended")
