"""The core journey: OLX round trip, shared drafts with versions, submit, grade, release, scores."""
import pytest
from lxml import etree
from submissions import api as submissions_api

from blended_xblocks.group_assignment.models import GroupSubmission, SubmissionEvent
from tests.harness import GROUP_ASSIGNMENT as OLX
from tests.harness import STAFF, grade_body, submitted


@pytest.fixture
def usage(workbench):
    return workbench.load(OLX)


def test_olx_round_trip_keeps_prompt_rubric_and_groups(workbench, usage):
    block = workbench.block(usage)
    assert block.max_score() == 10
    node = etree.Element("root")
    block.add_xml_to_node(node)
    assert node.get("due") == "2099-06-10T23:59" and node.get("timezone") == "Europe/Geneva"
    assert node.get("rubric") is None and node.get("groups") is None
    again = workbench.block(workbench.load(etree.tostring(node, encoding="unicode")))
    assert again.rubric == block.rubric and again.groups == block.groups
    assert "<strong>community-level</strong>" in again.prompt
    assert again.max_score() == 10


def test_members_share_one_draft_and_see_who_saved(workbench, usage):
    amina = workbench.call(usage, "get_state", student="amina").json
    assert amina["group"]["name"] == "Team Sahel" and amina["status"] == "not_started"
    saved = workbench.call(usage, "save_draft", {"text": "Context: Niger", "version": 0}, student="amina")
    assert saved.status == 200 and saved.json["draft"]["version"] == 1
    yusuf = workbench.call(usage, "get_state", student="yusuf").json
    assert yusuf["draft"]["text"] == "Context: Niger"
    assert yusuf["draft"]["updated_by"] == "Amina Diallo"
    assert yusuf["history"][0]["by"] == "Amina Diallo" and yusuf["history"][0]["action"] == "saved"
    assert yusuf["group"]["members"] == ["Amina Diallo", "Yusuf Abdi"]


def test_stale_version_is_refused_with_the_current_draft(workbench, usage):
    workbench.call(usage, "get_state", student="yusuf")
    workbench.call(usage, "save_draft", {"text": "Amina's version", "version": 0}, student="amina")
    stale = workbench.call(usage, "save_draft", {"text": "Yusuf's version", "version": 0}, student="yusuf")
    assert stale.status == 409 and stale.error_code == "version_conflict"
    assert stale.json["error"]["draft"]["text"] == "Amina's version"
    assert stale.json["error"]["draft"]["version"] == 1
    assert workbench.call(usage, "get_state", student="amina").json["draft"]["text"] == "Amina's version"


def test_a_version_from_the_future_is_refused_like_a_stale_one(workbench, usage):
    workbench.call(usage, "save_draft", {"text": "Amina's version", "version": 0}, student="amina")
    for version in (2, 99, 2**53 - 1):
        ahead = workbench.call(usage, "save_draft", {"text": "Yusuf's version", "version": version}, student="yusuf")
        assert (ahead.status, ahead.error_code) == (409, "version_conflict"), version
        assert ahead.json["error"]["draft"] == workbench.call(usage, "get_state", student="amina").json["draft"]
        early = workbench.call(usage, "submit", {"version": version}, student="yusuf")
        assert (early.status, early.error_code) == (409, "version_conflict"), version
    state = workbench.call(usage, "get_state", student="amina").json
    assert (state["draft"]["text"], state["draft"]["version"], state["status"]) == ("Amina's version", 1, "draft")


def test_other_groups_never_see_the_draft(workbench, usage):
    workbench.call(usage, "save_draft", {"text": "Sahel secret", "version": 0}, student="amina")
    sara = workbench.call(usage, "get_state", student="sara").json
    assert sara["group"]["name"] == "Team Horn" and sara["draft"]["text"] == ""
    assert "Sahel secret" not in workbench.call(usage, "get_state", student="sara").body.decode()


def test_learner_without_group_cannot_draft(workbench, usage):
    state = workbench.call(usage, "get_state", student="omar").json
    assert state["group"] is None and state["can_change_group"] is False
    result = workbench.call(usage, "save_draft", {"text": "x", "version": 0}, student="omar")
    assert result.status == 409 and result.error_code == "no_group"


def test_submit_freezes_the_draft(workbench, usage):
    submitted(workbench, usage)
    state = workbench.call(usage, "get_state", student="yusuf").json
    assert state["status"] == "submitted" and state["submitted_by"] == "Amina Diallo" and not state["late"]
    again = workbench.call(usage, "save_draft", {"text": "changed", "version": state["draft"]["version"]}, student="yusuf")
    assert again.status == 409 and again.error_code == "already_submitted"


def test_empty_submission_is_refused(workbench, usage):
    workbench.call(usage, "get_state")
    result = workbench.call(usage, "submit", {"version": 0})
    assert result.status == 400 and result.error_code == "empty_submission"


def test_grade_is_hidden_until_released_then_each_member_gets_their_points(workbench, usage):
    workbench.call(usage, "get_state", student="yusuf")
    row = submitted(workbench, usage)
    graded = workbench.call(usage, "grade", grade_body(row, adjustments=[
        {"user_id": "yusuf", "points": -3, "reason": "Did not contribute to the plan"}]), student=STAFF)
    assert graded.status == 200 and graded.json["points"] == 7 and graded.json["status"] == "graded"
    assert {m["user_id"]: m["points"] for m in graded.json["members"]} == {"amina": 7, "yusuf": 4}
    assert workbench.call(usage, "get_state", student="amina").json["result"] is None
    released = workbench.call(usage, "release_grades", {}, student=STAFF)
    assert released.json == {"released": 1, "scores_queued": False, "scores_pending": 0, "scores_pending_text": ""}
    amina = workbench.call(usage, "get_state", student="amina").json["result"]
    yusuf = workbench.call(usage, "get_state", student="yusuf").json["result"]
    assert (amina["points"], amina["max_points"], amina["feedback"]) == (7, 10, "Strong analysis; partners are missing.")
    assert amina["levels"][0] == {"criterion": "Context analysis", "criterion_id": "analysis", "points": 4,
                                  "label": "Complete", "max": 4}
    assert (yusuf["points"], yusuf["reason"]) == (4, "Did not contribute to the plan")
    block = workbench.block(usage)
    item = {"course_id": block.course_key_string, "item_id": block.usage_key_string, "item_type": "blended_group_assignment"}
    assert submissions_api.get_score({**item, "student_id": "amina"})["points_earned"] == 7
    assert submissions_api.get_score({**item, "student_id": "yusuf"})["points_earned"] == 4
    from blended_xblocks.demo.models import DemoCompletion
    completed = DemoCompletion.objects.filter(usage_key=block.usage_key_string)
    assert set(completed.values_list("anonymous_user_id", flat=True)) == {"amina", "yusuf"}


def test_a_released_result_names_each_criterion_by_the_id_grade_takes(workbench, usage):
    row = submitted(workbench, usage)
    workbench.call(usage, "grade", grade_body(row, levels={"analysis": 2, "plan": 6}), student=STAFF)
    workbench.call(usage, "release_grades", {}, student=STAFF)
    levels = workbench.call(usage, "get_state", student="amina").json["result"]["levels"]
    assert [(level["criterion_id"], level["criterion"]) for level in levels] == [
        ("analysis", "Context analysis"), ("plan", "Activities and partners")]
    again = workbench.call(usage, "grade", grade_body(row, grade_version=1, levels={
        level["criterion_id"]: level["points"] for level in levels}), student=STAFF)
    assert again.status == 200 and again.json["levels"] == {"analysis": 2, "plan": 6}


def test_regrading_after_release_updates_the_gradebook(workbench, usage):
    row = submitted(workbench, usage)
    workbench.call(usage, "grade", grade_body(row), student=STAFF)
    workbench.call(usage, "release_grades", {"submission_ids": [row["submission_id"]]}, student=STAFF)
    regraded = workbench.call(usage, "grade", grade_body(row, grade_version=1, levels={"analysis": 4, "plan": 6}), student=STAFF)
    assert regraded.status == 200
    block = workbench.block(usage)
    item = {"course_id": block.course_key_string, "item_id": block.usage_key_string, "item_type": "blended_group_assignment"}
    assert submissions_api.get_score({**item, "student_id": "amina"})["points_earned"] == 10


def test_second_grader_with_a_stale_grade_version_is_told(workbench, usage):
    row = submitted(workbench, usage)
    assert workbench.call(usage, "grade", grade_body(row), student=STAFF).status == 200
    second = workbench.call(usage, "grade", grade_body(row, levels={"analysis": 0, "plan": 0}), student="staff")
    assert second.status == 409 and second.error_code == "grading_conflict"
    assert second.json["error"]["graded_by"] == STAFF
    assert workbench.call(usage, "get_submission", {"submission_id": row["submission_id"]}, student=STAFF).json["points"] == 7


@pytest.mark.parametrize("changes, code", [
    ({"levels": {"analysis": 4}}, "invalid_level"),
    ({"levels": {"analysis": 3, "plan": 3}}, "invalid_level"),
    ({"levels": {"analysis": 4, "plan": 3, "extra": 1}}, "unknown_criterion"),
    ({"levels": {"analysis": "4", "plan": 3}}, "invalid_field"),
    ({"adjustments": [{"user_id": "nobody", "points": -1, "reason": "x"}]}, "unknown_user"),
    ({"adjustments": [{"user_id": "amina", "points": -1}]}, "reason_required"),
    ({"adjustments": [{"user_id": "amina", "points": True, "reason": "x"}]}, "invalid_field"),
    ({"feedback": "x" * 10_001}, "too_long"),
    ({"surprise": 1}, "unknown_field"),
])
def test_invalid_grades_change_nothing(workbench, usage, changes, code):
    row = submitted(workbench, usage)
    result = workbench.call(usage, "grade", grade_body(row, **changes), student=STAFF)
    assert result.status == 400 and result.error_code == code
    assert GroupSubmission.objects.get(pk=row["submission_id"]).points is None


def test_grading_before_submission_is_refused(workbench, usage):
    workbench.call(usage, "get_state")
    row = workbench.call(usage, "list_submissions", {}, student=STAFF).json["rows"][0]
    result = workbench.call(usage, "grade", grade_body(row), student=STAFF)
    assert result.status == 409 and result.error_code == "not_submitted"


@pytest.mark.parametrize("handler, body", [
    ("list_submissions", {}), ("get_submission", {"submission_id": 1}), ("release_grades", {}),
    ("grade", {"submission_id": 1, "grade_version": 0, "levels": {}}),
    ("assign_member", {"user_id": "amina", "group_id": 1}),
])
def test_learners_cannot_call_staff_handlers(workbench, usage, handler, body):
    result = workbench.call(usage, handler, body, student="amina")
    assert result.status == 403 and result.error_code == "staff_only"


@pytest.mark.parametrize("handler", ["download_all", "export_grades"])
def test_learners_cannot_download_everything(workbench, usage, handler):
    result = workbench.call(usage, handler, method="GET", student="amina")
    assert result.status == 403


@pytest.mark.parametrize("handler, body", [
    ("save_draft", b"{nope"), ("save_draft", b"[]"), ("save_draft", b'{"text": 5, "version": 0}'),
    ("save_draft", b'{"text": "a", "version": -1}'), ("save_draft", b'{"text": "a"}'),
    ("submit", b'{"version": "1"}'), ("join_group", b'{"group_id": 0}'), ("create_group", b'{"name": ""}'),
])
def test_malformed_requests_are_refused_without_change(workbench, usage, handler, body):
    workbench.call(usage, "get_state")
    result = workbench.call(usage, handler, body=body)
    assert 400 <= result.status < 500 and "error" in result.json
    assert not SubmissionEvent.objects.exists()


def test_huge_text_is_refused(workbench, usage):
    workbench.call(usage, "get_state")
    result = workbench.call(usage, "save_draft", {"text": "x" * 50_001, "version": 0})
    assert result.status == 400 and result.error_code == "too_long"


def test_anonymous_users_must_sign_in(workbench, usage):
    result = workbench.call(usage, "get_state", student="none")
    assert result.status == 403 and result.error_code == "sign_in_required"


def test_geneva_deadline_is_in_swiss_time(workbench, usage):
    """Europe/Geneva is not an IANA id; authors write it anyway, and it must not silently become UTC."""
    state = workbench.call(usage, "get_state").json
    assert state["due"] == "2099-06-10T21:59:00Z" and state["timezone"] == "Europe/Zurich"


def test_retirement_forgets_what_staff_wrote_about_the_learner(workbench, usage):
    from django.contrib.auth.models import User

    from blended_xblocks.group_assignment.models import SubmissionMember
    from blended_xblocks.platform.models import Learner
    from blended_xblocks.platform.retirement import retire_learner

    workbench.call(usage, "get_state", student="yusuf")
    row = submitted(workbench, usage)
    workbench.call(usage, "grade", grade_body(row, adjustments=[
        {"user_id": "yusuf", "points": -3, "reason": "Absent for health reasons"}]), student=STAFF)
    user = User.objects.create(username="yusuf-account")
    Learner.objects.filter(anonymous_user_id="yusuf").update(user_id=user.id)
    retire_learner(user=user)
    member = SubmissionMember.objects.get(learner__anonymous_user_id="yusuf")
    assert member.reason == "" and member.adjustment == -3
    assert SubmissionMember.objects.get(learner__anonymous_user_id="amina").learner.username == "amina"
