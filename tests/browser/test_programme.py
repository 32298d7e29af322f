"""The whole demo programme on one page: every kind of block is there, and the page as a whole
(not only each block) passes axe-core, in Arabic for a learner and in English for an instructor."""
import pytest

from tests.browser.conftest import run_axe

PROGRAMME = "/scenario/blended.00-programme/"


@pytest.mark.parametrize("student, language", [("amina", "ar"), ("instructor", "en")])
def test_programme_page_is_complete_and_accessible(demo, new_page, student, language):
    page = new_page(language=language)
    page.goto(f"{demo}{PROGRAMME}?student={student}&lang={language}")
    for block_type in ("blended_webinar", "blended_group_assignment", "blended_supervisor_agreement",
                       "blended_experience_sharing"):
        assert page.locator(f'[data-block-type="{block_type}"]').count() >= 1, block_type
    assert page.locator('[data-block-type="blended_webinar"]').count() >= 10
    page.wait_for_load_state("networkidle")
    if language == "ar":
        assert page.locator("section.bw-webinar").first.get_attribute("dir") == "rtl"
    assert run_axe(page, "main") == []


def test_programme_page_loads_cold_without_a_failed_request(demo, new_page):
    """A newcomer's first sight: fresh database, a learner's first visit, every block asking for its
    state at once on the threaded server. No answer may fail (SQLite once said `database is locked`)."""
    page = new_page()
    failures = []
    page.on("response", lambda response: failures.append(f"{response.status} {response.url}")
            if response.status >= 500 else None)
    page.on("requestfailed", lambda request: failures.append(f"failed {request.url}"))
    page.on("console", lambda message: failures.append(f"console: {message.text}") if message.type == "error" else None)
    page.on("pageerror", lambda error: failures.append(f"page error: {error}"))
    page.goto(f"{demo}{PROGRAMME}?student=amina")
    page.wait_for_load_state("networkidle")
    assert page.locator('[data-block-type="blended_webinar"]').count() >= 10
    assert failures == [], "\n".join(failures)
