"""The whole IOM programme in a real browser, in English and in Arabic: a newcomer reads the six
modules and passes the final test, registers for eight webinars, shares a case and replies twice,
hands in four individual and two group assignments and asks their supervisor; the instructor marks
attendance, places them in a team, grades and releases; the supervisor approves through the mailed
link; the learner prints the certificate, and the instructor's cohort matrix moves from nothing to
"Requirements met". axe-core checks the learner's view, the cohort and the certificate.

Eight of the ten sessions are still to come on the day the demo is loaded (webinar 1 has ended,
webinar 2 is live): a newcomer can register only for sessions that have not started, and the
instructor marks their attendance in the roster, as after each session.
"""
import re

import pytest
from django.conf import settings
from playwright.sync_api import expect

from blended_xblocks.demo import cohorts
from blended_xblocks.demo.models import SentMail
from blended_xblocks.demo.people import demo_user_id
from tests.browser.conftest import run_axe

PROGRAMME = "/scenario/blended.00-programme/"
FUTURE_WEBINARS = ["Webinar 3:", "Webinar 4:", "Webinar 5:", "Webinar 6:", "Webinar 7:", "Webinar 8:", "Webinar 9:",
                   "Webinar 10:"]
INDIVIDUAL = [f"Individual assignment {n}:" for n in range(1, 5)]
GROUP_SEEDED, GROUP_SELF = "Group assignment 1:", "Group assignment 2:"


@pytest.fixture
def demo_mail(demo, settings):
    """Mail lands in the demo's outbox with links to this live server, as in `make demo`."""
    settings.EMAIL_BACKEND = "blended_xblocks.demo.mail.OutboxBackend"
    settings.BLENDED_DEMO_BASE_URL = demo
    return demo


def open_page(new_page, base, student, language="en", path=PROGRAMME):
    page = new_page(language=language)
    page.goto(f"{base}{path}?student={student}&lang={language}")
    page.wait_for_load_state("networkidle")
    return page


def block(page, block_type, title):
    """The block of that type whose heading starts with `title` (display names are the author's, in English)."""
    return page.locator(f'[data-block-type="{block_type}"]',
                        has=page.locator("h2, h3", has_text=title)).first


def progress(page):
    return page.locator(".bpg-block")


# The learner -----------------------------------------------------------------------------------
def read_the_course_and_pass_the_test(new_page, base, student, language):
    for n in range(1, 7):
        open_page(new_page, base, student, language, f"/scenario/blended.0{n}-iom-module-{n}/").close()
    test = open_page(new_page, base, student, language, "/scenario/blended.07-iom-final-test/")
    for field, answer in zip(test.locator("input[name=input]").all(), ("3", "3", "6"), strict=True):
        field.fill(answer)
    with test.expect_response(lambda response: "/check" in response.url and response.ok):
        test.locator(".check").click()
    test.close()


def register_for(page, titles):
    for title in titles:
        webinar = block(page, "blended_webinar", title)
        webinar.locator("[data-bw-register]").click()
        expect(webinar.locator("[data-bw-register]")).to_have_count(0)


def share_and_reply(page):
    board = page.locator('[data-block-type="blended_experience_sharing"]').first
    board.locator(".bes-post").first.wait_for()
    form = board.locator("[data-form]")
    form.locator("input[name=title]").fill("Returnees as mentors in Kayes")
    form.locator("textarea[name=body]").fill("Context: a cooperative of returnees.\nLesson: mentors who returned earlier help most.")
    form.locator("[data-submit]").click()
    board.locator(".bes-post", has_text="Returnees as mentors in Kayes").wait_for()
    for title, text in (("A municipal referral desk for returnees", "Which services signed first?"),
                        ("Small business grants in Agadez: what made them last", "How did you choose the mentors?")):
        card = board.locator(".bes-post", has=page.locator("h4", has_text=title))
        card.locator(".bes-reply-form textarea").fill(text)
        card.locator(".bes-reply-form button[type=submit]").click()
        card.locator(".bes-reply", has_text=text).wait_for()
    board.locator(".bes-done").wait_for()


def write_and_submit(assignment, text):
    """Submit saves the draft first (one click, as a learner in a hurry does)."""
    assignment.locator("[data-text]").fill(text)
    assignment.locator("[data-submit]").click()
    expect(assignment.locator("[data-text]")).to_have_attribute("readonly", "")


def create_group(assignment, name):
    form = assignment.locator(".bga-new-group")
    form.locator("input").fill(name)
    form.locator("button[type=submit]").click()
    expect(assignment.locator("[data-group]")).to_contain_text(name)


def ask_the_supervisor(page):
    form = page.locator("[data-sa-form]")
    form.locator("input[name=name]").fill("Moussa Traoré")
    form.locator("input[name=email]").fill("m.traore@ngo.example.org")
    form.locator("input[name=organisation]").fill("Sahel Returns NGO")
    form.locator("button[type=submit]").click()
    page.locator(".bsa-state .bsa-pending").wait_for()


# The instructor and the supervisor ------------------------------------------------------------
def mark_present(page, full_name, titles):
    for title in titles:
        webinar = block(page, "blended_webinar", title)
        webinar.get_by_label(f"Attendance of {full_name}").select_option("present")
        webinar.get_by_role("button", name="Save attendance").click()
        expect(webinar.locator("[data-blended-status]")).to_contain_text("Attendance saved (1 changed).")


def place_in_team(page, student, team):
    assignment = block(page, "blended_group_assignment", GROUP_SEEDED)
    assignment.get_by_text("Manage groups").click()
    assignment.get_by_label("Username").fill(student)
    assignment.get_by_label("Find a group").fill(team)
    expect(assignment.locator("[data-group-count]")).to_have_text("Groups found: 1")
    assignment.get_by_role("button", name="Move learner").click()
    expect(assignment.locator("[data-blended-status]")).to_contain_text("moved.")


def grade_best_and_release(page, title, row_text):
    assignment = block(page, "blended_group_assignment", title)
    row = assignment.locator("[data-rows] tr", has_text=row_text)
    row.get_by_role("button", name=re.compile("^Open")).click()
    assignment.locator("[data-detail]").wait_for()
    for criterion in assignment.locator("[data-criteria] fieldset").all():
        criterion.locator("input[type=radio]").last.check()
    assignment.get_by_role("button", name="Save grade").click()
    expect(assignment.locator("[data-blended-status]")).to_contain_text("Grade saved")
    assignment.get_by_role("button", name="Release this grade").click()
    expect(assignment.locator("[data-blended-status]")).to_contain_text("Grades released: 1")


def supervisor_approves(new_page, language):
    """The mailed link opens the decision page in the language the learner asked in."""
    mail = SentMail.objects.order_by("-id").first()
    link = re.search(r"https?://\S+supervisor_review/?\?token=\S+", mail.text).group(0)
    supervisor = new_page(language=language)
    assert supervisor.goto(link).status == 200
    assert supervisor.locator("html").get_attribute("dir") == ("rtl" if language == "ar" else "ltr")
    supervisor.locator("#signer_name").fill("Moussa Traoré")
    supervisor.locator("main button[type=submit]").click()
    expect(supervisor.locator("#signer_name")).to_have_count(0)


def cohort_row(page, student):
    row = page.locator("[data-pg-rows] tr", has_text=student)
    row.wait_for()
    return row


@pytest.mark.parametrize("language", ["en", "ar"])
def test_a_newcomer_earns_the_iom_certificate_by_clicking(demo_mail, new_page, language):
    base, student = demo_mail, f"newcomer-{language}"
    full_name, rtl = student.title(), language == "ar"
    # Selected through the call (tests/browser/test_application.py): in the programme's cohort.
    cohorts.add(settings.BLENDED_DEMO_COURSE_KEY, cohorts.COHORT, demo_user_id(student))

    learner = open_page(new_page, base, student, language)
    expect(progress(learner)).to_have_attribute("dir", "rtl" if rtl else "ltr")
    assert run_axe(learner, ".bpg-block") == []
    instructor = open_page(new_page, base, "instructor")
    row = cohort_row(instructor, student)
    assert "0 / 6" in row.inner_text() and "Requirements met" not in row.inner_text()
    assert run_axe(instructor, ".bpg-block") == []

    read_the_course_and_pass_the_test(new_page, base, student, language)
    register_for(learner, FUTURE_WEBINARS)
    share_and_reply(learner)
    for n, title in enumerate(INDIVIDUAL, start=1):
        write_and_submit(block(learner, "blended_group_assignment", title), f"My answer to assignment {n}.")
    ask_the_supervisor(learner)

    instructor.reload()
    instructor.wait_for_load_state("networkidle")
    mark_present(instructor, full_name, FUTURE_WEBINARS)
    place_in_team(instructor, student, "north africa")

    learner.reload()
    learner.wait_for_load_state("networkidle")
    write_and_submit(block(learner, "blended_group_assignment", GROUP_SEEDED), "Our community plan for Zuwara.")
    team = block(learner, "blended_group_assignment", GROUP_SELF)
    create_group(team, f"Team {language}")
    write_and_submit(team, "Indicators: income after 12 months, social networks, well-being.")

    instructor.reload()
    instructor.wait_for_load_state("networkidle")
    for title in INDIVIDUAL:
        grade_best_and_release(instructor, title, full_name)
    grade_best_and_release(instructor, GROUP_SEEDED, "Team North Africa")
    grade_best_and_release(instructor, GROUP_SELF, f"Team {language}")
    supervisor_approves(new_page, language)

    learner.reload()
    certificate_link = progress(learner).locator(".bpg-certificate a")
    certificate_link.wait_for()
    assert run_axe(learner, ".bpg-block") == []
    with learner.context.expect_page() as opened:
        certificate_link.click()
    certificate = opened.value
    certificate.wait_for_load_state()
    printed = certificate.locator("main").inner_text()
    assert full_name in printed and "Blended training on reintegration" in printed
    assert "EU-IOM Knowledge Management Hub" in printed
    assert certificate.locator("html").get_attribute("dir") == ("rtl" if rtl else "ltr")
    assert run_axe(certificate, "main") == []

    instructor.reload()
    row = cohort_row(instructor, student)
    assert "6 / 6" in row.inner_text() and "8 / 8" in row.inner_text() and "Requirements met" in row.inner_text()
    assert run_axe(instructor, ".bpg-block") == []
