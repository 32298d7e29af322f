"""The IOM call for applications in headless Chromium: three learners apply, two reviewers score, staff
decide, the selected one declines and the waitlisted one gets the place, in English and in Arabic."""
import pytest
from playwright.sync_api import expect

from blended_xblocks.core.i18n import translations_for
from blended_xblocks.demo.models import SentMail
from blended_xblocks.demo.people import demo_user_id, full_name
from tests.browser.conftest import run_axe

CALL = "/scenario/blended.50-iom-call/"
BLOCK = ".bap-block"
TITLE = "Apply for the training"


@pytest.fixture
def demo_mail(demo, settings):
    """Mail lands in the demo's SentMail table, as in `make demo`."""
    settings.EMAIL_BACKEND = "blended_xblocks.demo.mail.OutboxBackend"
    settings.BLENDED_DEMO_BASE_URL = demo
    return demo


def open_as(new_page, base, student, language):
    page = new_page(language=language)
    page.goto(f"{base}{CALL}?student={student}&lang={language}")
    page.locator(f"{BLOCK} [data-ap-submit]").wait_for()
    return page


def apply(new_page, base, student, language, available="yes"):
    tr = translations_for("application", language).gettext
    page = open_as(new_page, base, student, language)
    block = page.locator(BLOCK)
    block.locator('[data-ap-question="role"] input[value="ngo"]').check()
    block.locator('[data-ap-question="experience"] input').fill("3")
    block.locator(f'[data-ap-question="eligible"] input[value="{available}"]').check()
    block.locator('[data-ap-question="motivation"] textarea').fill("I counsel returnees in Agadez.")
    warning = block.locator('[data-ap-question="eligible"] [data-ap-warning]')
    if available == "no":  # told before submitting
        expect(warning).to_be_visible()
        assert warning.inner_text() == tr("With this answer you do not meet the call's requirements.")
    else:
        expect(warning).to_be_hidden()
    block.locator("[data-ap-submit]").click()
    expect(block.locator("[data-blended-status]")).to_have_text(tr("Your application is submitted."))
    assert block.locator(".bap-outcome-status").inner_text() == tr("Submitted")
    return page


def row(page, student):
    return page.locator("[data-ap-rows] tr", has_text=full_name(student))


def review(page, student, exp, plan, language):
    tr = translations_for("application", language).gettext
    row(page, student).locator("[data-ap-open]").click()
    detail = page.locator("[data-ap-detail]")
    expect(detail).to_be_visible()
    assert "I counsel returnees in Agadez." in detail.inner_text()
    detail.locator('[data-ap-score="exp"]').fill(str(exp))
    detail.locator('[data-ap-score="plan"]').fill(str(plan))
    detail.locator("[data-ap-review] button[type=submit]").click()
    expect(page.locator(f"{BLOCK} [data-blended-status]")).to_have_text(tr("Your review is saved."))


def decide(page, students, decision, message=""):
    for student in students:
        row(page, student).locator("input[type=checkbox]").check()
    page.locator("[data-ap-message]").fill(message)
    page.locator(f'[data-ap-decide="{decision}"]').click()


@pytest.mark.parametrize("language", ["en", "ar"])
def test_three_apply_two_review_staff_decide_and_the_waitlist_moves_up(demo_mail, new_page, language):
    from blended_xblocks.demo import cohorts

    tr = translations_for("application", language).gettext
    base = demo_mail
    apply(new_page, base, "amina", language)
    yusuf = apply(new_page, base, "yusuf", language)
    apply(new_page, base, "fatou", language, available="no")
    assert yusuf.locator(BLOCK).get_attribute("dir") == ("rtl" if language == "ar" else "ltr")

    # Two reviewers score independently; each sees their own score and the average.
    joy = open_as(new_page, base, "instructor", language)
    expect(joy.locator("[data-ap-rows] tr")).to_have_count(6)  # and the demo's three seeded applicants
    review(joy, "amina", 5, 4, language)
    sophie = open_as(new_page, base, "staff", language)
    review(sophie, "amina", 3, 3, language)
    expect(row(sophie, "amina").locator("td").nth(3)).to_contain_text("7.5")
    expect(row(sophie, "amina").locator("td").nth(4)).to_have_text("6")
    assert run_axe(sophie, BLOCK) == []

    # Selecting the ineligible applicant is refused, and says why.
    decide(sophie, ["fatou"], "selected")
    refusal = sophie.locator("[data-ap-staff-error]")
    expect(refusal).to_be_visible()
    assert refusal.inner_text() == tr("User {user_id} does not meet the call's requirements.").format(
        user_id=demo_user_id("fatou"))
    decide(sophie, [], "not_selected", "We hope to see you next year.")
    expect(refusal).to_be_hidden()
    decide(sophie, ["amina"], "selected", "Welcome!")
    expect(row(sophie, "amina").locator("[data-ap-cell=status]")).to_have_text(tr("Selected"))
    decide(sophie, ["yusuf"], "waitlisted")
    expect(row(sophie, "yusuf").locator("[data-ap-cell=status]")).to_contain_text(tr("Waitlisted"))
    assert sophie.locator("[data-ap-places]").inner_text() == tr("Places left: {n} of {places}").format(n=19, places=20)

    fatou = open_as(new_page, base, "fatou", language)
    assert fatou.locator(".bap-outcome-status").inner_text() == tr("Not selected")
    assert fatou.locator(".bap-message").inner_text() == "We hope to see you next year."

    # The selected applicant declines; the first on the waitlist gets the offer and a mail.
    SentMail.objects.all().delete()
    amina = open_as(new_page, base, "amina", language)
    assert amina.locator(".bap-message").inner_text() == "Welcome!"
    amina.locator("[data-ap-decline]").click()
    expect(amina.locator(".bap-outcome-status")).to_have_text(tr("Place declined"))
    yusuf.reload()
    yusuf.locator(".bap-outcome-status").wait_for()
    assert yusuf.locator(".bap-outcome-status").inner_text() == tr("Selected: please answer the offer")
    expect(yusuf.locator("[data-ap-offer]")).to_be_visible()
    assert run_axe(yusuf, BLOCK) == []
    mails = list(SentMail.objects.filter(to__contains="yusuf@"))
    assert [mail.subject for mail in mails] == [tr("A place is yours: {title}").format(title=TITLE)]
    yusuf.locator("[data-ap-accept]").click()
    expect(yusuf.locator(".bap-outcome-status")).to_have_text(tr("Place accepted"))
    assert demo_user_id("yusuf") in cohorts.members("IOM reintegration training")
