"""The group assignment's Studio editor in a real browser: an author builds a rubric criterion with
the form (no JSON), saves, and learners and instructors see it; axe finds nothing to fix."""
from playwright.sync_api import expect

from tests.browser.conftest import run_axe

SCENARIO = "/scenario/blended.20-group-assignment-community-plan/"


def open_studio(new_page, demo, language="en"):
    page = new_page(language=language)
    page.goto(f"{demo}{SCENARIO}studio_view/?student=instructor&lang={language}")
    expect(page.locator(".bga-studio [data-bga-max]")).to_have_text("Maximum points: 10")
    return page


def test_author_adds_a_criterion_and_learners_see_it(demo, new_page):
    studio = open_studio(new_page, demo)
    assert run_axe(studio, ".bga-studio") == []
    studio.get_by_role("button", name="Add a criterion").click()
    label = studio.get_by_label("Criterion label").last
    expect(label).to_be_focused()
    label.fill("Budget realism")
    criterion = studio.get_by_role("group", name="Criterion 3")
    criterion.get_by_label("Level label").fill("Not costed")
    criterion.get_by_role("button", name="Add a level to criterion 3").click()
    second = criterion.get_by_role("group", name="Level 2")
    expect(second.get_by_label("Points")).to_have_value("1")
    second.get_by_label("Points").fill("5")
    second.get_by_label("Level label").fill("Costed")
    expect(studio.locator("[data-bga-max]")).to_have_text("Maximum points: 15")
    criterion.get_by_role("group", name="Level 1").get_by_label("Level label").fill("Missing")  # renamed
    # Keyboard: the new criterion moves above "Activities and partners".
    criterion.get_by_role("button", name="Move up: criterion 3").press("Enter")
    expect(studio.get_by_role("group", name="Criterion 2").get_by_label("Criterion label")).to_have_value("Budget realism")
    assert run_axe(studio, ".bga-studio") == []
    studio.get_by_role("button", name="Save", exact=True).click()
    expect(studio.locator("[data-blended-status]")).to_have_text("Saved.")

    learner = new_page()
    learner.goto(f"{demo}{SCENARIO}?student=amina")
    expect(learner.locator(".bga-rubric summary")).to_have_text("How this is graded (15 points)")
    learner.locator(".bga-rubric summary").click()
    rows = learner.locator(".bga-rubric-table tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.nth(1)).to_contain_text("Budget realism")
    expect(rows.nth(1)).to_contain_text("Missing: 0 points")
    expect(rows.nth(1)).to_contain_text("Costed: 5 points")
    instructor = new_page()
    instructor.goto(f"{demo}{SCENARIO}?student=instructor")
    expect(instructor.locator(".bga-staff .bga-meta").first).to_contain_text("15 points")


def test_refusals_are_shown_next_to_the_form_and_nothing_is_saved(demo, new_page):
    studio = open_studio(new_page, demo)
    studio.get_by_role("button", name="Add a group").click()
    studio.get_by_label("Group name").last.fill("Team Sahel")
    studio.get_by_role("button", name="Remove level 3 of criterion 1").click()
    expect(studio.get_by_role("button", name="Add a level to criterion 1")).to_be_visible()
    studio.get_by_role("button", name="Save", exact=True).click()
    alert = studio.get_by_role("alert")
    expect(alert).to_contain_text("Two seeded groups are called “Team Sahel”.")
    expect(alert).to_be_focused()
    assert run_axe(studio, ".bga-studio") == []
    studio.get_by_role("button", name="Remove group 3").click()
    studio.get_by_role("button", name="Save", exact=True).click()
    expect(studio.locator("[data-blended-status]")).to_have_text("Saved.")
    expect(alert).to_be_empty()
    learner = new_page()
    learner.goto(f"{demo}{SCENARIO}?student=amina")
    expect(learner.locator(".bga-rubric summary")).to_have_text("How this is graded (8 points)")


def test_arabic_editor_is_right_to_left_and_accessible(demo, new_page):
    studio = new_page(language="ar")
    studio.goto(f"{demo}{SCENARIO}studio_view/?student=instructor&lang=ar")
    expect(studio.locator(".bga-studio")).to_have_attribute("dir", "rtl")
    expect(studio.locator("[data-bga-max]")).to_have_text("الحد الأقصى للنقاط: 10")
    assert run_axe(studio, ".bga-studio") == []
