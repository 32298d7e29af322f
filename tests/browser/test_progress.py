"""Programme progress in a real browser: a newcomer reads the JMDI modules and prints the
certificate (English and Arabic); the instructor's cohort matrix moves; anyone can verify it."""
import re

import pytest

from tests.browser.conftest import run_axe

PROGRAMME = "/scenario/blended.60-jmdi-programme/"
BLOCK = ".bpg-block"


@pytest.fixture
def demo_with_progress(demo, settings):
    settings.BLENDED_DEMO_BASE_URL = demo  # verify links point at this server, as in `make demo`
    return demo


def cohort_row(page, username):
    return page.locator("[data-pg-rows] tr", has_text=username)


@pytest.mark.parametrize("language", ["en", "ar"])
def test_a_newcomer_reads_three_modules_and_prints_the_certificate(demo_with_progress, new_page, language):
    base, student = demo_with_progress, f"newcomer-{language}"
    learner = new_page(language=language)
    learner.goto(f"{base}{PROGRAMME}?student={student}&lang={language}")
    block = learner.locator(BLOCK)
    assert block.get_attribute("dir") == ("rtl" if language == "ar" else "ltr")
    assert run_axe(learner, BLOCK) == []
    instructor = new_page()
    instructor.goto(f"{base}{PROGRAMME}?student=instructor")
    row = cohort_row(instructor, student)
    row.wait_for()
    assert "0 / 1" in row.inner_text() and "0 / 2" in row.inner_text()
    assert run_axe(instructor, BLOCK) == []

    for module in ("Core Module", "Module 2", "Module 5"):
        block.get_by_role("link", name=re.compile(module)).first.click()  # the module's own page
        learner.wait_for_load_state()
        learner.go_back()
        learner.reload()
        block = learner.locator(BLOCK)
    certificate_link = block.locator(".bpg-certificate a")
    certificate_link.wait_for()
    with learner.context.expect_page() as opened:
        certificate_link.click()
    certificate = opened.value
    certificate.wait_for_load_state()
    assert "My JMDI e-Toolbox on Migration and Local Development" in certificate.locator("main").inner_text()
    assert certificate.locator("html").get_attribute("dir") == ("rtl" if language == "ar" else "ltr")
    assert run_axe(certificate, "main") == []
    code = block.locator(".bpg-code code").inner_text()
    assert re.fullmatch(r"[0-9a-f]{32}", code)

    instructor.reload()
    row = cohort_row(instructor, student)
    row.wait_for()
    assert "1 / 1" in row.inner_text() and "2 / 2" in row.inner_text() and "Requirements met" in row.inner_text()

    verify_url = re.search(r"https?://\S+verify\S*", certificate.locator("footer").inner_text()).group(0)
    stranger = new_page()
    response = stranger.goto(verify_url)
    assert response.status == 200 and "This certificate is valid." in stranger.locator("main").inner_text()


def test_the_learner_view_fits_a_phone(demo_with_progress, new_page):
    learner = new_page(viewport={"width": 360, "height": 740})
    learner.goto(f"{demo_with_progress}{PROGRAMME}?student=amina")
    learner.locator(BLOCK).wait_for()
    width = learner.evaluate("document.documentElement.scrollWidth")
    assert width <= 360
