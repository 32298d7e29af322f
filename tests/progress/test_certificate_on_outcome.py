"""The certificate comes the moment the last requirement is met, wherever it is met: a supervisor
approving through the mailed link, staff marking attendance. The learner does not open the programme."""
import logging
import sys
import types
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import mail
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from blended_xblocks.core.outcomes import announce, outcome_changed
from blended_xblocks.progress.models import ProgrammeCertificate
from blended_xblocks.supervisor_agreement.models import SupervisorAgreement
from tests.harness import SUPERVISOR, approve, mailed_link, mark, programme


@pytest.fixture
def requested(monkeypatch):
    """The LMS's `generate_certificate_task`: records who the platform was asked to certify."""
    asked = []
    api = types.ModuleType("lms.djangoapps.certificates.api")
    api.generate_certificate_task = lambda user, course_key: asked.append((user.id, str(course_key)))
    for name in ("lms", "lms.djangoapps", "lms.djangoapps.certificates"):
        monkeypatch.setitem(sys.modules, name, types.ModuleType(name))
    monkeypatch.setitem(sys.modules, api.__name__, api)
    return asked


def published(course, extra=""):
    """The programme, published as it is once anyone (here the instructor's cohort page) opens it."""
    key = programme(course, extra=extra)
    staff = course.lms(course.person("instructor", "Joy Paone"), staff=True)
    assert staff.call(key, "cohort", {"page": 1, "page_size": 10}).status == 200
    return key


def supervisor_approves(course, person):
    """The learner asks; the supervisor approves through the mailed no-login link, nobody signed in."""
    assert course.lms(person).call(course.agreement, "request_approval", SUPERVISOR).status == 200
    token = parse_qs(urlsplit(mailed_link(mail.outbox[-1])).query)["token"][0]
    decided = course.lms_noauth(None).call(course.agreement, "supervisor_review", post={
        "token": token, "decision": "approve", "signer_name": "Moussa Traoré", "reason": ""})
    assert decided.status == 200 and "You approved" in decided.body.decode()


def assert_certified(course, key, person, requested):
    certificate = ProgrammeCertificate.objects.get()
    assert certificate.full_name == person.full_name
    assert course.completions[(person.user_id, str(key))] == 1.0
    assert course.gradebook_score(key, person).earned == 2  # the programme's weight
    assert requested == [(person.user_id, str(course.course_key))]


def test_the_supervisors_approval_through_the_link_issues_the_certificate_at_once(
        course, requested, django_capture_on_commit_callbacks):
    key = published(course)
    amina = course.person("amina", "Amina Diallo")
    mark(course, course.w1, amina, "present")  # the agreement is all she still needs
    assert not ProgrammeCertificate.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        supervisor_approves(course, amina)
    assert_certified(course, key, amina, requested)
    state = course.lms(amina).call(key, "get_state").json  # her next visit finds it, issues nothing more
    assert state["certificate"]["code"] == ProgrammeCertificate.objects.get().code


def test_attendance_marked_by_staff_issues_the_certificate_at_once(course, requested,
                                                                  django_capture_on_commit_callbacks):
    key = published(course)
    amina = course.person("amina", "Amina Diallo")
    assert course.lms(amina).call(course.w2, "register", {}).status == 200
    approve(course, amina)
    with django_capture_on_commit_callbacks(execute=True):
        mark(course, course.w2, amina, "late")
    assert_certified(course, key, amina, requested)


def test_a_learner_who_still_misses_a_requirement_gets_nothing(course, requested,
                                                              django_capture_on_commit_callbacks):
    key = published(course)
    yusuf = course.person("yusuf", "Yusuf Abdi")
    with django_capture_on_commit_callbacks(execute=True):
        supervisor_approves(course, yusuf)  # no webinar attended yet
        mark(course, course.w1, yusuf, "absent")
    assert not ProgrammeCertificate.objects.exists() and requested == []
    assert (str(key), yusuf.user_id) not in {(k, u) for u, k in course.completions}


def test_only_the_learners_concerned_are_judged(course, requested, django_capture_on_commit_callbacks):
    """Amina meets the programme while away; staff marking Yusuf's attendance does not certify her."""
    published(course)
    amina, yusuf = course.person("amina", "Amina Diallo"), course.person("yusuf", "Yusuf Abdi")
    mark(course, course.w1, amina, "present")
    approve(course, amina)  # outside any commit callback: nothing told
    with django_capture_on_commit_callbacks(execute=True):
        mark(course, course.w1, yusuf, "present")
    assert not ProgrammeCertificate.objects.exists() and requested == []


def test_a_course_without_a_programme_costs_one_check(course, requested, django_capture_on_commit_callbacks):
    amina = course.person("amina", "Amina Diallo")
    mark(course, course.w1, amina, "present")
    with django_capture_on_commit_callbacks() as callbacks:
        supervisor_approves(course, amina)
    with CaptureQueriesContext(connection) as queries:
        for callback in callbacks:
            callback()
    programme_queries = [query["sql"] for query in queries if "programme" in query["sql"].lower()]
    assert len(programme_queries) == 1 and "programmedefinition" in programme_queries[0].lower()
    assert len(queries) == 1


def test_a_failure_while_awarding_is_logged_and_the_approval_stands(course, requested, monkeypatch, caplog,
                                                                   django_capture_on_commit_callbacks):
    published(course)
    amina = course.person("amina", "Amina Diallo")
    mark(course, course.w1, amina, "present")

    def broken(*args, **kwargs):
        raise RuntimeError("the gradebook is down")

    monkeypatch.setattr("blended_xblocks.progress.awards.judge", broken)
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        supervisor_approves(course, amina)
    assert SupervisorAgreement.objects.get().status == "approved"
    assert not ProgrammeCertificate.objects.exists()
    assert "could not award certificates" in caplog.text


def test_a_committed_approval_issues_the_certificate_on_a_real_database(course, requested, transactional_db):
    """No test transaction around it: the change commits as in the LMS, and the certificate follows
    (run on MariaDB/PostgreSQL with DATABASE_URL)."""
    key = published(course)
    amina = course.person("amina", "Amina Diallo")
    mark(course, course.w1, amina, "present")
    supervisor_approves(course, amina)
    assert_certified(course, key, amina, requested)


def test_a_change_rolled_back_tells_nobody(transactional_db):
    heard = []

    def listener(sender, course_key, learner_ids, kind, **kwargs):
        heard.append((course_key, learner_ids, kind))

    outcome_changed.connect(listener, dispatch_uid="test-listener")
    try:
        with pytest.raises(RuntimeError), transaction.atomic():
            announce("course-v1:IOM+REINT+2022", [3], "approval")
            raise RuntimeError("refused")
        assert heard == []
        with transaction.atomic():
            announce("course-v1:IOM+REINT+2022", [5, 3, 5, None], "attendance")
            assert heard == []  # not before the commit
        assert heard == [("course-v1:IOM+REINT+2022", [3, 5], "attendance")]
    finally:
        outcome_changed.disconnect(dispatch_uid="test-listener")


REPORT = """<blended_group_assignment url_name="report" display_name="Individual report" mode="individual"
    due="2022-06-10T23:59" timezone="Europe/Geneva" late_submissions="{late}">
  <prompt><p>Write your reintegration report.</p></prompt>
  <rubric><criterion name="report" label="Report">
    <level points="0" label="Missing"/><level points="4" label="Complete"/></criterion></rubric>
</blended_group_assignment>"""
REPORT_REQUIREMENT = '<requirement id="report" label="Report" kind="assignment" blocks="blended_group_assignment/report"/>'


@pytest.mark.parametrize("late", ["false", "true"])
def test_instructors_see_at_risk_a_learner_whose_assignment_deadline_passed(course, late):
    """The report was due in June 2022 and Yusuf never handed it in: where late work is refused he can no
    longer meet the programme, and the cohort's at-risk filter lists him."""
    report = course.import_olx(REPORT.format(late=late))
    key = programme(course, extra=REPORT_REQUIREMENT)
    yusuf = course.person("yusuf", "Yusuf Abdi")
    mark(course, course.w1, yusuf, "present")
    staff = course.lms(course.person("instructor", "Joy Paone"), staff=True)
    assert staff.call(key, "cohort", {"page": 1, "page_size": 10, "status": "at_risk"}).json["total"] == 0
    course.lms(yusuf).render(report)  # shown (or published): its deadline is known
    page = staff.call(key, "cohort", {"page": 1, "page_size": 10, "status": "at_risk"}).json
    if late == "true":
        assert page["total"] == 0 and page["counts"]["at_risk"] == 0
        return
    rows = {row["username"]: row for row in page["learners"]}  # (the instructor who marked attendance is listed too)
    assert "yusuf" in rows and rows["yusuf"]["at_risk"] and page["counts"]["at_risk"] == len(rows)
    assert rows["yusuf"]["requirements"]["report"] == {"met": False, "done": 0, "needed": 1}
    assert rows["yusuf"]["requirements"]["webinars"]["met"]
    state = course.lms(yusuf).call(key, "get_state").json
    assert state["at_risk"] and [r["at_risk"] for r in state["requirements"]] == [False, False, True]


DEMO = """<vertical_demo>
  {agreement}
  <blended_progress url_name="programme" display_name="Your programme" weight="1">
    <requirement id="supervisor" kind="approval" blocks="blended_supervisor_agreement/agreement"/>
  </blended_progress>
</vertical_demo>"""


def test_in_the_demo_an_instructors_approval_issues_the_certificate_before_the_learner_returns(transactional_db):
    """The demo commits as the LMS does: the certificate is there when Amina next opens the programme."""
    from tests.harness import SUPERVISOR_AGREEMENT as OLX
    from tests.harness import Workbench
    from tests.harness import named as _named

    workbench = Workbench()
    root = workbench.load(DEMO.format(agreement=_named(OLX.format(weight="0"), "agreement")))
    agreement, programme_block = workbench.block(root, "amina").children
    workbench.render(agreement, "amina")  # Amina opens the agreement; nobody opened the programme but staff
    assert workbench.call(programme_block, "cohort", {"page": 1, "page_size": 10}, student="instructor").status == 200
    decided = workbench.call(agreement, "record_decision", {"user_id": "amina", "status": "approved", "note": "Signed"},
                             student="instructor")
    assert decided.status == 200, decided.body
    certificate = ProgrammeCertificate.objects.get()
    state = workbench.call(programme_block, "get_state", student="amina").json
    assert state["certificate"]["code"] == certificate.code and state["certificate"]["status"] == "available"
