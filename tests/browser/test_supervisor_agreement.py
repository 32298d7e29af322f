"""The supervisor agreement journey in a real browser: learner, supervisor (no session), instructor."""
import re

import pytest
from playwright.sync_api import expect

from blended_xblocks.demo.models import SentMail
from tests.browser.conftest import run_axe

SCENARIO = "/scenario/blended.30-supervisor-agreement/"
BLOCK = ".bsa-block"


@pytest.fixture
def demo_mail(demo, settings):
    """Mail lands in the demo's SentMail table with links to this live server, as in `make demo`."""
    settings.EMAIL_BACKEND = "blended_xblocks.demo.mail.OutboxBackend"
    settings.BLENDED_DEMO_BASE_URL = demo
    return demo


def request_approval(page, base, student="amina", language="en"):
    page.goto(f"{base}{SCENARIO}?student={student}&lang={language}")
    form = page.locator("[data-sa-form]")
    form.locator("input[name=name]").fill("Moussa Traoré")
    form.locator("input[name=email]").fill("m.traore@ngo.example.org")
    form.locator("input[name=organisation]").fill("Sahel Returns NGO")
    form.locator("button[type=submit]").click()
    page.locator(".bsa-state .bsa-pending").wait_for()


def mailed_link() -> str:
    mail = SentMail.objects.order_by("-id").first()
    return re.search(r"https?://\S+supervisor_review/?\?token=\S+", mail.text).group(0)


def test_supervisor_approves_without_an_account(demo_mail, new_page):
    learner = new_page()
    request_approval(learner, demo_mail)
    assert "Moussa Traoré" in learner.locator(".bsa-state").inner_text()
    assert run_axe(learner, BLOCK) == []

    link = mailed_link()
    supervisor = new_page()  # a fresh context: no cookies, no session
    response = supervisor.goto(link)
    assert response.status == 200
    assert "Amina Diallo" in supervisor.locator("main").inner_text()
    assert "25 hours" in supervisor.locator("main").inner_text()
    assert run_axe(supervisor, "main") == []
    supervisor.get_by_label("Type your full name to sign").fill("Moussa Traoré")
    supervisor.get_by_role("button", name="Send my decision").click()
    supervisor.get_by_role("heading", name="Thank you").wait_for()

    learner.reload()
    learner.locator(".bsa-state .bsa-approved").wait_for()
    assert "Approved by Moussa Traoré" in learner.locator(".bsa-state").inner_text()

    instructor = new_page()
    instructor.goto(f"{demo_mail}{SCENARIO}?student=instructor")
    row = instructor.locator("[data-sa-rows] tr", has_text="Amina Diallo")
    row.locator(".bsa-approved").wait_for()
    assert "Moussa Traoré" in row.inner_text()
    assert run_axe(instructor, BLOCK) == []

    again = new_page().goto(link)  # the used link shows a clear page
    assert again.status == 409


def test_tampered_link_is_refused(demo_mail, new_page):
    request_approval(new_page(), demo_mail)
    link = mailed_link()
    tampered = link[:-3] + ("xyz" if not link.endswith("xyz") else "abc")
    page = new_page()
    response = page.goto(tampered)
    assert response.status == 400
    assert "This link is not valid" in page.locator("h1").inner_text()
    assert page.locator("form").count() == 0


def test_arabic_learner_and_supervisor_pages_are_right_to_left(demo_mail, new_page):
    learner = new_page(language="ar")
    request_approval(learner, demo_mail, student="yusuf", language="ar")
    assert learner.locator(BLOCK).get_attribute("dir") == "rtl"
    assert "قيد الانتظار" in learner.locator(".bsa-state").inner_text()
    assert run_axe(learner, BLOCK) == []
    supervisor = new_page()  # the supervisor's browser is English; the page follows the learner
    supervisor.goto(mailed_link())
    assert supervisor.locator("html").get_attribute("dir") == "rtl"
    assert supervisor.locator("h1").inner_text() == "موافقة المشرف"
    assert run_axe(supervisor, "main") == []


def test_supervisor_page_works_on_a_phone_without_javascript(demo_mail, browser):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 740},
                                  is_mobile=True)
    try:
        learner = browser.new_context()
        request_approval(learner.new_page(), demo_mail, student="fatou")
        learner.close()
        page = context.new_page()
        page.goto(mailed_link())
        assert page.evaluate("document.documentElement.scrollWidth") <= 360  # no sideways scrolling
        page.get_by_label("I decline").check()
        page.get_by_label("Reason (required if you decline)").fill("Field mission in June")
        page.get_by_label("Type your full name to sign").fill("Moussa Traoré")
        page.get_by_role("button", name="Send my decision").click()
        assert "You declined the participation of Fatou Ndiaye" in page.locator("main").inner_text()
    finally:
        context.close()


def test_learner_resends_then_withdraws(demo_mail, new_page):
    page = new_page()
    request_approval(page, demo_mail, student="omar")
    page.get_by_role("button", name="Send the e-mail again").click()
    page.get_by_role("status").filter(has_text="sent again").wait_for()
    assert SentMail.objects.filter(to="m.traore@ngo.example.org").count() == 2
    page.get_by_role("button", name="Withdraw the request").click()
    page.locator(".bsa-state .bsa-not_requested").wait_for()
    expect(page.locator("[data-sa-form]")).to_be_visible()
    expect(page.locator("[data-sa-actions]")).to_have_count(1)  # there, and hidden (not merely absent)
    expect(page.locator("[data-sa-actions]")).to_be_hidden()


def test_instructor_records_a_paper_decision(demo_mail, new_page):
    request_approval(new_page(), demo_mail, student="leila")
    instructor = new_page()
    instructor.goto(f"{demo_mail}{SCENARIO}?student=instructor")
    instructor.get_by_role("button", name="Record a paper decision for Leila Mansour").click()
    assert instructor.evaluate("document.activeElement.textContent") == "Record a paper decision for Leila Mansour"
    instructor.get_by_label("Note (who signed, when the form arrived)").fill("Signed form received 28 April")
    instructor.get_by_role("button", name="Record the decision").click()
    row = instructor.locator("[data-sa-rows] tr", has_text="Leila Mansour")
    row.locator(".bsa-approved").wait_for()
    assert "Joy Paone" in row.inner_text()
    learner = new_page()
    learner.goto(f"{demo_mail}{SCENARIO}?student=leila")
    assert "instructor, paper form" in learner.locator(".bsa-state").inner_text()
    request_approval(new_page(), demo_mail, student="kwame")  # a second learner, still pending
    instructor.reload()
    expect(instructor.locator("[data-sa-rows] tr", has_text="Kwame Mensah")).to_have_count(1)
    instructor.locator("[data-sa-filter]").select_option("approved")
    expect(instructor.locator("[data-sa-rows] tr")).to_have_count(1)
    expect(instructor.locator("[data-sa-rows] tr")).to_contain_text("Leila Mansour")


def test_own_address_is_refused_and_free_mail_is_flagged_for_staff(demo_mail, new_page):
    page = new_page()
    page.goto(f"{demo_mail}{SCENARIO}?student=amina")
    form = page.locator("[data-sa-form]")
    form.locator("input[name=name]").fill("Amina Diallo")
    form.locator("input[name=email]").fill("Amina@learners.example.org")
    form.locator("input[name=organisation]").fill("Sahel Returns NGO")
    form.locator("button[type=submit]").click()
    page.get_by_role("status").filter(has_text="not your own").wait_for()
    form.locator("input[name=email]").fill("moussa.traore@gmail.com")
    form.locator("button[type=submit]").click()
    page.locator(".bsa-state .bsa-pending").wait_for()
    instructor = new_page()
    instructor.goto(f"{demo_mail}{SCENARIO}?student=instructor")
    row = instructor.locator("[data-sa-rows] tr", has_text="Amina Diallo")
    assert "Check: free-mail address" in row.inner_text()
    assert run_axe(instructor, BLOCK) == []


def test_staff_confirm_an_approval_seeing_why_it_may_need_a_check(demo_mail, new_page):
    """With `require_staff_confirmation`, the supervisor's approval waits for staff, who see the
    free-mail flag next to the button that confirms it."""
    scenario = "/scenario/blended.31-supervisor-agreement-staff-confirmation/"
    learner = new_page()
    learner.goto(f"{demo_mail}{scenario}?student=amina")
    form = learner.locator("[data-sa-form]")
    form.locator("input[name=name]").fill("Moussa Traoré")
    form.locator("input[name=email]").fill("moussa.traore@gmail.com")
    form.locator("input[name=organisation]").fill("Sahel Returns NGO")
    form.locator("button[type=submit]").click()
    learner.locator(".bsa-state .bsa-pending").wait_for()
    supervisor = new_page()
    supervisor.goto(mailed_link())
    supervisor.get_by_label("Type your full name to sign").fill("Moussa Traoré")
    supervisor.get_by_role("button", name="Send my decision").click()
    supervisor.get_by_role("heading", name="Thank you").wait_for()

    learner.reload()
    expect(learner.locator(".bsa-state .bsa-awaiting_staff")).to_have_text("Approved, awaiting staff confirmation")
    expect(learner.locator(".bsa-state")).to_contain_text("it counts once they do")
    assert run_axe(learner, BLOCK) == []

    instructor = new_page()
    instructor.goto(f"{demo_mail}{scenario}?student=instructor")
    row = instructor.locator("[data-sa-rows] tr", has_text="Amina Diallo")
    expect(row.locator(".bsa-flag")).to_have_text("Check: free-mail address")
    expect(row.locator(".bsa-flag")).to_be_visible()
    assert run_axe(instructor, BLOCK) == []
    row.get_by_role("button", name="Confirm the approval of Amina Diallo").click()
    instructor.get_by_role("status").filter(has_text="The approval of Amina Diallo is confirmed.").wait_for()
    expect(instructor.locator("[data-sa-rows] tr", has_text="Amina Diallo").locator(".bsa-approved")).to_be_visible()
    learner.reload()
    expect(learner.locator(".bsa-state .bsa-approved")).to_be_visible()
    assert "Approved by Moussa Traoré" in learner.locator(".bsa-state").inner_text()


def test_the_paper_decision_form_shows_the_supervisors_flags(demo_mail, new_page):
    page = new_page()
    page.goto(f"{demo_mail}{SCENARIO}?student=sara")
    form = page.locator("[data-sa-form]")
    form.locator("input[name=name]").fill("Sara Tesfaye")
    form.locator("input[name=email]").fill("sara.t@yahoo.com")
    form.locator("input[name=organisation]").fill("Horn Returns NGO")
    form.locator("button[type=submit]").click()
    page.locator(".bsa-state .bsa-pending").wait_for()
    instructor = new_page()
    instructor.goto(f"{demo_mail}{SCENARIO}?student=instructor")
    instructor.get_by_role("button", name="Record a paper decision for Sara Tesfaye").click()
    expect(instructor.locator("[data-sa-record-flags]")).to_be_visible()
    expect(instructor.locator("[data-sa-record-flags]")).to_contain_text("Check: free-mail address")
    assert run_axe(instructor, BLOCK) == []
