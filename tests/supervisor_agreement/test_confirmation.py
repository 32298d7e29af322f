"""`require_staff_confirmation`: a supervisor's approval counts only once course staff confirm it.

Anyone can be named as a supervisor, an address the learner owns included (only their account's
own address is refused); authors who need more than the supervisor's word turn this on, or
restrict supervisors' domains.
"""
import pytest
from lxml import etree

from blended_xblocks.demo.models import DemoCompletion
from blended_xblocks.supervisor_agreement.models import AgreementEvent
from tests.harness import SUPERVISOR_AGREEMENT as OLX
from tests.harness import ask, decide
from tests.harness import review_page as page

CONFIRMED_OLX = OLX.format(weight="1").replace('weight="1"', 'weight="1" require_staff_confirmation="true"')


@pytest.fixture
def usage(workbench):
    return workbench.load(CONFIRMED_OLX)


def staff(workbench, usage, handler, body):
    return workbench.call(usage, handler, body, student="instructor")


def score_of(workbench, usage, student="amina"):
    from submissions import api
    score = api.get_score({"student_id": student, "course_id": workbench.block(usage).course_key_string,
                           "item_id": str(usage), "item_type": "blended_supervisor_agreement"})
    return score and score["points_earned"]


def completion_of(student="amina"):
    row = DemoCompletion.objects.filter(anonymous_user_id=student).first()
    return row and row.completion


def test_an_approval_waits_for_staff_then_counts(workbench, usage):
    token = ask(workbench, usage, email="amina.diallo@gmail.com")
    assert decide(workbench, usage, token).status == 200
    state = workbench.call(usage, "get_state").json
    assert state["status"] == "awaiting_staff" and state["can_request"] is False
    assert state["decision"]["name"] == "Moussa Traoré" and state["decision"]["decided_by"] == "supervisor"
    assert completion_of() is None and not score_of(workbench, usage)
    assert page(workbench, usage, token).status == 409  # the link is used
    again = workbench.call(usage, "request_approval", {"name": "X", "email": "x@ngo.example.org", "organisation": "Y"})
    assert again.status == 409 and again.error_code == "already_approved"

    listing = staff(workbench, usage, "list_agreements", {"status": "awaiting_staff"}).json
    assert listing["counts"]["awaiting_staff"] == 1
    [row] = listing["agreements"]
    assert row["user_id"] == "amina" and row["supervisor_email_flags"] == ["free_mail"]

    refused = workbench.call(usage, "confirm_approval", {"user_id": "amina"}, student="yusuf")
    assert refused.status == 403 and refused.error_code == "staff_only"
    confirmed = staff(workbench, usage, "confirm_approval", {"user_id": "amina"})
    assert confirmed.status == 200 and confirmed.json["status"] == "approved"
    assert confirmed.json["decision"]["name"] == "Moussa Traoré"  # the supervisor approved; staff confirmed
    assert completion_of() == 1.0 and score_of(workbench, usage) == 1
    event = AgreementEvent.objects.get(kind="confirmed")
    assert event.actor == "instructor:instructor" and event.signer_name == "Joy Paone (instructor)"
    twice = staff(workbench, usage, "confirm_approval", {"user_id": "amina"})
    assert twice.status == 409 and twice.error_code == "nothing_to_confirm"


def test_staff_can_refuse_an_approval_awaiting_confirmation(workbench, usage):
    decide(workbench, usage, ask(workbench, usage))
    declined = staff(workbench, usage, "record_decision", {"user_id": "amina", "status": "declined",
                                                           "note": "The supervisor is the learner's colleague",
                                                           "expected_status": "awaiting_staff"})
    assert declined.status == 200 and declined.json["status"] == "declined"
    assert completion_of() is None and not score_of(workbench, usage)
    assert workbench.call(usage, "get_state").json["can_request"] is True  # the learner may ask someone else


def test_nothing_to_confirm_without_an_approval(workbench, usage):
    ask(workbench, usage)
    result = staff(workbench, usage, "confirm_approval", {"user_id": "amina"})
    assert result.status == 409 and result.error_code == "nothing_to_confirm"
    assert staff(workbench, usage, "confirm_approval", {"user_id": "nobody"}).error_code == "unknown_user"


def test_a_declining_supervisor_needs_no_confirmation(workbench, usage):
    decide(workbench, usage, ask(workbench, usage), decision="decline", reason="Field mission in June")
    assert workbench.call(usage, "get_state").json["status"] == "declined"


def test_off_by_default_an_approval_counts_at_once(workbench):
    usage = workbench.load(OLX.format(weight="1"))
    assert workbench.block(usage).require_staff_confirmation is False
    decide(workbench, usage, ask(workbench, usage))
    assert workbench.call(usage, "get_state").json["status"] == "approved" and completion_of() == 1.0


def test_the_setting_is_an_olx_attribute_and_a_studio_field(workbench, usage):
    block = workbench.block(usage)
    assert block.require_staff_confirmation is True
    node = etree.Element("root")
    block.add_xml_to_node(node)
    assert node.get("require_staff_confirmation") == "true"
    html = workbench.render(usage, student="instructor", view="studio_view")
    assert 'data-field-name="require_staff_confirmation"' in html
