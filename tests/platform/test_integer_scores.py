"""Scores reach edx-submissions as whole points the LMS shows unchanged (issue 8, fixes 4-6).

The LMS takes a submissions score as already weighted and shows `weight` as possible before any
score: so possible == the block's whole points before and after, earned == possible × credit
exactly, "unmarked" / a withdrawn approval calls `reset_score`, and every block keeps its scores
in edx-submissions only (the webinar's self check-in included). See
docs/decisions/0005-integer-scores.md.
"""
from datetime import timedelta
from types import SimpleNamespace

import pytest
from submissions import api as submissions_api
from submissions.models import Score, StudentItem

from blended_xblocks.core.i18n import Translator
from blended_xblocks.demo.models import DemoCompletion
from blended_xblocks.demo.platform import WorkbenchPlatform
from blended_xblocks.platform import gradebook
from blended_xblocks.platform.adapter import OpenEdxPlatform
from blended_xblocks.webinar.models import WebinarRegistration, WebinarSession
from tests.harness import GROUP_ASSIGNMENT as GA_OLX
from tests.harness import SUPERVISOR_AGREEMENT as SA_OLX
from tests.harness import criterion, editor_values, grade_body, race, save, submitted, webinar

STAFF = "instructor"
COURSE = "course-v1:IOM+REINT+2022"


def item(usage, student, item_type="blended_webinar"):
    return {"student_id": student, "course_id": COURSE, "item_id": usage, "item_type": item_type}


def lms_score(usage, student, item_type="blended_webinar"):
    """What the LMS reads from edx-submissions (None: no score, e.g. withdrawn)."""
    score = submissions_api.get_score(item(usage, student, item_type))
    return (score["points_earned"], score["points_possible"]) if score else None


@pytest.fixture
def set_score_calls(monkeypatch):
    """Every (earned, possible) handed to edx-submissions' set_score, as given (types included)."""
    calls = []
    real = submissions_api.set_score

    def spy(uuid, earned, possible, *args, **kwargs):
        calls.append((earned, possible))
        return real(uuid, earned, possible, *args, **kwargs)

    monkeypatch.setattr(submissions_api, "set_score", spy)
    return calls


def mark(workbench, usage, **attendance):
    records = [{"user_id": user_id, "attendance": status} for user_id, status in attendance.items()]
    return workbench.call(usage, "set_attendance", {"records": records}, student=STAFF)


# Webinar: half credit, withdrawal ----------------------------------------------------------------------
def test_half_credit_reaches_edx_submissions_as_integers_the_gradebook_shows_and_unmarked_withdraws_it(
        workbench, set_score_calls):
    usage = workbench.load(webinar(weight="2", late_credit="0.5", excused_credit="0.5"))
    for student in ("amina", "yusuf", "fatou"):
        workbench.call(usage, "register", {}, student=student)
    block = workbench.block(usage)
    assert block.max_score() == 2 and isinstance(block.max_score(), int)  # possible before any score

    result = mark(workbench, usage, amina="late", yusuf="excused", fatou="present")
    assert result.json["scores_pending"] == 0
    assert set_score_calls and all(type(earned) is int and type(possible) is int for earned, possible in set_score_calls)
    assert lms_score(usage, "amina") == (1, 2) and lms_score(usage, "yusuf") == (1, 2)  # exactly half
    assert lms_score(usage, "fatou") == (2, 2)  # possible after a score == possible before
    rows = Score.objects.filter(student_item__item_id=usage).values_list("points_earned", "points_possible")
    assert all(isinstance(value, int) for row in rows for value in row)

    mark(workbench, usage, amina="unmarked")
    assert lms_score(usage, "amina") is None  # the submissions `score_reset` path: nothing left to read
    latest = Score.objects.filter(student_item__student_id="amina", student_item__item_id=usage).latest("pk")
    assert latest.reset and latest.points_possible == 0
    assert lms_score(usage, "yusuf") == (1, 2)
    mark(workbench, usage, amina="excused")
    assert lms_score(usage, "amina") == (1, 2)  # scored again after the withdrawal


def test_an_imported_course_with_half_of_one_point_gets_a_weight_that_scores_half_exactly(workbench):
    # Written before the rule (Studio refuses this today): 50 % of one point cannot be a whole number.
    usage = workbench.load(webinar(weight="1", excused_credit="0.5"))
    assert workbench.block(usage).weight == 2 and workbench.block(usage).max_score() == 2  # logged
    workbench.call(usage, "register", {}, student="amina")
    result = mark(workbench, usage, amina="excused")
    assert result.status == 200 and result.json["scores_pending"] == 0
    assert lms_score(usage, "amina") == (1, 2)


def test_a_stored_block_studio_would_refuse_still_pushes_whole_points_instead_of_staying_pending(workbench):
    usage = workbench.load(webinar(weight="2", excused_credit="0.5"))
    block = workbench.block(usage, STAFF)
    block.weight = 1.0  # stored before this release, never re-imported
    block.save()
    workbench.call(usage, "register", {}, student="amina")
    assert workbench.block(usage).weight == 1.0
    result = mark(workbench, usage, amina="excused")
    assert result.status == 200 and result.json["scores_pending"] == 0
    assert lms_score(usage, "amina") == (1, 1)  # the nearest whole point (half up), logged


def test_a_row_left_pending_with_a_float_score_before_the_upgrade_is_pushed_as_whole_points(workbench):
    usage = workbench.load(webinar(weight="1", excused_credit="0.5"))
    workbench.call(usage, "register", {}, student="amina")
    WebinarRegistration.objects.filter(learner__anonymous_user_id="amina").update(
        attendance="excused", score_earned=0.5, score_possible=1.0, score_version=1)
    source = next(source for source in gradebook.sources() if source.block_type == "blended_webinar")
    assert gradebook.push_pending(source, usage) == 1
    assert lms_score(usage, "amina") == (1, 1) and gradebook.pending(source, usage).count() == 0


def test_weight_zero_scores_nobody_but_still_records_completion(workbench):
    usage = workbench.load(webinar(weight="0"))
    workbench.call(usage, "register", {}, student="amina")
    mark(workbench, usage, amina="present")
    assert workbench.block(usage).max_score() == 0
    assert not StudentItem.objects.filter(item_id=usage).exists()  # nothing pushed, never points_possible 0
    assert DemoCompletion.objects.get(usage_key=usage, anonymous_user_id="amina").completion == 1.0


@pytest.mark.parametrize("weight,credits,step", [(1, {"late_credit": 50}, 2), (3, {"excused_credit": 50}, 2),
                                                 (2, {"late_credit": 25}, 4), (10, {"late_credit": 33}, 100)])
def test_studio_refuses_a_credit_that_is_not_whole_points_of_the_weight(workbench, weight, credits, step):
    from tests.harness import WEBINAR_EDIT as EDIT
    from tests.harness import WEBINAR_FULL as FULL_OLX

    usage = workbench.load(FULL_OLX)
    body = EDIT | {"weight": weight, "late_credit": 100, "excused_credit": 0} | credits
    result = workbench.call(usage, "studio_submit", body, student=STAFF)
    assert (result.status, result.error_code) == (400, "invalid_settings")
    assert f"Use a weight that is a multiple of {step}." in result.json["error"]["message"]
    fixed = workbench.call(usage, "studio_submit", body | {"weight": step}, student=STAFF)
    assert fixed.status == 200, fixed.body


def test_the_refusal_is_translated(workbench):
    from tests.harness import WEBINAR_EDIT as EDIT
    from tests.harness import WEBINAR_FULL as FULL_OLX

    usage = workbench.load(FULL_OLX)
    result = workbench.call(usage, "studio_submit", EDIT | {"weight": 1, "late_credit": 50}, student=STAFF,
                            language="fr")
    french = Translator("webinar", "fr").gettext(
        "A credit of {credit} % of a weight of {weight} is not a whole number of points, and the gradebook "
        "counts whole points. Use a weight that is a multiple of {step}.")
    assert "gradebook" not in french
    assert result.json["error"]["message"] == french.format(credit=50, weight=1, step=2)


# Webinar: the self check-in goes where staff marks go ----------------------------------------------------
def running_session_with_code(workbench, **attrs):
    usage = workbench.load(webinar(minutes=30, checkin="true", **attrs))
    for student in ("amina", "yusuf"):
        workbench.call(usage, "register", {}, student=student)
    code = workbench.call(usage, "checkin_code", {}, student=STAFF).json["code"]
    session = WebinarSession.objects.get(usage_key=usage)
    WebinarSession.objects.filter(pk=session.pk).update(start=session.start - timedelta(minutes=50),
                                                        end=session.end - timedelta(minutes=50))
    return usage, code


def test_self_check_in_lands_in_edx_submissions_not_the_grade_event_and_a_later_staff_change_wins(
        workbench, monkeypatch, set_score_calls):
    published = []

    def no_grade_event(self, *args):
        published.append(args)
        raise AssertionError("a learner's own score must not be published apart from staff scores")

    monkeypatch.setattr(WorkbenchPlatform, "publish_own_grade", no_grade_event)
    usage, code = running_session_with_code(workbench, weight="4", late_credit="0.5", late_after="10")
    state = workbench.call(usage, "check_in", {"code": code}, student="amina").json
    assert state["attendance"] == "late" and published == []
    assert lms_score(usage, "amina") == (2, 4) and set_score_calls == [(2, 4)]
    assert DemoCompletion.objects.get(usage_key=usage, anonymous_user_id="amina").completion == 1.0
    registration = WebinarRegistration.objects.get(learner__anonymous_user_id="amina")
    assert registration.pushed_version == registration.score_version == 1  # the same versioned row as staff marks

    mark(workbench, usage, amina="absent")  # staff correct it later: their mark wins
    assert lms_score(usage, "amina") == (0, 4)
    workbench.call(usage, "check_in", {"code": code}, student="amina")  # checking in again changes nothing
    assert lms_score(usage, "amina") == (0, 4)
    mark(workbench, usage, amina="unmarked")
    assert lms_score(usage, "amina") is None
    assert lms_score(usage, "yusuf") is None and published == []


# Supervisor agreement: the weight is the score ------------------------------------------------------------
def decide(workbench, usage, status, student="amina"):
    workbench.call(usage, "get_state", {}, student=student)
    return workbench.call(usage, "record_decision", {"user_id": student, "status": status, "note": "Paper form"},
                          student=STAFF)


def test_an_approval_is_worth_the_whole_weight_and_a_withdrawn_approval_withdraws_the_score(workbench, set_score_calls):
    usage = workbench.load(SA_OLX.format(weight="3"))
    block = workbench.block(usage)
    usage = block.usage_key_string
    assert block.points_possible() == 3  # what the LMS shows before the approval (max_score 1 × weight 3)
    assert decide(workbench, usage, "approved").status == 200
    assert lms_score(usage, "amina", "blended_supervisor_agreement") == (3, 3)
    assert set_score_calls == [(3, 3)]
    decide(workbench, usage, "declined")
    assert lms_score(usage, "amina", "blended_supervisor_agreement") is None


def test_a_supervisor_agreement_with_weight_zero_pushes_nothing(workbench):
    usage = workbench.load(SA_OLX.format(weight="0"))
    decide(workbench, usage, "approved")
    assert not Score.objects.filter(student_item__item_id=usage).exists()


def test_a_fractional_supervisor_weight_from_old_olx_counts_as_whole_points_and_studio_refuses_it(workbench):
    usage = workbench.load(SA_OLX.format(weight="1.5"))
    assert workbench.block(usage).weight == 2
    decide(workbench, usage, "approved")
    assert lms_score(usage, "amina", "blended_supervisor_agreement") == (2, 2)
    result = save(workbench, usage, {"weight": 0.5})
    assert (result.status, result.error_code) == (400, "invalid_settings")
    assert "whole number of points" in result.json["error"]["message"]


# Group assignment: the rubric's whole points --------------------------------------------------------------
def released(workbench, usage, **grade_changes):
    workbench.call(usage, "get_state", student="yusuf")
    row = submitted(workbench, usage)
    assert workbench.call(usage, "grade", grade_body(row, **grade_changes), student=STAFF).status == 200
    workbench.call(usage, "release_grades", {}, student=STAFF)
    return workbench.block(usage).usage_key_string


def test_group_scores_are_the_rubrics_whole_points_before_and_after_a_score(workbench, set_score_calls):
    usage = workbench.load(GA_OLX)  # weight="1" from an old course: the rubric's 10 points count
    block = workbench.block(usage)
    assert block.weight is None and block.max_score() == block.points_possible() == 10
    key = released(workbench, usage, adjustments=[{"user_id": "yusuf", "points": -3, "reason": "absent twice"}])
    assert lms_score(key, "amina", "blended_group_assignment") == (7, 10)
    assert lms_score(key, "yusuf", "blended_group_assignment") == (4, 10)
    assert all(type(earned) is int and type(possible) is int for earned, possible in set_score_calls)


def test_a_group_assignment_with_weight_zero_pushes_nothing(workbench):
    usage = workbench.load(GA_OLX.replace('weight="1"', 'weight="0"'))
    key = released(workbench, usage)
    assert workbench.block(usage).points_possible() == 0
    assert not Score.objects.filter(student_item__item_id=key).exists()


def test_decimal_adjustments_are_refused(workbench):
    usage = workbench.load(GA_OLX)
    workbench.call(usage, "get_state", student="yusuf")
    row = submitted(workbench, usage)
    result = workbench.call(usage, "grade", grade_body(row, adjustments=[
        {"user_id": "yusuf", "points": -1.5, "reason": "late"}]), student=STAFF)
    assert (result.status, result.error_code) == (400, "invalid_field")


def test_studio_refuses_a_weight_other_than_the_rubrics_points_and_decimal_rubric_points(workbench):
    usage = workbench.load(GA_OLX)
    for weight in (None, 0, 10):
        assert save(workbench, usage, editor_values(weight=weight)).status == 200, weight
    refused = save(workbench, usage, editor_values(weight=5))
    assert (refused.status, refused.error_code) == (400, "invalid_settings")
    assert refused.json["error"]["messages"][0]["text"].startswith("The rubric is worth 10 points")
    half = criterion("plan", "Plan", levels=({"label": "None", "points": 0}, {"label": "Half", "points": 2.5}))
    refused = save(workbench, usage, editor_values(rubric=[half]))
    assert "whole numbers" in refused.json["error"]["messages"][0]["text"]


# The adapter ---------------------------------------------------------------------------------------------
class Runtime:
    def __init__(self, anonymous_id="anon-1"):
        attrs = {"edx-platform.anonymous_user_id": anonymous_id, "edx-platform.username": "amina"}
        user = SimpleNamespace(emails=[], full_name="", opt_attrs=attrs)
        self.user = SimpleNamespace(get_current_user=lambda: user)
        self.published = []

    def service(self, block, name):
        if name != "user":
            raise Exception(name)
        return self.user

    def publish(self, block, event, data):
        self.published.append((event, data))


def lms_platform(runtime):
    usage_id = SimpleNamespace(context_key=COURSE, block_id="w", __str__=lambda self: "block-v1:w")
    block = SimpleNamespace(runtime=runtime, scope_ids=SimpleNamespace(usage_id=usage_id, block_type="blended_webinar"))
    return OpenEdxPlatform(block)


def test_the_lms_adapter_keeps_a_learners_own_score_in_edx_submissions_as_integers(db):
    runtime = Runtime()
    platform = lms_platform(runtime)
    usage = platform.usage_key()
    platform.publish_own_grade(2, 4)
    assert runtime.published == []  # never the StudentModule `grade` event, which the LMS reads after submissions
    assert lms_score(usage, "anon-1") == (2, 4)
    platform.set_scores({"anon-1": (4.0, 4.0)})  # integral floats become ints
    assert lms_score(usage, "anon-1") == (4, 4)
    for bad in ((0.5, 1), (1, 0), (3, 2), (-1, 2)):
        with pytest.raises(ValueError):
            platform.set_scores({"anon-1": bad})
    platform.publish_own_grade(None, 4)
    assert lms_score(usage, "anon-1") is None
    platform.reset_scores(["never-scored"])
    assert not StudentItem.objects.filter(student_id="never-scored").exists()
    lms_platform(Runtime(anonymous_id=None)).publish_own_grade(1, 1)  # anonymous: nothing
    assert StudentItem.objects.count() == 1


def test_whole_points_helpers():
    assert gradebook.share_points(2, 0.5) == 1 and gradebook.share_points(3, gradebook.fraction(1) / 3) == 1
    assert gradebook.share_points(1, 0.5) == 1 and gradebook.share_points(10, 0.33) == 3  # nearest, logged
    assert gradebook.whole_weight(None, 7) == 7 and gradebook.whole_weight(2.0) == 2
    assert gradebook.whole_weight(0.3) == 1 and gradebook.whole_weight(2.5) == 3 and gradebook.whole_weight(0) == 0
    assert gradebook.is_exact(2, 0.5) and not gradebook.is_exact(1, 0.5)


@pytest.mark.concurrency
def test_a_self_check_in_racing_a_staff_mark_ends_with_the_registrations_score_in_the_gradebook(real_db):
    """One store, one versioned row: whichever lands last, edx-submissions holds what the roster says."""
    for _ in range(3):
        usage, code = running_session_with_code(real_db, weight="2", late_credit="0.5", late_after="10")
        results = race([lambda usage=usage, code=code: real_db.call(usage, "check_in", {"code": code}, student="amina"),
                        lambda usage=usage: mark(real_db, usage, amina="absent")])
        assert [result.status for result in results] == [200, 200], results
        registration = WebinarRegistration.objects.get(session__usage_key=usage, learner__anonymous_user_id="amina")
        assert registration.pushed_version == registration.score_version
        expected = (int(registration.score_earned), int(registration.score_possible))
        assert lms_score(usage, "amina") == expected and expected in ((0, 2), (1, 2))
