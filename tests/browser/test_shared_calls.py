"""The behaviour every block gets from the shared script (static/common/blended.js): a call shows the
server's refusal in the block's live region and sends one request however fast a person clicks; the
pager of a staff list moves between pages from the keyboard."""
import json
import re

from playwright.sync_api import expect

from blended_xblocks.group_assignment.models import AssignmentGroup, GroupSubmission

AGREEMENT = "/scenario/blended.30-supervisor-agreement/"
ASSIGNMENT = "/scenario/blended.20-group-assignment-community-plan/"
WEBINAR = "/scenario/blended.10-webinar-two-seats/"
APPROVAL = re.compile(r"/request_approval/")


def calls_to(page, handler):
    """The bodies of the POSTs the page sends to one handler, counted as they leave the browser."""
    sent = []
    page.on("request", lambda request: sent.append(request.post_data)
            if request.method == "POST" and f"/{handler}" in request.url else None)
    return sent


def fill_request(page, email):
    form = page.locator("[data-sa-form]")
    form.locator("input[name=name]").fill("Moussa Traoré")
    form.locator("input[name=email]").fill(email)
    form.locator("input[name=organisation]").fill("Sahel Returns NGO")
    return form.locator("button[type=submit]")


def test_a_double_click_sends_one_request_and_the_refusal_is_said_in_the_block(demo, new_page):
    page = new_page()
    page.goto(f"{demo}{AGREEMENT}?student=amina")
    sent = calls_to(page, "request_approval")
    held = []
    page.route(APPROVAL, lambda route: held.append(route))  # the answer waits until both clicks are in
    send = fill_request(page, "not-an-address")
    send.dblclick()
    expect(send).to_be_disabled()
    page.wait_for_timeout(200)
    assert len(sent) == 1 and len(held) == 1
    held[0].continue_()
    status = page.locator(".bsa-block [data-blended-status]")
    expect(status).to_have_text("Enter a valid e-mail address.")
    expect(status).to_have_attribute("role", "status")
    expect(status).to_have_attribute("aria-live", "assertive")
    expect(status).to_have_class(re.compile("blended-status--error"))
    expect(send).to_be_enabled()
    assert len(sent) == 1

    send = fill_request(page, "m.traore@ngo.example.org")
    page.unroute(APPROVAL)
    send.click()
    expect(status).to_have_text("Your request was sent to your supervisor.")
    expect(status).to_have_attribute("aria-live", "polite")
    assert len(sent) == 2


def test_a_double_click_on_register_registers_once(demo, new_page):
    page = new_page()
    page.goto(f"{demo}{WEBINAR}?student=amina")
    sent = calls_to(page, "register")
    held = []
    page.route(re.compile(r"/register/"), lambda route: held.append(route))
    page.get_by_role("button", name="Register").dblclick()
    page.wait_for_timeout(200)
    assert len(held) == 1
    held[0].continue_()
    expect(page.locator(".bw-webinar [data-blended-status]")).to_have_text("You are registered.")
    assert len(sent) == 1


def test_an_answer_that_is_not_json_is_explained_in_the_learners_language(demo, new_page):
    page = new_page(language="fr")
    page.goto(f"{demo}{AGREEMENT}?student=amina&lang=fr")
    page.route(APPROVAL, lambda route: route.fulfill(
        status=502, content_type="text/html", body="<html><body>Bad gateway</body></html>"))
    send = fill_request(page, "m.traore@ngo.example.org")
    send.click()
    expect(page.locator(".bsa-block [data-blended-status]")).to_have_text(
        "Le serveur n’a pas pu répondre (erreur 502). Réessayez dans un instant.")
    expect(send).to_be_enabled()


def test_the_pager_of_a_staff_list_moves_to_page_two_from_the_keyboard(demo, new_page):
    page = new_page()
    page.goto(f"{demo}{ASSIGNMENT}?student=instructor")
    expect(page.locator("[data-rows] tr").first).to_be_visible()
    sahel = AssignmentGroup.objects.get(name="Team Sahel")
    made = AssignmentGroup.objects.bulk_create([AssignmentGroup(course_key=sahel.course_key, usage_key=sahel.usage_key,
                                                                name=f"Team Z{i:03}", source="staff") for i in range(30)])
    GroupSubmission.objects.bulk_create([GroupSubmission(course_key=sahel.course_key, usage_key=sahel.usage_key, group=g)
                                         for g in made])
    total = AssignmentGroup.objects.filter(usage_key=sahel.usage_key).count()
    page.reload()
    pager = page.locator(".bga-pager")
    expect(pager.locator("[data-page]")).to_have_text(f"Page 1 of 2 ({total} in all)")
    expect(pager.get_by_role("button", name="Previous page")).to_be_disabled()
    expect(page.locator("[data-rows] tr")).to_have_count(25)
    sent = calls_to(page, "list_submissions")
    pager.get_by_role("button", name="Next page").focus()
    page.keyboard.press("Enter")
    expect(pager.locator("[data-page]")).to_have_text(f"Page 2 of 2 ({total} in all)")
    expect(page.locator("[data-rows] tr")).to_have_count(total - 25)
    assert [json.loads(body)["page"] for body in sent] == [2]
    expect(pager.get_by_role("button", name="Next page")).to_be_disabled()
    # The key pressed ended the list: the keyboard stays in the pager, on the way back.
    expect(pager.get_by_role("button", name="Previous page")).to_be_focused()
    page.keyboard.press("Enter")
    expect(pager.locator("[data-page]")).to_have_text(f"Page 1 of 2 ({total} in all)")
    expect(page.locator("[data-rows] tr")).to_have_count(25)
    assert len(sent) == 2
