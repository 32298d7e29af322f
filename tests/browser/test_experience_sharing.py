"""Experience sharing in the demo, as learners and staff use it in Chromium."""
from playwright.sync_api import expect

from tests.browser.conftest import run_axe

SCENARIO = "/scenario/blended.40-experience-sharing-iom/"
FIRST = '[data-usage$="blended_experience_sharing.d0.u0"]'


def open_block(demo, new_page, student, language="en"):
    page = new_page(language=language)
    page.goto(f"{demo}{SCENARIO}?student={student}&lang={language}")
    block = page.locator(FIRST)
    block.locator(".bes-post").first.wait_for()
    return page, block


def post_card(block, title):
    return block.locator(".bes-post", has=block.page.get_by_role("heading", name=title, exact=True))


def write_post(block, title, body, anonymous=False):
    block.get_by_label("Title").fill(title)
    block.get_by_label("Your account").fill(body)
    block.get_by_role("checkbox", name="economic").check()
    if anonymous:
        block.get_by_label("Post anonymously", exact=False).check()
    block.get_by_role("button", name="Publish").click()
    post_card(block, title).wait_for()


def reply_to(block, title, text):
    card = post_card(block, title)
    card.get_by_label("Your reply").fill(text)
    card.get_by_role("button", name="Reply", exact=True).click()
    card.locator(".bes-reply", has_text=text).wait_for()


def test_two_learners_share_reply_and_complete(demo, new_page):
    _, amina = open_block(demo, new_page, "amina")
    assert "Experience-sharing session 1 (live)" in amina.locator("[data-session]").inner_text()
    write_post(amina, "Cash grants in Zinder", "Context: 12 returnees.\nLesson: https://example.org/report")
    link = post_card(amina, "Cash grants in Zinder").get_by_role("link", name="https://example.org/report")
    assert link.get_attribute("rel") == "nofollow noopener ugc"

    _, yusuf = open_block(demo, new_page, "yusuf")
    assert "Amina Diallo" in post_card(yusuf, "Cash grants in Zinder").inner_text()
    write_post(yusuf, "A family under pressure", "We started with family sessions.", anonymous=True)
    reply_to(yusuf, "Cash grants in Zinder", "Did the grants cover rent?")

    _, amina = open_block(demo, new_page, "amina")
    theirs = post_card(amina, "A family under pressure")
    assert "Anonymous" in theirs.inner_text() and "Yusuf" not in theirs.inner_text()
    assert "Yusuf Abdi" in post_card(amina, "Cash grants in Zinder").inner_text()
    progress = amina.locator("[data-progress]")
    assert "1 of 1 post, 0 of 2 replies" in progress.inner_text()
    reply_to(amina, "A family under pressure", "Same approach in Agadez.")
    assert amina.locator(".bes-done").count() == 0
    reply_to(amina, "A municipal referral desk for returnees", "Which services signed first?")
    amina.locator(".bes-done").wait_for()
    assert "1 of 1 post, 2 of 2 replies" in progress.inner_text() and "Completed" in progress.inner_text()


def test_staff_pin_and_hide(demo, new_page):
    _, staff = open_block(demo, new_page, "instructor")
    assert "Omar Haddad" in post_card(staff, "When the family expects money the returnee does not have").inner_text()
    post_card(staff, "A municipal referral desk for returnees").get_by_role("button", name="Pin", exact=True).click()
    staff.locator(".bes-post").first.get_by_role("heading", name="A municipal referral desk for returnees").wait_for()
    post_card(staff, "Small business grants in Agadez: what made them last").get_by_role(
        "button", name="Hide", exact=True).click()
    post_card(staff, "Small business grants in Agadez: what made them last").get_by_text("Hidden").first.wait_for()

    _, learner = open_block(demo, new_page, "fatou")
    titles = learner.locator(".bes-post h4").all_inner_texts()
    assert titles[0] == "A municipal referral desk for returnees"
    assert "Small business grants in Agadez: what made them last" not in titles


def test_hostile_text_stays_text(demo, new_page):
    page, amina = open_block(demo, new_page, "amina")
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    payload = '<img src=x onerror="alert(1)"><script>alert(2)</script> javascript:alert(3)'
    write_post(amina, "<b>bold?</b>", payload)
    card = post_card(amina, "<b>bold?</b>")
    assert card.locator(".bes-body").inner_text() == payload
    assert card.locator("img, script, b").count() == 0 and card.locator(".bes-body a").count() == 0
    page.wait_for_timeout(300)
    assert dialogs == []


def test_arabic_is_right_to_left_and_translated(demo, new_page):
    page, block = open_block(demo, new_page, "amina", language="ar")
    section = block.locator("section.bes")
    assert section.get_attribute("dir") == "rtl" and section.get_attribute("lang") == "ar"
    expect(block.get_by_role("heading", name="شارك تجربتك")).to_be_visible()
    assert "تقدّمك" in block.locator("[data-progress]").inner_text()
    assert run_axe(page, FIRST) == []


def test_learner_and_staff_views_are_accessible(demo, new_page):
    page, _ = open_block(demo, new_page, "yusuf")
    assert run_axe(page, FIRST) == []
    page, staff = open_block(demo, new_page, "instructor")
    staff.get_by_role("button", name="Participation").click()
    staff.locator("[data-staff-out] table").wait_for()
    assert run_axe(page, FIRST) == []


def test_anonymous_author_replying_stays_anonymous(demo, new_page):
    _, yusuf = open_block(demo, new_page, "yusuf")
    write_post(yusuf, "A case I cannot sign", "A returnee's debts to smugglers.", anonymous=True)
    reply_to(yusuf, "A case I cannot sign", "Update: the debt was settled.")
    _, amina = open_block(demo, new_page, "amina", language="fr")
    card = post_card(amina, "A case I cannot sign")
    reply = card.locator(".bes-reply", has_text="Update: the debt was settled.")
    assert "Auteur (anonyme)" in reply.inner_text() and "Yusuf" not in card.inner_text()
    _, staff = open_block(demo, new_page, "instructor")
    assert "Yusuf Abdi" in post_card(staff, "A case I cannot sign").locator(".bes-reply").inner_text()


def test_every_reply_of_a_long_discussion_can_be_read(demo, new_page):
    from blended_xblocks.experience_sharing.models import SharedPost, SharedReply
    from blended_xblocks.platform.models import Learner

    target = SharedPost.objects.get(title="A municipal referral desk for returnees", usage_key__startswith="experience-sharing-")
    author = Learner.objects.filter(course_key=target.course_key).exclude(pk=target.author_id).first()
    already = SharedReply.objects.filter(post=target, hidden=False).count()
    SharedReply.objects.bulk_create(SharedReply(post=target, usage_key=target.usage_key, author=author,
                                                body=f"Reply {n:02d}") for n in range(45))
    SharedPost.objects.filter(pk=target.pk).update(reply_count=already + 45)
    _, yusuf = open_block(demo, new_page, "yusuf")
    card = post_card(yusuf, "A municipal referral desk for returnees")
    assert card.locator(".bes-reply").count() == 20
    more = card.get_by_role("button", name="Show more replies")
    while more.count():
        shown = card.locator(".bes-reply").count()
        more.click()
        card.locator(".bes-reply").nth(shown).wait_for()
    assert card.locator(".bes-reply").count() == already + 45
    assert card.locator(".bes-reply").last.inner_text().endswith("Reply 44")


def test_staff_lists_are_paged_translated_and_searchable(demo, new_page):
    from blended_xblocks.experience_sharing.models import SharedPost
    from blended_xblocks.platform.models import Learner

    target = SharedPost.objects.get(title="A municipal referral desk for returnees", usage_key__startswith="experience-sharing-")
    Learner.objects.bulk_create(Learner(course_key=target.course_key, anonymous_user_id=f"extra{n}",
                                        username=f"extra{n:02d}", full_name=f"Extra Learner {n:02d}") for n in range(60))
    _, amina = open_block(demo, new_page, "amina")
    amina.page.once("dialog", lambda dialog: dialog.accept("Names a returnee"))
    post_card(amina, "A municipal referral desk for returnees").get_by_role("button", name="Report").click()
    post_card(amina, "A municipal referral desk for returnees").get_by_text("Reported").wait_for()

    page, staff = open_block(demo, new_page, "instructor", language="fr")
    staff.get_by_role("button", name="Contributions signalées").click()
    item = staff.locator("[data-staff-out] li", has_text="A municipal referral desk for returnees").first
    item.wait_for()
    assert "Publié" in item.inner_text() and "published" not in item.inner_text()

    staff.get_by_role("button", name="Participation").click()
    out = staff.locator("[data-staff-out]")
    out.locator("table").wait_for()
    assert out.locator("tbody tr").count() == 50
    first = out.locator("tbody td").first.inner_text()
    out.get_by_role("button", name="Suivante").click()
    out.get_by_text("Page 2 sur 2").wait_for()
    assert 0 < out.locator("tbody tr").count() < 50 and out.locator("tbody td").first.inner_text() != first
    out.get_by_label("Rechercher des apprenants").fill("Extra Learner 07")
    out.get_by_role("button", name="Rechercher", exact=True).click()
    page.wait_for_function("document.querySelectorAll('[data-staff-out] tbody tr').length === 1")
    assert out.locator("tbody td").first.inner_text() == "Extra Learner 07"
    assert run_axe(page, FIRST) == []


def test_editing_an_anonymous_post_after_anonymity_is_turned_off_keeps_it_anonymous(demo, new_page):
    from workbench.runtime import WorkbenchRuntime

    from blended_xblocks.experience_sharing.models import SharedPost

    page, yusuf = open_block(demo, new_page, "yusuf")
    write_post(yusuf, "A case I cannot sign", "A returnee's debts to smugglers.", anonymous=True)
    course = WorkbenchRuntime("instructor").get_block(page.locator(FIRST).get_attribute("data-usage"))
    course.anonymous_allowed = False  # the author stops offering anonymous posts
    course.save()
    _, yusuf = open_block(demo, new_page, "yusuf")
    assert yusuf.get_by_label("Post anonymously", exact=False).count() == 0
    post_card(yusuf, "A case I cannot sign").get_by_role("button", name="Edit", exact=True).click()
    yusuf.get_by_label("Your account").fill("The debt was settled.")
    yusuf.get_by_role("button", name="Save changes").click()
    post_card(yusuf, "A case I cannot sign").get_by_text("The debt was settled.").wait_for()
    assert SharedPost.objects.get(title="A case I cannot sign").anonymous is True
