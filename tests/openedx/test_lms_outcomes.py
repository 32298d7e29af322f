"""What learners see in the LMS after others act for them: supervisors through the mailed link,
staff marking attendance, workers pushing scores. Read back as the gradebook and completion show it."""
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import mail

from blended_xblocks import gradebook
from tests.openedx.blocks import BLOCKS
from tests.test_supervisor_agreement_flow import SUPERVISOR
from tests.webinar_olx import webinar


def mailed_link(message) -> str:
    return re.search(r"https?://\S+supervisor_review\S*", message.body).group(0)


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
