"""Instructors: list (paginated, filtered, bounded queries), paper decisions, resend, CSV export."""
import csv
import io
from datetime import timedelta

import pytest
from django.core import mail as django_mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from blended_xblocks.demo.models import DemoCompletion
from blended_xblocks.platform.models import Learner
from blended_xblocks.supervisor_agreement.models import AgreementEvent, SupervisorAgreement, SupervisorRequest
from tests.harness import SUPERVISOR, ask, decide, last_mail, token_from
from tests.harness import SUPERVISOR_AGREEMENT as OLX
from tests.harness import review_page as page


@pytest.fixture
def usage(workbench):
    return workbench.load(OLX.format(weight="1"))


def staff(workbench, usage, handler, body=None, **kwargs):
    return workbench.call(usage, handler, body if body is not None else {}, student="instructor", **kwargs)


def test_list_shows_every_learner_with_status_filter_and_pages(workbench, usage):
    for student in ("amina", "yusuf", "fatou"):
        workbench.call(usage, "get_state", student=student)
    ask(workbench, usage, student="yusuf")
    token = ask(workbench, usage, student="fatou")
    decide(workbench, usage, token)
    listing = staff(workbench, usage, "list_agreements", {"page_size": 2}).json
    assert listing["total"] == 3 and listing["num_pages"] == 2 and len(listing["agreements"]) == 2
    assert listing["counts"] == {"not_requested": 1, "pending": 1, "awaiting_staff": 0, "approved": 1, "declined": 0,
                                 "expired": 0}
    pending = staff(workbench, usage, "list_agreements", {"status": "pending"}).json["agreements"]
    assert [row["user_id"] for row in pending] == ["yusuf"]
    assert pending[0]["pending_days"] == 0 and pending[0]["supervisor_email"] == SUPERVISOR["email"]
    never = staff(workbench, usage, "list_agreements", {"status": "not_requested"}).json["agreements"]
    assert [row["user_id"] for row in never] == ["amina"]


@pytest.mark.parametrize("body,code", [({"page": 0}, "out_of_range"), ({"page_size": 5000}, "out_of_range"),
                                       ({"status": "maybe"}, "invalid_choice"), ({"sort": "x"}, "unknown_field")])
def test_list_rejects_bad_input(workbench, usage, body, code):
    result = staff(workbench, usage, "list_agreements", body)
    assert result.status == 400 and result.error_code == code


def test_list_queries_do_not_grow_with_learners(workbench, usage):
    course = workbench.block(usage).course_key_string
    Learner.objects.bulk_create([Learner(course_key=course, anonymous_user_id=f"l{i}", username=f"l{i}",
                                         full_name=f"Learner {i:04d}") for i in range(3000)])
    learners = list(Learner.objects.filter(course_key=course)[:1500])
    SupervisorAgreement.objects.bulk_create([
        SupervisorAgreement(learner=learner, course_key=course, usage_key=usage, status="approved",
                            decided_by="instructor", decider_name="Joy Paone") for learner in learners])
    with CaptureQueriesContext(connection) as captured:
        result = staff(workbench, usage, "list_agreements", {"page": 3, "page_size": 200})
    assert len([query for query in captured if "blended_xblocks_" in query["sql"]]) <= 3  # the rest: workbench fields
    assert result.json["total"] == 3000 and len(result.json["agreements"]) == 200
    assert result.json["counts"]["approved"] == 1500


def test_paper_decision_completes_and_closes_the_online_link(workbench, usage):
    token = ask(workbench, usage)
    result = staff(workbench, usage, "record_decision",
                   {"user_id": "amina", "status": "approved", "note": "Signed paper form received 28 April"})
    assert result.status == 200 and result.json["status"] == "approved"
    assert result.json["decision"]["decided_by"] == "instructor"
    assert DemoCompletion.objects.get(anonymous_user_id="amina").completion == 1.0
    assert decide(workbench, usage, token).status == 409  # the supervisor learns it is already decided
    state = workbench.call(usage, "get_state").json
    assert state["status"] == "approved" and state["decision"]["decided_by"] == "instructor"
    event = AgreementEvent.objects.get(kind="approved")
    assert event.actor == "instructor:instructor" and event.note.startswith("Signed paper")


def test_paper_decision_for_a_learner_who_never_asked(workbench, usage):
    workbench.call(usage, "get_state", student="omar")
    result = staff(workbench, usage, "record_decision", {"user_id": "omar", "status": "declined", "note": "No"})
    assert result.status == 200 and result.json["status"] == "declined"


def test_paper_decline_after_approval_withdraws_completion(workbench, usage):
    decide(workbench, usage, ask(workbench, usage))
    staff(workbench, usage, "record_decision", {"user_id": "amina", "status": "declined", "note": "Withdrawn"})
    assert DemoCompletion.objects.get(anonymous_user_id="amina").completion == 0.0


def test_paper_decision_refuses_stale_expectations_and_bad_input(workbench, usage):
    decide(workbench, usage, ask(workbench, usage))
    stale = staff(workbench, usage, "record_decision", {"user_id": "amina", "status": "declined", "note": "x",
                                                         "expected_status": "pending"})
    assert stale.status == 409 and stale.error_code == "status_changed"
    assert staff(workbench, usage, "record_decision", {"user_id": "ghost", "status": "approved",
                                                       "note": "x"}).error_code == "unknown_user"
    assert staff(workbench, usage, "record_decision", {"user_id": "amina", "status": "pending",
                                                       "note": "x"}).error_code == "invalid_choice"
    assert staff(workbench, usage, "record_decision", {"user_id": "amina", "status": "approved",
                                                       "note": ""}).error_code == "required"
    assert SupervisorAgreement.objects.get().status == "approved"


def test_staff_resend_for_a_learner_is_not_rate_limited_by_the_learner(workbench, usage):
    old = ask(workbench, usage)
    for _ in range(3):
        assert staff(workbench, usage, "resend", {"user_id": "amina"}).status == 200
    assert len(django_mail.outbox) == 4
    assert page(workbench, usage, old).status == 410
    assert page(workbench, usage, token_from(last_mail())).status == 200
    assert staff(workbench, usage, "resend", {"user_id": "ghost"}).error_code == "unknown_user"
    assert workbench.call(usage, "get_state").json["mails_left_today"] == 2  # only her own request counts


def test_export_csv_lists_everyone_and_defuses_formulas(workbench, usage):
    ask(workbench, usage, student="amina", organisation="=HYPERLINK(\"http://evil\")")
    workbench.call(usage, "get_state", student="yusuf")
    result = staff(workbench, usage, "export_agreements", method="GET")
    assert result.status == 200 and result.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(result.body.decode("utf-8"))))
    by_id = {row["user_id"]: row for row in rows}
    assert by_id["amina"]["status"] == "pending" and by_id["yusuf"]["status"] == "not_requested"
    assert by_id["amina"]["organisation"].startswith("'=")


@pytest.mark.parametrize("formula", ["=1+2", "+1+2", "-1+2", "@SUM(A1)", "\t=1+2", "\r=1+2", " =1+2", "\n=1+2"],
                         ids=repr)
def test_export_neutralises_every_text_cell_a_spreadsheet_would_run(workbench, usage, formula):
    """The learner's name (as the platform gives it) and what the learner typed (supervisor, organisation:
    single-line fields, trimmed) come out behind a quote, as text."""
    typed = formula.strip()
    ask(workbench, usage, student="amina", name=typed + " Traoré", organisation=typed + " NGO")
    Learner.objects.filter(anonymous_user_id="amina").update(full_name=formula + " Diallo")
    result = staff(workbench, usage, "export_agreements", method="GET")
    row = next(row for row in csv.DictReader(io.StringIO(result.body.decode("utf-8-sig"))) if row["user_id"] == "amina")
    assert row["full_name"] == "'" + formula + " Diallo", row
    assert row["supervisor_name"] == "'" + typed + " Traoré" and row["organisation"] == "'" + typed + " NGO", row


def test_instructor_view_renders_the_staff_panel_only_for_staff(workbench, usage):
    assert "bsa-staff" in workbench.render(usage, student="instructor")
    assert "bsa-staff" not in workbench.render(usage, student="amina")


def test_retirement_forgets_the_supervisor(workbench, usage):
    from blended_xblocks.platform.retirement import retire_learner
    from blended_xblocks.supervisor_agreement.models import SupervisorRequest
    decide(workbench, usage, ask(workbench, usage))
    Learner.objects.filter(anonymous_user_id="amina").update(user_id=77)
    retire_learner(user=type("User", (), {"id": 77})())
    request = SupervisorRequest.objects.get()
    assert request.supervisor_email == "" and request.signer_name == "" and request.decision_ip == ""


def test_paper_form_cannot_overwrite_the_supervisors_own_signature(workbench, usage):
    decide(workbench, usage, ask(workbench, usage), signer="Moussa Traoré")
    again = staff(workbench, usage, "record_decision", {"user_id": "amina", "status": "approved", "note": "paper too"})
    assert again.status == 409 and again.error_code == "already_decided"
    decision = workbench.call(usage, "get_state").json["decision"]
    assert decision["decided_by"] == "supervisor" and "Moussa" in str(decision)


def test_a_reminder_does_not_make_a_long_pending_request_look_recent(workbench, usage):
    ask(workbench, usage)
    ten_days_ago = timezone.now() - timedelta(days=10)
    SupervisorRequest.objects.update(created=ten_days_ago, last_sent_at=ten_days_ago)
    assert staff(workbench, usage, "resend", {"user_id": "amina"}).status == 200
    row = staff(workbench, usage, "list_agreements", {"status": "pending"}).json["agreements"][0]
    assert row["pending_days"] == 10


def test_export_says_expired_like_the_list_and_the_learner(workbench, usage):
    ask(workbench, usage)
    SupervisorRequest.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    body = staff(workbench, usage, "export_agreements", method="GET").body.decode("utf-8")
    assert {row["user_id"]: row["status"] for row in csv.DictReader(io.StringIO(body))}["amina"] == "expired"
    assert workbench.call(usage, "get_state").json["status"] == "expired"
