"""What learners see in the LMS after others act for them: supervisors through the mailed link,
staff marking attendance, workers pushing scores. Read back as the gradebook and completion show it."""
import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import mail

from blended_xblocks.platform import gradebook
from blended_xblocks.platform.models import Learner
from blended_xblocks.webinar.models import WebinarSession
from tests.harness import SUPERVISOR, SUPERVISOR_AGREEMENT, grade_body, mailed_link, webinar
from tests.openedx.blocks import BLOCKS, with_url_name


@pytest.fixture
def agreement(openedx):
    return openedx.import_olx(BLOCKS["blended_supervisor_agreement"])


@pytest.mark.parametrize("signed_in", [None, "yusuf"])
def test_the_supervisor_link_works_with_nobody_or_someone_else_signed_in(openedx, agreement, signed_in):
    amina = openedx.person("amina", "Amina Diallo")
    assert openedx.lms(amina).call(agreement, "request_approval", SUPERVISOR).status == 200
    link = mailed_link(mail.outbox[-1])
    assert link.startswith("https://lms.example.org/courses/course-v1:IOM+REINT+2022/xblock/")
    assert "/handler_noauth/supervisor_review?" in link
    token = parse_qs(urlsplit(link).query)["token"][0]
    browser = openedx.lms_noauth(openedx.person(signed_in) if signed_in else None)
    page = browser.call(agreement, "supervisor_review", method="GET", query=f"token={token}")
    assert page.status == 200 and "Amina Diallo" in page.body.decode()
    decided = browser.call(agreement, "supervisor_review",
                           post={"token": token, "decision": "approve", "signer_name": "Moussa Traoré", "reason": ""})
    assert decided.status == 200 and "You approved" in decided.body.decode()
    assert openedx.lms(amina).call(agreement, "get_state").json["status"] == "approved"
    assert openedx.completions == {(amina.user_id, str(agreement)): 1.0}
    score = openedx.gradebook_score(agreement, amina)
    assert (score.earned, score.possible, score.source) == (1, 1, "submissions")
    if signed_in:
        assert openedx.gradebook_score(agreement, openedx.person(signed_in)).source == "block"


def test_a_learner_sees_nothing_earned_of_the_weight_before_any_score(openedx):
    key = openedx.import_olx(webinar(weight="2", url_name="webinar-3"))
    score = openedx.gradebook_score(key, openedx.person("amina"))
    assert (score.earned, score.possible, score.source) == (0.0, 2.0, "block")


def test_attendance_marked_by_staff_reaches_the_gradebook_through_a_worker(openedx, queue, monkeypatch,
                                                                           django_capture_on_commit_callbacks):
    """Celery or the management command: no block, no runtime, only the keys."""
    key = openedx.import_olx(webinar(weight="2", url_name="webinar-3"))
    learners = [openedx.person(name) for name in ("amina", "yusuf")]
    for learner in learners:
        assert openedx.lms(learner).call(key, "register", {}).status == 200
    staff = openedx.lms(openedx.person("instructor"), staff=True)
    records = [{"user_id": learner.anonymous_id(openedx.course_key), "attendance": "present"} for learner in learners]
    monkeypatch.setattr(gradebook, "INLINE_LIMIT", 0)  # every score goes to the worker
    with django_capture_on_commit_callbacks(execute=True):
        assert staff.call(key, "set_attendance", {"records": records}).status == 200
    assert queue.queued and openedx.gradebook_score(key, learners[0]).source == "block"
    assert gradebook.push_everything() == 2
    for learner in learners:
        score = openedx.gradebook_score(key, learner)
        assert (score.earned, score.possible, score.source) == (2, 2, "submissions")
        assert openedx.completions[(learner.user_id, str(key))] == 1.0


def test_late_attendance_shows_a_whole_number_score_in_the_gradebook(openedx):
    """edx-submissions stores whole points: half credit of weight 1 cannot be written as 0.5."""
    key = openedx.import_olx(webinar(weight="1", late_credit="0.5", url_name="webinar-3"))
    amina = openedx.person("amina")
    openedx.lms(amina).call(key, "register", {})
    staff = openedx.lms(openedx.person("instructor"), staff=True)
    record = {"user_id": amina.anonymous_id(openedx.course_key), "attendance": "late"}
    assert staff.call(key, "set_attendance", {"records": [record]}).status == 200
    score = openedx.gradebook_score(key, amina)
    assert score.source == "submissions" and score.earned / score.possible == 0.5


def test_a_withdrawn_attendance_mark_withdraws_the_score(openedx):
    """Marking a learner "unmarked" again must reset the score (`score_reset`), not record a 0."""
    key = openedx.import_olx(webinar(weight="1", url_name="webinar-3"))
    amina = openedx.person("amina")
    openedx.lms(amina).call(key, "register", {})
    staff = openedx.lms(openedx.person("instructor"), staff=True)
    anonymous_id = amina.anonymous_id(openedx.course_key)
    staff.call(key, "set_attendance", {"records": [{"user_id": anonymous_id, "attendance": "present"}]})
    assert openedx.gradebook_score(key, amina).source == "submissions"
    staff.call(key, "set_attendance", {"records": [{"user_id": anonymous_id, "attendance": "unmarked"}]})
    assert openedx.gradebook_score(key, amina).source == "block"


def test_a_weighted_supervisor_agreement_shows_its_weight_before_and_after_the_approval(openedx):
    """Fix 5: possible is the weight before any score, and the approval is worth the whole weight."""
    key = openedx.import_olx(with_url_name(SUPERVISOR_AGREEMENT.format(weight="3"), "supervisor-agreement"))
    amina = openedx.person("amina", "Amina Diallo")
    assert openedx.lms(amina).call(key, "get_state").status == 200  # a Learner row for staff to decide on
    before = openedx.gradebook_score(key, amina)
    assert (before.earned, before.possible, before.source) == (0, 3, "block")
    staff = openedx.lms(openedx.person("instructor"), staff=True)
    decision = {"user_id": amina.anonymous_id(openedx.course_key), "status": "approved", "note": "Paper form"}
    assert staff.call(key, "record_decision", decision).status == 200
    after = openedx.gradebook_score(key, amina)
    assert (after.earned, after.possible, after.source) == (3, 3, "submissions")


def test_a_released_group_grade_keeps_the_possible_the_gradebook_showed_before(openedx):
    """Fix 5: the group assignment's possible is the rubric's points before and after the score
    (its old `weight="1"` is dropped on import), so the learner's possible does not jump."""
    key = openedx.import_olx(BLOCKS["blended_group_assignment"])
    amina, yusuf = openedx.person("amina", "Amina Diallo"), openedx.person("yusuf", "Yusuf Abdi")
    openedx.lms(yusuf).call(key, "get_state")
    before = {person: openedx.gradebook_score(key, person) for person in (amina, yusuf)}
    assert {(score.earned, score.possible, score.source) for score in before.values()} == {(0, 10, "block")}
    learner = openedx.lms(amina)
    draft = learner.call(key, "get_state").json["draft"]
    draft = learner.call(key, "save_draft", {"text": "Our plan", "version": draft["version"]}).json["draft"]
    assert learner.call(key, "submit", {"version": draft["version"]}).status == 200
    staff = openedx.lms(openedx.person("instructor"), staff=True)
    row = staff.call(key, "list_submissions", {"status": "submitted"}).json["rows"][0]
    adjustment = {"user_id": yusuf.anonymous_id(openedx.course_key), "points": -3, "reason": "absent twice"}
    assert staff.call(key, "grade", grade_body(row, adjustments=[adjustment])).status == 200
    assert staff.call(key, "release_grades", {}).status == 200
    gradebook.push_everything()  # whatever the release left to the worker
    after = {person: openedx.gradebook_score(key, person) for person in (amina, yusuf)}
    assert (after[amina].earned, after[amina].possible, after[amina].source) == (7, 10, "submissions")
    assert (after[yusuf].earned, after[yusuf].possible, after[yusuf].source) == (4, 10, "submissions")
    assert all(after[person].possible == before[person].possible for person in (amina, yusuf))


def test_a_self_check_in_lands_in_edx_submissions_and_a_later_staff_mark_wins(openedx):
    """Fix 6b: the learner's own check-in is scored through edx-submissions, never the `grade`
    event (which the LMS reads only after submissions, so staff marks would hide it)."""
    key = openedx.import_olx(webinar(minutes=30, checkin="true", late_after="30", weight="2", url_name="webinar-3"))
    amina = openedx.person("amina", "Amina Diallo")
    learner = openedx.lms(amina)
    assert learner.call(key, "register", {}).status == 200  # registration closes at the start
    staff = openedx.lms(openedx.person("instructor"), staff=True)
    code = staff.call(key, "checkin_code", {}).json["code"]
    session = WebinarSession.objects.get(usage_key=str(key))  # the session is now 10 minutes in
    WebinarSession.objects.filter(pk=session.pk).update(start=session.start - timedelta(minutes=40),
                                                        end=session.end - timedelta(minutes=40))
    checked = learner.call(key, "check_in", {"code": code})
    assert checked.status == 200 and checked.json["attendance"] == "present"
    score = openedx.gradebook_score(key, amina)
    assert (score.earned, score.possible, score.source) == (2, 2, "submissions")
    assert openedx.student_module == {}
    record = {"user_id": amina.anonymous_id(openedx.course_key), "attendance": "absent"}
    assert staff.call(key, "set_attendance", {"records": [record]}).status == 200
    score = openedx.gradebook_score(key, amina)
    assert (score.earned, score.possible, score.source) == (0, 2, "submissions")


def test_a_teammate_who_never_opened_the_assignment_gets_the_released_grade_and_completion(openedx):
    """Fix 11: the user service gives the platform's `User` for a teammate's anonymous id, so the
    adapter stores his user id and what is recorded for the team reaches him."""
    olx = re.sub(r"\s*<group .*</group>", "", BLOCKS["blended_group_assignment"])
    key = openedx.import_olx(olx.replace('mode="group"', 'mode="group" teamset="reintegration-teams"'))
    amina, yusuf = openedx.person("amina", "Amina Diallo"), openedx.person("yusuf", "Yusuf Abdi")
    openedx.add_team("reintegration-teams", "Sahel practitioners", [amina, yusuf])
    learner = openedx.lms(amina)  # yusuf never opens the block
    state = learner.call(key, "get_state").json
    assert state["group"]["name"] == "Sahel practitioners" and len(state["group"]["members"]) == 2
    row = Learner.objects.get(anonymous_user_id=yusuf.anonymous_id(openedx.course_key))
    assert (row.user_id, row.username, row.email) == (yusuf.user_id, "yusuf", yusuf.email)

    draft = learner.call(key, "save_draft", {"text": "Our plan", "version": state["draft"]["version"]}).json["draft"]
    assert learner.call(key, "submit", {"version": draft["version"]}).status == 200
    staff = openedx.lms(openedx.person("instructor"), staff=True)
    submission = staff.call(key, "list_submissions", {"status": "submitted"}).json["rows"][0]
    assert staff.call(key, "grade", grade_body(submission)).status == 200
    assert staff.call(key, "release_grades", {}).status == 200
    gradebook.push_everything()  # whatever the release left to the worker
    assert openedx.completions[(yusuf.user_id, str(key))] == 1.0
    score = openedx.gradebook_score(key, yusuf)
    assert (score.earned, score.possible, score.source) == (7, 10, "submissions")
