"""Audit fixes: no peeking at other groups' work by joining, no grade hints before release,
ASCII-only ids, uploads refused by their announced size, and staff moves of seeded learners stick."""
import pytest
from webob import Request

from blended_xblocks.group_assignment.models import AssignmentGroup, GroupMembership
from tests.harness import GROUP_ASSIGNMENT as OLX
from tests.harness import PDF, STAFF, grade_body, submitted, upload
from tests.harness import load_self_enrolling as load


@pytest.fixture
def media(tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path)


def names(state):
    return [(event["action"], event["by"]) for event in state["history"]]


# 1. Self-enrolment: joining a group that already has work -------------------------------------
def test_a_learner_cannot_join_a_group_that_has_written_text(workbench):
    usage = load(workbench)
    group_id = workbench.call(usage, "create_group", {"name": "Team Niamey"}, student="amina").json["group"]["id"]
    workbench.call(usage, "save_draft", {"text": "Private draft of Team Niamey", "version": 0}, student="amina")
    refused = workbench.call(usage, "join_group", {"group_id": group_id}, student="omar")
    assert refused.status == 409 and refused.error_code == "group_has_work"
    omar = workbench.call(usage, "get_state", student="omar").json
    assert omar["group"] is None and omar["draft"] is None
    assert omar["groups"][0]["has_work"] is True
    assert GroupMembership.objects.filter(group_id=group_id).count() == 1


def test_a_learner_cannot_join_a_group_that_has_files(workbench, media):
    usage = load(workbench)
    group_id = workbench.call(usage, "create_group", {"name": "Team Agadez"}, student="amina").json["group"]["id"]
    # The self-enrolment block allows the default file types (.pdf among them).
    assert upload(workbench, usage, "plan.pdf", PDF).status == 200
    refused = workbench.call(usage, "join_group", {"group_id": group_id}, student="omar")
    assert refused.status == 409 and refused.error_code == "group_has_work"


def test_staff_can_still_place_a_learner_in_a_group_with_work(workbench):
    usage = load(workbench)
    group_id = workbench.call(usage, "create_group", {"name": "Team Niamey"}, student="amina").json["group"]["id"]
    workbench.call(usage, "save_draft", {"text": "Indicators", "version": 0}, student="amina")
    workbench.call(usage, "get_state", student="omar")
    moved = workbench.call(usage, "assign_member", {"username": "omar", "group_id": group_id}, student=STAFF)
    assert moved.status == 200
    omar = workbench.call(usage, "get_state", student="omar").json
    assert omar["draft"]["text"] == "Indicators"


def test_members_see_who_joined_and_left_in_the_history(workbench):
    usage = load(workbench)
    amina = workbench.call(usage, "create_group", {"name": "Team Niamey"}, student="amina").json
    workbench.call(usage, "get_state", student="omar")
    omar_name = workbench.call(usage, "join_group", {"group_id": amina["group"]["id"]}, student="omar").json
    assert ("joined", omar_name["group"]["members"][1]) in names(omar_name)
    workbench.call(usage, "leave_group", {}, student="omar")
    history = names(workbench.call(usage, "get_state", student="amina").json)
    assert [action for action, _by in history] == ["left", "joined"]
    assert history[0][1] == history[1][1] != amina["group"]["members"][0]


def test_staff_moves_appear_in_both_groups_histories(workbench):
    usage = load(workbench)
    first = workbench.call(usage, "create_group", {"name": "First"}, student=STAFF).json["group_id"]
    second = workbench.call(usage, "create_group", {"name": "Second"}, student=STAFF).json["group_id"]
    workbench.call(usage, "get_state", student="omar")
    workbench.call(usage, "assign_member", {"username": "omar", "group_id": first}, student=STAFF)
    workbench.call(usage, "assign_member", {"username": "omar", "group_id": second}, student=STAFF)
    details = {sub: [(e["action"], e["detail"]) for e in workbench.call(
        usage, "get_submission", {"submission_id": sub}, student=STAFF).json["history"]]
        for sub in (AssignmentGroup.objects.get(pk=first).submission.pk, AssignmentGroup.objects.get(pk=second).submission.pk)}
    assert list(details.values()) == [[("left", "staff"), ("joined", "staff")], [("joined", "staff")]]


# 2. Grades stay invisible before release ------------------------------------------------------
def test_before_release_learners_see_submitted_and_no_grading_history(workbench, media):
    usage = workbench.load(OLX)
    workbench.call(usage, "get_state", student="yusuf")
    row = submitted(workbench, usage)
    workbench.call(usage, "grade", grade_body(row), student=STAFF)
    workbench.call(usage, "upload_feedback_file", student=STAFF,
                   post={"file": ("comments-for-sahel.pdf", PDF), "submission_id": str(row["submission_id"])})
    before = workbench.call(usage, "get_state", student="yusuf")
    assert before.json["status"] == "submitted" and before.json["result"] is None
    assert {e["action"] for e in before.json["history"]} == {"saved", "submitted"}
    assert b"instructor" not in before.body and b"comments-for-sahel" not in before.body
    staff = workbench.call(usage, "get_submission", {"submission_id": row["submission_id"]}, student=STAFF).json
    assert staff["status"] == "graded" and {"graded", "feedback_file"} <= {e["action"] for e in staff["history"]}
    workbench.call(usage, "release_grades", {}, student=STAFF)
    after = workbench.call(usage, "get_state", student="yusuf").json
    assert after["status"] == "graded" and {"graded", "feedback_file"} <= {e["action"] for e in after["history"]}


def test_a_late_submission_graded_but_not_released_still_reads_late(workbench):
    usage = load(workbench, due="2000-01-01T12:00", late="true")
    workbench.call(usage, "create_group", {"name": "Late team"}, student="amina")
    workbench.call(usage, "save_draft", {"text": "x", "version": 0}, student="amina")
    workbench.call(usage, "submit", {"version": 1}, student="amina")
    row = workbench.call(usage, "list_submissions", {}, student=STAFF).json["rows"][0]
    assert workbench.call(usage, "grade", grade_body(row, levels={"quality": 2}), student=STAFF).status == 200
    assert workbench.call(usage, "get_state", student="amina").json["status"] == "late"


# 3. Ids with non-ASCII digits ---------------------------------------------------------------
@pytest.mark.parametrize("raw", ["%C2%B2", "%D9%A3", "1%C2%B2", "", "-1", "1" * 13])
def test_download_with_a_non_ascii_or_bad_id_is_a_400(workbench, raw):
    usage = workbench.load(OLX)
    result = workbench.call(usage, "download_file", method="GET", query=f"file_id={raw}", student="amina")
    assert result.status == 400 and result.error_code == "invalid_field"


@pytest.mark.parametrize("raw", ["²", "٣", "1²"])
def test_feedback_upload_with_a_non_ascii_id_is_a_400(workbench, media, raw):
    usage = workbench.load(OLX)
    result = workbench.call(usage, "upload_feedback_file", student=STAFF,
                            post={"file": ("c.pdf", PDF), "submission_id": raw})
    assert result.status == 400 and result.error_code == "invalid_field"


# 4. Upload size: announced length and the operator's cap -------------------------------------
class Unreadable:
    """A body that fails if anything reads it: the refusal must come before the form is parsed."""

    def read(self, *args):
        raise AssertionError("the upload body was read")

    readline = read


def big_request(size):
    """A multipart POST announcing `size` bytes whose body cannot be read."""
    request = Request.blank("/", POST={"file": ("plan.pdf", PDF)})
    request.body_file_raw = Unreadable()
    request.content_length = size
    return request


def test_an_upload_announcing_a_body_over_the_limit_is_refused_before_reading(workbench, media):
    usage = workbench.load(OLX)  # max_file_mb="1"
    workbench.call(usage, "get_state", student="amina")
    block = workbench.block(usage, "amina")
    response = block.runtime.handle(block, "upload_file", big_request(5 * 1024 * 1024))
    assert response.status_code == 400 and response.json["error"]["code"] == "file_too_large"
    staff = workbench.block(usage, STAFF)
    response = staff.runtime.handle(staff, "upload_feedback_file", big_request(5 * 1024 * 1024))
    assert response.status_code == 400 and response.json["error"]["code"] == "file_too_large"
    learner = workbench.block(usage, "amina")
    response = learner.runtime.handle(learner, "upload_feedback_file", big_request(5 * 1024 * 1024))
    assert response.status_code == 403  # rights first, still without reading the body


def test_operators_cap_the_upload_size(workbench, media, settings):
    usage = workbench.load(OLX.replace('max_file_mb="1"', 'max_file_mb="20"'))
    workbench.call(usage, "get_state", student="amina")
    big = b"%PDF-1.4\n" + b"0" * (2 * 1024 * 1024)
    settings.XBLOCK_SETTINGS = {**settings.XBLOCK_SETTINGS,
                                "BlendedXBlocks": {**settings.XBLOCK_SETTINGS.get("BlendedXBlocks", {}), "MAX_UPLOAD_MB": 1}}
    assert workbench.call(usage, "get_state", student="amina").json["max_file_mb"] == 1
    refused = upload(workbench, usage, "big.pdf", big)
    assert refused.status == 400 and refused.error_code == "file_too_large"
    settings.XBLOCK_SETTINGS = {**settings.XBLOCK_SETTINGS,
                                "BlendedXBlocks": {**settings.XBLOCK_SETTINGS["BlendedXBlocks"], "MAX_UPLOAD_MB": 50}}
    assert workbench.call(usage, "get_state", student="amina").json["max_file_mb"] == 20
    assert upload(workbench, usage, "big.pdf", big).status == 200


# 5. Staff moves of OLX-seeded learners stick -------------------------------------------------
def test_staff_can_remove_a_seeded_learner_for_good(workbench):
    usage = workbench.load(OLX)
    assert workbench.call(usage, "get_state", student="yusuf").json["group"]["name"] == "Team Sahel"
    assert workbench.call(usage, "assign_member", {"username": "yusuf", "group_id": None}, student=STAFF).status == 200
    workbench.call(usage, "list_submissions", {}, student=STAFF)
    assert workbench.call(usage, "get_state", student="yusuf").json["group"] is None
    rows = workbench.call(usage, "list_submissions", {}, student=STAFF).json["rows"]
    assert all("Yusuf Abdi" not in [m["name"] for m in row["members"]] for row in rows)


def test_staff_removal_of_a_seeded_learner_placed_by_the_staff_list_sticks(workbench):
    usage = workbench.load(OLX)
    other = workbench.load('<blended_group_assignment mode="individual"/>')
    workbench.call(other, "get_state", student="sara")  # known to the course, never opened this block
    workbench.call(usage, "list_submissions", {}, student=STAFF)  # places Sara in Team Horn
    workbench.call(usage, "assign_member", {"username": "sara", "group_id": None}, student=STAFF)
    rows = workbench.call(usage, "list_submissions", {}, student=STAFF).json["rows"]
    assert {row["group"]: [m["name"] for m in row["members"]] for row in rows}["Team Horn"] == []
    assert workbench.call(usage, "get_state", student="sara").json["group"] is None


def test_staff_decision_before_the_seed_applied_wins(workbench):
    usage = workbench.load(OLX)
    workbench.call(usage, "list_submissions", {}, student=STAFF)  # seeds the groups; Fatou is unknown yet
    other = workbench.load('<blended_group_assignment mode="individual"/>')
    workbench.call(other, "get_state", student="fatou")
    assert workbench.call(usage, "assign_member", {"username": "fatou", "group_id": None}, student=STAFF).status == 200
    assert workbench.call(usage, "get_state", student="fatou").json["group"] is None
    workbench.call(usage, "list_submissions", {}, student=STAFF)
    assert not GroupMembership.objects.filter(learner__username="fatou", group__source="olx").exists()


# History lines are written by the server, in the reader's language --------------------------------
def test_history_lines_are_translated_and_name_the_file(workbench, media):
    usage = workbench.load(OLX)
    assert upload(workbench, usage, "plan.pdf", PDF).status == 200
    learner = workbench.call(usage, "get_state", student="amina", language="fr").json["history"]
    assert learner[0]["label"] == "a ajouté un fichier : plan.pdf"
    row = submitted(workbench, usage)
    staff = workbench.call(usage, "get_submission", {"submission_id": row["submission_id"]}, student=STAFF,
                           language="ar").json["history"]
    labels = [event["label"] for event in staff]
    assert labels[0] == "سلّم العمل" and "أضاف ملفًا: plan.pdf" in labels
