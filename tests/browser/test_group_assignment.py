"""The group journey in a real browser: two members draft, one uploads, one submits; the instructor
grades with the rubric, adjusts one member and releases; both see their scores. Arabic and axe too."""
import re
import zipfile

import pytest
from playwright.sync_api import expect

from blended_xblocks.group_assignment.models import AssignmentGroup, GroupSubmission
from tests.browser.conftest import run_axe

SCENARIO = "/scenario/blended.20-group-assignment-community-plan/"
PDF = b"%PDF-1.4\n% community plan budget\n"


def open_as(new_page, demo, student, language="en"):
    page = new_page(language=language)
    page.goto(f"{demo}{SCENARIO}?student={student}&lang={language}")
    return page


def test_group_drafts_submits_instructor_grades_and_members_see_their_scores(demo, new_page):
    amina = open_as(new_page, demo, "amina")
    expect(amina.locator(".bga [data-group]")).to_contain_text("Your group: Team Sahel")
    amina.get_by_label("Text").fill("Context: Agadez receives returnees from Libya.")
    amina.get_by_role("button", name="Save draft").click()
    expect(amina.locator("[data-blended-status]")).to_have_text("Draft saved.")

    yusuf = open_as(new_page, demo, "yusuf")
    text = yusuf.get_by_label("Text")
    expect(text).to_have_value("Context: Agadez receives returnees from Libya.")
    expect(yusuf.locator("[data-saved]")).to_contain_text("Last saved by Amina Diallo")
    yusuf.get_by_label("Add a file").set_input_files(files=[{"name": "budget.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    yusuf.get_by_role("button", name="Upload").click()
    expect(yusuf.locator("[data-files]")).to_contain_text("budget.pdf")
    text.fill(text.input_value() + "\nActivities: a collective bakery with a mentor.")
    yusuf.get_by_role("button", name="Save draft").click()
    expect(yusuf.locator("[data-blended-status]")).to_have_text("Draft saved.")

    # Amina's page still holds version 1: saving it now is refused, with Yusuf's text shown.
    amina.get_by_label("Text").fill("An older idea")
    amina.get_by_role("button", name="Save draft").click()
    expect(amina.locator("[data-theirs]")).to_be_visible()
    expect(amina.locator("[data-theirs-text]")).to_contain_text("collective bakery")
    amina.reload()
    expect(amina.locator("[data-files]")).to_contain_text("budget.pdf")
    amina.get_by_role("button", name="Submit").click()
    expect(amina.locator("[data-blended-status]")).to_contain_text("Submitted")
    expect(amina.get_by_label("Text")).to_have_attribute("readonly", "")

    teacher = open_as(new_page, demo, "instructor")
    row = teacher.locator("[data-rows] tr", has_text="Team Sahel")
    expect(row).to_contain_text("Submitted")
    row.get_by_role("button", name="Open Team Sahel").click()
    expect(teacher.locator("[data-detail-text]")).to_contain_text("collective bakery")
    expect(teacher.locator("[data-detail-files]")).to_contain_text("budget.pdf")
    teacher.locator("fieldset", has_text="Context analysis").get_by_label("Complete (4)").check()
    teacher.locator("fieldset", has_text="Activities and partners").get_by_label("Plausible (3)").check()
    teacher.get_by_label("Feedback", exact=True).fill("Clear context; the bakery needs a budget line for the mentor.")
    member = teacher.locator("[data-user=amina]")
    member.get_by_label("Adjustment (points)").fill("-2")
    member.get_by_label("Reason").fill("Joined late and wrote little")
    teacher.get_by_role("button", name="Save grade").click()
    expect(teacher.locator("[data-blended-status]")).to_contain_text("Grade saved")
    teacher.get_by_role("button", name="Release this grade").click()
    expect(teacher.locator("[data-blended-status]")).to_contain_text("Grades released: 1")
    expect(row).to_contain_text("Released")

    yusuf.reload()
    expect(yusuf.locator(".bga-score")).to_have_text("7 of 10 points")
    expect(yusuf.locator("[data-result]")).to_contain_text("the bakery needs a budget line")
    amina.reload()
    expect(amina.locator(".bga-score")).to_have_text("5 of 10 points")
    expect(amina.locator("[data-result]")).to_contain_text("Joined late and wrote little")


def test_arabic_learner_view_is_right_to_left_and_translated(demo, new_page):
    page = open_as(new_page, demo, "amina", language="ar")
    section = page.locator("section.bga")
    expect(section).to_have_attribute("dir", "rtl")
    expect(page.locator("[data-save]")).to_have_text("حفظ المسودة")
    expect(page.locator("[data-group]")).to_contain_text("Team Sahel")
    box = page.locator(".bga-prompt").bounding_box()
    text_box = page.locator("[data-text]").bounding_box()
    assert abs((box["x"] + box["width"]) - (text_box["x"] + text_box["width"])) < 40  # aligned to the right edge


@pytest.mark.parametrize("student, language", [("amina", "en"), ("instructor", "en"), ("amina", "ar"), ("instructor", "ar")])
def test_axe_finds_no_violations(demo, new_page, student, language):
    page = open_as(new_page, demo, student, language)
    if student == "instructor":
        expect(page.locator("[data-rows] tr").first).to_be_visible()
        expect(page.locator("[data-rows] tr", has_text="Team Sahel").get_by_role("button").first).to_be_visible()
    else:
        expect(page.locator("[data-work]")).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert run_axe(page, "section.bga") == []


def test_instructor_axe_with_a_submission_open(demo, new_page):
    amina = open_as(new_page, demo, "amina")
    amina.get_by_label("Text").fill("Plan")
    amina.get_by_role("button", name="Submit").click()
    expect(amina.locator("[data-blended-status]")).to_contain_text("Submitted")
    teacher = open_as(new_page, demo, "instructor")
    teacher.get_by_role("button", name=re.compile("Open Team Sahel")).click()
    expect(teacher.locator("[data-detail]")).to_be_visible()
    assert run_axe(teacher, "section.bga") == []


def many_groups_before(group, count):
    """`count` staff groups whose names sort before `group`'s, straight in the database."""
    made = AssignmentGroup.objects.bulk_create([AssignmentGroup(course_key=group.course_key, usage_key=group.usage_key,
                                                                name=f"Team A{i:03}", source="staff") for i in range(count)])
    GroupSubmission.objects.bulk_create([GroupSubmission(course_key=group.course_key, usage_key=group.usage_key, group=g)
                                         for g in made])


def test_instructor_creates_a_group_and_moves_a_learner_into_it(demo, new_page):
    leila = open_as(new_page, demo, "leila")
    expect(leila.locator("[data-group]")).to_contain_text("You are not in a group yet")
    teacher = open_as(new_page, demo, "instructor")
    teacher.get_by_text("Manage groups").click()
    teacher.get_by_label("New group name").fill("Team North Africa")
    teacher.get_by_role("button", name="Create group").click()
    expect(teacher.locator("[data-rows]")).to_contain_text("Team North Africa")
    many_groups_before(AssignmentGroup.objects.get(name="Team North Africa"), 60)  # it is not on the first page now
    teacher.reload()
    teacher.get_by_text("Manage groups").click()
    expect(teacher.locator("[data-group-count]")).to_contain_text("Groups shown: 50 of")
    expect(teacher.locator("[data-target] option", has_text="Team North Africa")).to_have_count(0)
    teacher.get_by_label("Username").fill("leila")
    teacher.get_by_label("Find a group").fill("north")
    expect(teacher.locator("[data-group-count]")).to_have_text("Groups found: 1")
    expect(teacher.locator("[data-target] option:checked")).to_have_text("Team North Africa — members: 0")
    teacher.get_by_role("button", name="Move learner").click()
    expect(teacher.locator("[data-blended-status]")).to_have_text("Leila Mansour moved.")
    expect(teacher.locator("[data-target] option:checked")).to_have_text("Team North Africa — members: 1")
    assert run_axe(teacher, "section.bga") == []
    leila.reload()
    expect(leila.locator("[data-group]")).to_contain_text("Your group: Team North Africa")


def test_self_enrolment_shows_who_joined_and_a_started_group_cannot_be_joined(demo, new_page):
    scenario = "/scenario/blended.21-group-assignment-self-enrolment/"
    amina = new_page()
    amina.goto(f"{demo}{scenario}?student=amina")
    amina.get_by_label("New group name").fill("Team Dakar")
    amina.get_by_role("button", name="Create group").click()
    expect(amina.locator("[data-group]")).to_contain_text("Team Dakar")
    omar = new_page()
    omar.goto(f"{demo}{scenario}?student=omar")
    omar.get_by_role("button", name="Join Team Dakar").click()
    expect(omar.locator("[data-group]")).to_contain_text("Your group: Team Dakar")  # the join is stored
    amina.reload()
    amina.locator(".bga-history summary").click()
    expect(amina.locator("[data-history]")).to_contain_text("joined the group")
    amina.get_by_label("Text").fill("Indicators: share of returnees with an income after 12 months")
    amina.get_by_role("button", name="Save draft").click()
    expect(amina.locator("[data-saved]")).to_contain_text("Last saved by")
    leila = new_page()
    leila.goto(f"{demo}{scenario}?student=leila")
    row = leila.locator(".bga-groups li", has_text="Team Dakar")
    expect(row).to_contain_text("Work has started: ask your instructor to join this group.")
    expect(row.get_by_role("button")).to_have_count(0)
    assert run_axe(leila, "section.bga") == []


def test_instructor_downloads_every_submission_as_a_zip_through_the_redirect(demo, new_page):
    kwame = open_as(new_page, demo, "kwame")
    kwame.get_by_label("Add a file").set_input_files(files=[{"name": "budget.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    kwame.get_by_role("button", name="Upload").click()
    expect(kwame.locator("[data-files]")).to_contain_text("budget.pdf")
    kwame.get_by_role("button", name="Submit").click()
    expect(kwame.locator("[data-blended-status]")).to_contain_text("Submitted")

    teacher = open_as(new_page, demo, "instructor")
    expect(teacher.locator("[data-rows] tr", has_text="Team Horn")).to_contain_text("Submitted")
    with teacher.expect_download() as info:
        teacher.get_by_role("link", name="Download all (zip)").click()
    download = info.value
    assert download.suggested_filename.endswith(".zip")
    archive = zipfile.ZipFile(download.path())
    names = archive.namelist()
    assert any(name.startswith("Team Horn of Africa/") and name.endswith("budget.pdf") for name in names)
    assert archive.read(next(name for name in names if name.endswith("budget.pdf"))) == PDF


def test_an_upload_the_server_refuses_with_413_says_the_file_is_too_large(demo, new_page):
    """The LMS (STUDENT_FILEUPLOAD_MAX_SIZE) or its proxy answer 413 before the block runs."""
    kwame = open_as(new_page, demo, "kwame")
    kwame.route(re.compile(r".*/upload_file/?(\?.*)?$"), lambda route: route.fulfill(
        status=413, content_type="application/json", body='{"success": "Submission aborted! Your file is too large"}'))
    kwame.get_by_label("Add a file").set_input_files(files=[{"name": "budget.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    kwame.get_by_role("button", name="Upload").click()
    expect(kwame.locator("[data-blended-status]")).to_have_text("This file is larger than the server accepts.")


def test_a_renamed_upload_says_so_and_the_list_shows_the_name_chosen(demo, new_page):
    kwame = open_as(new_page, demo, "kwame")
    kwame.get_by_label("Add a file").set_input_files(files=[{"name": "budget 😀 <v2>.pdf", "mimeType": "application/pdf",
                                                           "buffer": PDF}])
    kwame.get_by_role("button", name="Upload").click()
    expect(kwame.locator("[data-blended-status]")).to_have_text(
        "“budget 😀 <v2>.pdf” was uploaded as “budget _ _v2.pdf”: file names keep only letters, digits, spaces and - _ ( ).")
    expect(kwame.locator("[data-files] li")).to_contain_text("budget _ _v2.pdf")
    expect(kwame.locator("[data-files] li")).to_contain_text("renamed from “budget 😀 <v2>.pdf”")
