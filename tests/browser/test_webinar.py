"""Journeys a person makes with the webinar block, in headless Chromium against the demo."""
import re
from pathlib import Path

from icalendar import Calendar
from playwright.sync_api import expect

from tests.browser.conftest import run_axe

TWO_SEATS = "/scenario/blended.10-webinar-two-seats/"
LIVE = "/scenario/blended.10-webinar-live-checkin/"
FINISHED = "/scenario/blended.10-webinar-finished-recording/"


def open_as(new_page, demo, path, student, language="en", **options):
    page = new_page(language=language, **options)
    page.goto(f"{demo}{path}?student={student}&lang={language}")
    page.wait_for_selector(".bw-learner button, .bw-learner a, .bw-staff tbody tr")
    return page


def test_learner_registers_sees_both_time_zones_and_downloads_the_calendar(demo, new_page):
    page = open_as(new_page, demo, TWO_SEATS, "amina", timezone_id="America/New_York")
    block = page.locator(".bw-webinar")
    assert "Europe/Zurich" in block.locator(".bw-when").first.inner_text()
    local = block.locator("[data-bw-local]")
    assert "America/New_York" in local.inner_text()
    page.get_by_role("button", name="Register").click()
    page.wait_for_selector("text=You are registered.")
    assert "You are registered." in page.locator("[data-blended-status]").inner_text()
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile("Add to my calendar")).click()
    event = Calendar.from_ical(Path(download_info.value.path()).read_bytes()).walk("VEVENT")[0]
    assert str(event["summary"]) == "Webinar 4: Reintegration at community level"
    assert "meet.example.org" in str(event["description"])


def test_the_lms_time_zone_preference_wins_over_the_browser_zone(demo, new_page, monkeypatch):
    from dataclasses import replace

    from blended_xblocks.demo.platform import WorkbenchPlatform

    original = WorkbenchPlatform.current_user
    monkeypatch.setattr(WorkbenchPlatform, "current_user",
                        lambda self: replace(original(self), time_zone="Africa/Dakar"))
    page = open_as(new_page, demo, TWO_SEATS, "amina", timezone_id="Asia/Tokyo")
    local = page.locator("[data-bw-local]")
    expect(local).to_be_visible()
    assert "Africa/Dakar" in local.inner_text() and "Tokyo" not in local.inner_text()


def test_two_seats_waitlist_and_promotion_in_english_and_arabic(demo, new_page, mailoutbox):
    for student in ("amina", "yusuf"):
        page = open_as(new_page, demo, TWO_SEATS, student)
        page.get_by_role("button", name="Register").click()
        page.wait_for_selector("text=You are registered.")
    fatou = open_as(new_page, demo, TWO_SEATS, "fatou", language="ar")
    assert fatou.locator(".bw-webinar").get_attribute("dir") == "rtl"
    fatou.locator("[data-bw-register]").click()
    fatou.wait_for_function("() => !document.querySelector('[data-bw-register]')")
    waiting = fatou.locator("[data-bw-focus]")
    assert "1" in waiting.inner_text() and waiting.evaluate("el => el === document.activeElement")
    yusuf = open_as(new_page, demo, TWO_SEATS, "yusuf")
    yusuf.get_by_role("button", name="Cancel my registration").click()
    yusuf.wait_for_selector("text=You cancelled your registration.")
    fatou.reload()
    fatou.wait_for_selector(".bw-learner")
    # Told once, on the page and by mail, in the language fatou used the site in.
    assert fatou.locator(".bw-notice").inner_text() == "انتقلت من قائمة الانتظار: لديك الآن مقعد."
    assert run_axe(fatou, ".bw-webinar") == []
    assert [mail.to for mail in mailoutbox] == [["fatou@learners.example.org"]]
    assert mailoutbox[0].subject.startswith("لديك مقعد") and "meet.example.org" not in mailoutbox[0].body
    english = open_as(new_page, demo, TWO_SEATS, "fatou")
    assert english.locator(".bw-notice").count() == 0
    assert "You are registered." in english.locator(".bw-learner").inner_text()
    assert fatou.locator(".bw-learner").inner_text() != english.locator(".bw-learner").inner_text()


def test_check_in_with_the_facilitators_code(demo, new_page):
    staff = open_as(new_page, demo, LIVE, "instructor")
    staff.get_by_role("button", name="Show the check-in code").click()
    code = staff.locator("[data-bw-code-out]")
    staff.wait_for_function("el => el.textContent.length === 6", arg=code.element_handle())
    learner = open_as(new_page, demo, LIVE, "amina")
    expect(learner.get_by_role("link", name="Join the session")).to_be_visible()
    learner.get_by_label(re.compile("Check-in code")).fill(code.inner_text())
    learner.get_by_role("button", name="Check in").click()
    learner.wait_for_selector("text=Attendance: present, arrived late.")


def test_instructor_marks_attendance_and_the_learner_sees_it(demo, new_page):
    staff = open_as(new_page, demo, FINISHED, "instructor")
    select = staff.get_by_label("Attendance of Leila Mansour")
    select.select_option("present")
    staff.get_by_role("button", name="Save attendance").click()
    staff.wait_for_selector("text=Attendance saved (1 changed).")
    learner = open_as(new_page, demo, FINISHED, "leila")
    assert "Attendance: present." in learner.locator(".bw-learner").inner_text()
    expect(learner.get_by_role("link", name="Watch the recording")).to_be_visible()
    arabic = open_as(new_page, demo, FINISHED, "leila", language="ar")
    assert arabic.locator(".bw-webinar").evaluate("el => getComputedStyle(el).direction") == "rtl"


def test_axe_reports_no_violations_on_learner_and_instructor_views(demo, new_page):
    for path, student in ((TWO_SEATS, "amina"), (LIVE, "amina"), (FINISHED, "fatou"), (LIVE, "instructor")):
        for language in ("en", "ar"):
            page = open_as(new_page, demo, path, student, language=language)
            violations = run_axe(page, ".bw-webinar")
            assert violations == [], (path, student, language, [v["id"] for v in violations])


def test_studio_edit_shows_in_the_learner_view(demo, new_page):
    studio = new_page()
    studio.goto(f"{demo}{TWO_SEATS}studio_view/?student=instructor")
    studio.get_by_label("Display name").fill("Webinar 4 (moved): Community level")
    studio.get_by_label("Seats (0: unlimited)").fill("5")
    studio.get_by_role("button", name="Save").click()
    studio.wait_for_selector("text=Saved.")
    assert run_axe(studio, ".bw-studio") == []
    learner = open_as(new_page, demo, TWO_SEATS, "omar")
    assert learner.locator(".bw-webinar h2").inner_text() == "Webinar 4 (moved): Community level"
    assert "5 seats left of 5." in learner.locator(".bw-learner").inner_text()
