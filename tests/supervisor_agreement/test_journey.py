"""The core journey: learner asks, supervisor decides through the mailed link, everyone sees it."""

import pytest
from django.core import mail as django_mail
from lxml import etree

from blended_xblocks.demo.models import DemoCompletion
from blended_xblocks.supervisor_agreement.models import AgreementEvent, SupervisorRequest
from tests.harness import SUPERVISOR, ask, decide, last_mail, token_from
from tests.harness import SUPERVISOR_AGREEMENT as OLX
from tests.harness import review_page as page


def html_of(message) -> str:
    return message.alternatives[0][0]


@pytest.fixture
def usage(workbench):
    return workbench.load(OLX.format(weight="1"))


def test_olx_round_trip_keeps_fields_and_agreement(workbench, usage):
    block = workbench.block(usage)
    node = etree.Element("root")
    block.add_xml_to_node(node)
    assert node.get("commitment") == "About 25 hours between 2 May and 30 June 2022"
    assert node.get("link_days") == "14" and node.get("reminder_days") == "5"
    assert node.get("agreement") is None
    text = etree.tostring(node.find("agreement"), encoding="unicode")
    assert "<strong>Amina</strong>" in text
    again = workbench.block(workbench.load(etree.tostring(node, encoding="unicode")))
    assert again.agreement == block.agreement and again.commitment == block.commitment


def test_supervisor_approves_through_link_and_everyone_sees_it(workbench, usage):
    token = ask(workbench, usage)
    assert len(django_mail.outbox) == 1
    mail = last_mail()
    assert mail.to == ["m.traore@ngo.example.org"] and mail.from_email == "training@blended.example.org"
    assert "Amina Diallo" in mail.subject and "\n" not in mail.subject
    assert "About 25 hours" in mail.body and "About 25 hours" in html_of(mail)
    state = workbench.call(usage, "get_state").json
    assert state["status"] == "pending" and state["request"]["supervisor_name"] == "Moussa Traoré"

    shown = page(workbench, usage, token)
    html = shown.body.decode()
    assert shown.status == 200 and "Amina Diallo" in html and "About 25 hours" in html
    assert "IOM reintegration training" in html and "<strong>Amina</strong>" in html
    assert shown.headers["Cache-Control"] == "no-store" and shown.headers["Referrer-Policy"] == "no-referrer"

    done = decide(workbench, usage, token)
    assert done.status == 200 and "You approved" in done.body.decode()
    state = workbench.call(usage, "get_state").json
    assert state["status"] == "approved"
    assert state["decision"]["name"] == "Moussa Traoré" and state["decision"]["decided_by"] == "supervisor"
    assert DemoCompletion.objects.get(anonymous_user_id="amina").completion == 1.0
    from submissions import api
    scores = api.get_score({"student_id": "amina", "course_id": workbench.block(usage).course_key_string,
                            "item_id": str(usage), "item_type": "blended_supervisor_agreement"})
    assert scores["points_earned"] == 1

    listing = workbench.call(usage, "list_agreements", {}, student="instructor").json
    amina = next(row for row in listing["agreements"] if row["user_id"] == "amina")
    assert amina["status"] == "approved" and amina["decider_name"] == "Moussa Traoré"
    assert amina["decided_by"] == "supervisor"
    event = AgreementEvent.objects.get(kind="approved")
    assert event.signer_name == "Moussa Traoré" and event.actor == "supervisor"


def test_decline_needs_a_reason_and_the_learner_sees_it(workbench, usage):
    token = ask(workbench, usage)
    refused = decide(workbench, usage, token, decision="decline", reason="")
    assert refused.status == 400 and "reason" in refused.body.decode()
    assert workbench.call(usage, "get_state").json["status"] == "pending"
    done = decide(workbench, usage, token, decision="decline", reason="Field mission in June")
    assert done.status == 200
    state = workbench.call(usage, "get_state").json
    assert state["status"] == "declined" and state["decision"]["reason"] == "Field mission in June"
    assert not DemoCompletion.objects.filter(anonymous_user_id="amina").exists()
    assert state["can_request"]  # the learner may ask someone else


def test_signature_is_required(workbench, usage):
    token = ask(workbench, usage)
    assert decide(workbench, usage, token, signer="   ").status == 400
    assert decide(workbench, usage, token, signer="Moussa\r\nBcc: x@evil.example").status == 400
    assert SupervisorRequest.objects.get().status == "pending"


def test_supervisor_page_is_in_the_learners_language(workbench, usage):
    result = workbench.call(usage, "request_approval", SUPERVISOR, language="ar")
    assert result.status == 200
    mail = last_mail()
    assert 'dir="rtl"' in html_of(mail)
    shown = page(workbench, usage, token_from(mail), language="en")
    html = shown.body.decode()
    assert 'lang="ar"' in html and 'dir="rtl"' in html
    assert "Supervisor agreement" not in html.split("<body>")[1]  # translated, not English


def test_resend_sends_a_new_link_and_retires_the_old_one(workbench, usage):
    old = ask(workbench, usage)
    result = workbench.call(usage, "resend", {})
    assert result.status == 200 and result.json["request"]["send_count"] == 2
    new = token_from(last_mail())
    assert page(workbench, usage, old).status == 410
    assert decide(workbench, usage, old).status == 410
    assert page(workbench, usage, new).status == 200


def test_changing_supervisor_invalidates_the_old_link(workbench, usage):
    old = ask(workbench, usage)
    ask(workbench, usage, name="Halima Yusuf", email="h.yusuf@ngo.example.org")
    replaced = decide(workbench, usage, old)
    assert replaced.status == 410 and "replaced" in replaced.body.decode()
    state = workbench.call(usage, "get_state").json
    assert state["status"] == "pending" and state["request"]["supervisor_name"] == "Halima Yusuf"


def test_cancel_request_retires_the_link(workbench, usage):
    token = ask(workbench, usage)
    result = workbench.call(usage, "cancel_request", {})
    assert result.status == 200 and result.json["status"] == "not_requested"
    assert decide(workbench, usage, token).status == 410
    assert workbench.call(usage, "cancel_request", {}).error_code == "nothing_to_cancel"


def test_used_link_cannot_decide_twice(workbench, usage):
    token = ask(workbench, usage)
    assert decide(workbench, usage, token).status == 200
    again = decide(workbench, usage, token, decision="decline", reason="changed my mind")
    assert again.status == 409
    assert page(workbench, usage, token).status == 409
    assert workbench.call(usage, "get_state").json["status"] == "approved"
    assert workbench.call(usage, "request_approval", SUPERVISOR).error_code == "already_approved"


def test_learner_sees_only_their_own_agreement(workbench, usage):
    ask(workbench, usage)
    other = workbench.call(usage, "get_state", student="yusuf").json
    assert other["status"] == "not_requested" and other["request"] is None
    assert "Moussa" not in workbench.render(usage, student="yusuf")


def test_weight_zero_completes_without_score(workbench):
    usage = workbench.load(OLX.format(weight="0"))
    decide(workbench, usage, ask(workbench, usage))
    assert DemoCompletion.objects.get(anonymous_user_id="amina").completion == 1.0
    from submissions.models import StudentItem
    assert not StudentItem.objects.filter(item_id=str(usage)).exists()


def test_studio_editor_lists_the_authoring_fields(workbench, usage):
    html = workbench.render(usage, student="instructor", view="studio_view")
    for field in ("commitment", "agreement", "link_days", "reminder_days", "weight", "programme"):
        assert f'data-field-name="{field}"' in html


def test_studio_validation_refuses_impossible_timings(workbench):
    usage = workbench.load(OLX.format(weight="0").replace('link_days="14"', 'link_days="200"'))
    messages = [message.text for message in workbench.block(usage).validate().messages]
    assert "Links must work for 1 to 90 days." in messages
    usage = workbench.load(OLX.format(weight="0").replace('reminder_days="5"', 'reminder_days="20"'))
    assert not workbench.block(usage).validate().empty


def test_new_block_has_sane_defaults(workbench):
    usage = workbench.load("<blended_supervisor_agreement/>")
    assert "Supervisor agreement" in workbench.render(usage)
    token = ask(workbench, usage)
    assert "I agree to give the participant time" in page(workbench, usage, token).body.decode()


def test_anonymous_preview_invites_to_sign_in_and_records_nothing(workbench, usage):
    from blended_xblocks.platform.models import Learner
    html = workbench.render(usage, student="none")
    assert "Sign in to ask your supervisor for approval." in html and "data-sa-form" not in html
    assert not Learner.objects.exists()


def test_learner_visit_publishes_completion_a_no_login_decision_could_not(workbench, usage):
    decide(workbench, usage, ask(workbench, usage))
    DemoCompletion.objects.all().delete()  # as in the LMS when the decision found no completion service
    workbench.render(usage)
    assert DemoCompletion.objects.get(anonymous_user_id="amina").completion == 1.0
    DemoCompletion.objects.all().delete()
    workbench.render(usage)  # published once, not on every visit
    assert not DemoCompletion.objects.exists()


def test_learner_visit_publishes_the_score_a_failed_gradebook_write_lost(workbench, usage, monkeypatch):
    from submissions import api

    from blended_xblocks.demo.platform import WorkbenchPlatform

    def gradebook_down(self, scores):
        raise RuntimeError("edx-submissions is down")

    item = {"student_id": "amina", "course_id": workbench.block(usage).course_key_string, "item_id": str(usage),
            "item_type": "blended_supervisor_agreement"}
    token = ask(workbench, usage)
    monkeypatch.setattr(WorkbenchPlatform, "set_scores", gradebook_down)
    assert decide(workbench, usage, token).status == 200  # the decision stands
    monkeypatch.undo()
    assert api.get_score(item) is None
    workbench.render(usage)
    assert api.get_score(item)["points_earned"] == 1
