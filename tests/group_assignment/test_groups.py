"""Group formation (self-enrolment, staff, Open edX teams), individual mode, deadlines, query bounds."""
from django.utils import timezone

from blended_xblocks.group_assignment.models import AssignmentGroup, GroupSubmission, SubmissionMember
from blended_xblocks.platform.adapter import TeamInfo
from blended_xblocks.platform.models import Learner
from tests.harness import STAFF, grade_body
from tests.harness import load_self_enrolling as load

INDIVIDUAL = """<blended_group_assignment display_name="Individual assignment 1" mode="individual">
  <prompt><p>Describe one returnee's needs.</p></prompt></blended_group_assignment>"""


def test_learners_create_join_and_leave_groups_up_to_the_size_limit(workbench):
    usage = load(workbench)
    created = workbench.call(usage, "create_group", {"name": "Team Niamey"}, student="amina")
    assert created.status == 200 and created.json["group"]["name"] == "Team Niamey"
    omar = workbench.call(usage, "get_state", student="omar").json
    assert omar["group"] is None and omar["groups"] == [{"id": created.json["group"]["id"], "name": "Team Niamey",
                                                        "size": 1, "full": False, "has_work": False}]
    group_id = created.json["group"]["id"]
    assert workbench.call(usage, "join_group", {"group_id": group_id}, student="omar").status == 200
    full = workbench.call(usage, "join_group", {"group_id": group_id}, student="leila")
    assert full.status == 409 and full.error_code == "group_full"
    twice = workbench.call(usage, "create_group", {"name": "Other"}, student="omar")
    assert twice.status == 409 and twice.error_code == "already_in_group"
    taken = workbench.call(usage, "create_group", {"name": "Team Niamey"}, student="leila")
    assert taken.status == 409 and taken.error_code == "group_name_taken"
    assert workbench.call(usage, "leave_group", {}, student="omar").status == 200
    assert workbench.call(usage, "join_group", {"group_id": group_id}, student="leila").status == 200
    unknown = workbench.call(usage, "join_group", {"group_id": 999999}, student="kwame")
    assert unknown.status == 404 and unknown.error_code == "unknown_group"


def test_an_empty_learner_group_that_never_started_disappears(workbench):
    usage = load(workbench)
    workbench.call(usage, "create_group", {"name": "Solo"}, student="amina")
    workbench.call(usage, "leave_group", {}, student="amina")
    assert not AssignmentGroup.objects.filter(name="Solo").exists()


def test_without_self_enrolment_learners_cannot_form_groups(workbench):
    usage = workbench.load('<blended_group_assignment mode="group"/>')
    result = workbench.call(usage, "create_group", {"name": "Mine"}, student="amina")
    assert result.status == 409 and result.error_code == "self_enrolment_closed"


def test_staff_create_groups_and_assign_learners(workbench):
    usage = workbench.load('<blended_group_assignment mode="group"/>')
    workbench.call(usage, "get_state", student="kwame")
    assert workbench.call(usage, "create_group", {"name": "Team Lake Chad"}, student=STAFF).status == 200
    group = AssignmentGroup.objects.get(name="Team Lake Chad")
    assert workbench.call(usage, "assign_member", {"user_id": "kwame", "group_id": group.id}, student=STAFF).status == 200
    assert workbench.call(usage, "get_state", student="kwame").json["group"]["name"] == "Team Lake Chad"
    unknown = workbench.call(usage, "assign_member", {"user_id": "ghost", "group_id": group.id}, student=STAFF)
    assert unknown.status == 404 and unknown.error_code == "unknown_user"
    assert workbench.call(usage, "assign_member", {"user_id": "kwame", "group_id": None}, student=STAFF).status == 200
    assert workbench.call(usage, "get_state", student="kwame").json["group"] is None


def test_a_learner_who_changes_group_keeps_the_grade_of_the_group_that_submitted(workbench):
    usage = load(workbench)
    first = workbench.call(usage, "create_group", {"name": "First"}, student="amina").json["group"]["id"]
    workbench.call(usage, "save_draft", {"text": "Indicators", "version": 0}, student="amina")
    workbench.call(usage, "submit", {"version": 1}, student="amina")
    workbench.call(usage, "leave_group", {}, student="amina")
    workbench.call(usage, "create_group", {"name": "Second"}, student="amina")
    workbench.call(usage, "join_group", {"group_id": AssignmentGroup.objects.get(name="Second").id}, student="omar")
    workbench.call(usage, "save_draft", {"text": "Other", "version": 0}, student="omar")
    workbench.call(usage, "submit", {"version": 1}, student="omar")
    counted = dict(SubmissionMember.objects.values_list("learner__username", "submission__group__name"))
    assert counted == {"amina": "First", "omar": "Second"}
    row = next(r for r in workbench.call(usage, "list_submissions", {}, student=STAFF).json["rows"] if r["group_id"] == first)
    workbench.call(usage, "grade", grade_body(row, levels={"quality": 4}), student=STAFF)
    workbench.call(usage, "release_grades", {}, student=STAFF)
    assert workbench.call(usage, "get_state", student="amina").json["result"]["points"] == 4


def test_individual_mode_gives_each_learner_their_own_submission(workbench):
    usage = workbench.load(INDIVIDUAL)
    amina = workbench.call(usage, "get_state", student="amina").json
    assert amina["group"]["members"] == ["Amina Diallo"] and amina["group"]["name"] == ""
    workbench.call(usage, "save_draft", {"text": "Needs of K.", "version": 0}, student="amina")
    assert workbench.call(usage, "get_state", student="yusuf").json["draft"]["text"] == ""
    rows = workbench.call(usage, "list_submissions", {}, student=STAFF).json["rows"]
    assert sorted(r["group"] for r in rows) == ["Amina Diallo", "Yusuf Abdi"] and all(r["individual"] for r in rows)
    assert workbench.call(usage, "join_group", {"group_id": rows[0]["group_id"]}, student="omar").status == 409


def test_open_edx_teams_are_the_groups_when_the_service_is_there(workbench, monkeypatch):
    from blended_xblocks.demo.platform import WorkbenchPlatform

    team = TeamInfo(team_id="team-sahel-1", name="Sahel practitioners", member_anonymous_ids=("amina", "yusuf"))
    monkeypatch.setattr(WorkbenchPlatform, "teams_available", lambda self: True)
    monkeypatch.setattr(WorkbenchPlatform, "team_for_current_user",
                        lambda self, teamset: team if self.current_user().anonymous_id in team.member_anonymous_ids else None)
    usage = workbench.load('<blended_group_assignment mode="group" teamset="reintegration-teams" self_enrolment="true"/>')
    state = workbench.call(usage, "get_state", student="amina").json
    assert state["group"]["name"] == "Sahel practitioners" and state["group"]["team"] and not state["can_change_group"]
    assert len(state["group"]["members"]) == 2  # yusuf is mirrored before his first visit
    assert workbench.call(usage, "get_state", student="omar").json["group"] is None
    assert workbench.call(usage, "leave_group", {}, student="amina").error_code == "self_enrolment_closed"


def test_a_team_member_who_joined_since_the_last_visit_is_listed_on_the_next_page(workbench, monkeypatch):
    from blended_xblocks.demo.platform import WorkbenchPlatform

    members = ["amina", "yusuf"]
    monkeypatch.setattr(WorkbenchPlatform, "teams_available", lambda self: True)
    monkeypatch.setattr(WorkbenchPlatform, "team_for_current_user", lambda self, teamset: TeamInfo(
        team_id="team-sahel-1", name="Sahel practitioners", member_anonymous_ids=tuple(members)))
    usage = workbench.load('<blended_group_assignment mode="group" teamset="reintegration-teams"/>')
    assert "omar" not in workbench.render(usage, student="amina").lower()
    members.append("omar")  # Omar joins the Open edX team between two visits
    assert "omar" in workbench.render(usage, student="amina").lower()  # listed on this page, not the next


def test_deadline_passed_refuses_or_marks_late(workbench):
    closed = load(workbench, due="2020-01-01T00:00")
    workbench.call(closed, "create_group", {"name": "Late team"}, student="amina")
    workbench.call(closed, "save_draft", {"text": "x", "version": 0}, student="amina")
    state = workbench.call(closed, "get_state", student="amina").json
    assert state["past_due"] is True and state["due"] == "2019-12-31T21:00:00Z"  # Nairobi is UTC+3
    refused = workbench.call(closed, "submit", {"version": 1}, student="amina")
    assert refused.status == 409 and refused.error_code == "deadline_passed"
    late = load(workbench, due="2020-01-01T00:00", late="true")
    workbench.call(late, "create_group", {"name": "Late team"}, student="amina")
    workbench.call(late, "save_draft", {"text": "x", "version": 0}, student="amina")
    state = workbench.call(late, "submit", {"version": 1}, student="amina").json
    assert state["status"] == "late" and state["late"] is True
    assert workbench.call(late, "list_submissions", {"status": "late"}, student=STAFF).json["total"] == 1


def seed_cohort(workbench, usage, groups=400, size=5):
    """groups x size learners who have all drafted (and half submitted), straight in the database."""
    block = workbench.block(usage, STAFF)
    course, key = block.course_key_string, block.usage_key_string
    prefix = key.split(".")[0]
    learners = Learner.objects.bulk_create([Learner(course_key=course, anonymous_user_id=f"l{i}{prefix}", username=f"l{i}")
                                            for i in range(groups * size)])
    made = AssignmentGroup.objects.bulk_create([AssignmentGroup(course_key=course, usage_key=key, name=f"G{g:04}",
                                                                source="staff") for g in range(groups)])
    from blended_xblocks.group_assignment.models import GroupMembership
    GroupMembership.objects.bulk_create([GroupMembership(usage_key=key, group=made[i // size], learner=learner)
                                         for i, learner in enumerate(learners)])
    subs = GroupSubmission.objects.bulk_create([GroupSubmission(
        course_key=course, usage_key=key, group=group, text="t", version=1,
        status="submitted" if g % 2 else "draft", submitted=timezone.now() if g % 2 else None)
        for g, group in enumerate(made)])
    SubmissionMember.objects.bulk_create([SubmissionMember(usage_key=key, submission=subs[i // size], learner=learner)
                                          for i, learner in enumerate(learners) if (i // size) % 2])
    return subs


def ours(captured):
    """Queries on the package's tables (not the workbench's field storage)."""
    return [query for query in captured if "blended_xblocks_" in query["sql"]]


def test_staff_list_uses_constant_queries_for_2000_learners(workbench, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    small = workbench.load('<blended_group_assignment mode="group"/>')
    seed_cohort(workbench, small, groups=4, size=2)
    with CaptureQueriesContext(connection) as few:
        workbench.call(small, "list_submissions", {}, student=STAFF)
    usage = workbench.load('<blended_group_assignment mode="group"/>')
    seed_cohort(workbench, usage)
    with CaptureQueriesContext(connection) as many:
        page = workbench.call(usage, "list_submissions", {"page": 3, "page_size": 50}, student=STAFF).json
    assert len(many) <= len(few) and len(ours(many)) <= 3  # the rest: the workbench's own field storage
    assert page["total"] == 400 and len(page["rows"]) == 50 and all(len(r["members"]) == 5 for r in page["rows"])
    with django_assert_max_num_queries(len(few)):
        submitted = workbench.call(usage, "list_submissions", {"status": "submitted", "page_size": 200}, student=STAFF).json
    assert submitted["total"] == 200 and {r["status"] for r in submitted["rows"]} == {"submitted"}


def test_grading_one_submission_needs_bounded_queries(workbench, django_assert_max_num_queries):
    usage = workbench.load('<blended_group_assignment mode="group"/>')
    subs = seed_cohort(workbench, usage, groups=4, size=20)
    body = {"submission_id": subs[1].pk, "grade_version": 0, "levels": {"quality": 2},
            "adjustments": [{"user_id": f"l{i}{subs[1].usage_key.split('.')[0]}", "points": -1, "reason": "absent"} for i in range(20, 40)]}
    with django_assert_max_num_queries(16):
        result = workbench.call(usage, "grade", body, student=STAFF)
    assert result.status == 200 and all(m["points"] == 1 for m in result.json["members"])


def test_staff_assign_by_username_and_never_into_a_team(workbench, monkeypatch):
    usage = workbench.load('<blended_group_assignment mode="group"/>')
    workbench.call(usage, "get_state", student="leila")
    group_id = workbench.call(usage, "create_group", {"name": "Team Maghreb"}, student=STAFF).json["group_id"]
    moved = workbench.call(usage, "assign_member", {"username": "leila", "group_id": group_id}, student=STAFF)
    assert moved.status == 200 and moved.json["name"] == "Leila Mansour"
    assert workbench.call(usage, "get_state", student="leila").json["group"]["name"] == "Team Maghreb"
    missing = workbench.call(usage, "assign_member", {"group_id": group_id}, student=STAFF)
    assert missing.status == 400 and missing.error_code == "required"
    AssignmentGroup.objects.filter(pk=group_id).update(team_id="team-1")
    refused = workbench.call(usage, "assign_member", {"username": "leila", "group_id": group_id}, student=STAFF)
    assert refused.status == 409 and refused.error_code == "team_managed"


def test_staff_list_shows_seeded_members_the_course_already_knows(workbench):
    from tests.harness import GROUP_ASSIGNMENT as OLX

    usage = workbench.load(OLX)
    other = workbench.load('<blended_group_assignment mode="individual"/>')
    for student in ("yusuf", "sara"):  # known to the course through another activity
        workbench.call(other, "get_state", student=student)
    rows = workbench.call(usage, "list_submissions", {}, student=STAFF).json["rows"]
    members = {row["group"]: [m["name"] for m in row["members"]] for row in rows}
    assert members == {"Team Horn": ["Sara Tesfaye"], "Team Sahel": ["Yusuf Abdi"]}
    assert workbench.call(usage, "get_state", student="yusuf").json["group"]["name"] == "Team Sahel"


# A seeded member who opens the assignment only after their group submitted ---------------------
def gradebook_of(workbench, usage):
    from tests.harness import scores_in_gradebook

    return scores_in_gradebook(workbench.block(usage).usage_key_string)


def test_a_seeded_member_who_arrives_after_the_submission_is_graded_with_the_group(workbench):
    from tests.harness import GROUP_ASSIGNMENT as OLX
    from tests.harness import submitted

    usage = workbench.load(OLX)
    row = submitted(workbench, usage)  # Team Sahel submits; Fatou has never opened the assignment
    fatou = workbench.call(usage, "get_state", student="fatou").json
    assert fatou["group"]["name"] == "Team Sahel" and fatou["status"] == "submitted"
    graded = workbench.call(usage, "grade", grade_body(row, adjustments=[
        {"user_id": "fatou", "points": -1, "reason": "Joined late"}]), student=STAFF)
    assert graded.status == 200
    assert {m["user_id"]: m["points"] for m in graded.json["members"]} == {"amina": 7, "fatou": 6}
    workbench.call(usage, "release_grades", {}, student=STAFF)
    result = workbench.call(usage, "get_state", student="fatou").json["result"]
    assert (result["points"], result["reason"]) == (6, "Joined late")
    assert gradebook_of(workbench, usage) == {"amina": [7], "fatou": [6]}


def test_a_seeded_member_who_arrives_after_the_release_gets_the_grade_and_the_score(workbench):
    from tests.harness import GROUP_ASSIGNMENT as OLX
    from tests.harness import submitted

    usage = workbench.load(OLX)
    row = submitted(workbench, usage)
    workbench.call(usage, "grade", grade_body(row), student=STAFF)
    workbench.call(usage, "release_grades", {}, student=STAFF)
    assert gradebook_of(workbench, usage) == {"amina": [7]}
    fatou = workbench.call(usage, "get_state", student="fatou").json
    assert fatou["status"] == "graded" and fatou["result"]["points"] == 7
    assert gradebook_of(workbench, usage) == {"amina": [7], "fatou": [7]}
    assert workbench.call(usage, "get_state", student="fatou").json["result"]["points"] == 7
    assert gradebook_of(workbench, usage) == {"amina": [7], "fatou": [7]}  # pushed once


def test_seeded_members_the_staff_list_places_after_the_release_get_their_score(workbench):
    from tests.harness import GROUP_ASSIGNMENT as OLX
    from tests.harness import submitted

    usage = workbench.load(OLX)
    row = submitted(workbench, usage)
    workbench.call(usage, "grade", grade_body(row), student=STAFF)
    workbench.call(usage, "release_grades", {}, student=STAFF)
    other = workbench.load('<blended_group_assignment mode="individual"/>')
    workbench.call(other, "get_state", student="yusuf")  # known to the course, never opened this one
    listing = workbench.call(usage, "list_submissions", {}, student=STAFF).json
    sahel = next(r for r in listing["rows"] if r["group"] == "Team Sahel")
    assert {m["user_id"]: m["points"] for m in sahel["members"]} == {"amina": 7, "yusuf": 7}
    assert listing["scores_pending"] == 0
    assert gradebook_of(workbench, usage) == {"amina": [7], "yusuf": [7]}
    assert workbench.call(usage, "get_state", student="yusuf").json["result"]["points"] == 7


def test_staff_placing_a_learner_in_a_released_group_gives_them_its_grade_once(workbench):
    usage = load(workbench)
    group_id = workbench.call(usage, "create_group", {"name": "Team Niamey"}, student="amina").json["group"]["id"]
    workbench.call(usage, "save_draft", {"text": "Indicators", "version": 0}, student="amina")
    workbench.call(usage, "submit", {"version": 1}, student="amina")
    row = workbench.call(usage, "list_submissions", {}, student=STAFF).json["rows"][0]
    workbench.call(usage, "grade", grade_body(row, levels={"quality": 2}), student=STAFF)
    workbench.call(usage, "release_grades", {}, student=STAFF)
    workbench.call(usage, "get_state", student="omar")
    moved = workbench.call(usage, "assign_member", {"username": "omar", "group_id": group_id}, student=STAFF)
    assert moved.status == 200
    assert workbench.call(usage, "get_state", student="omar").json["result"]["points"] == 2
    assert gradebook_of(workbench, usage) == {"amina": [2], "omar": [2]}
    # Moving Omar out and back in changes nothing: he is counted once, with this grade.
    workbench.call(usage, "assign_member", {"username": "omar", "group_id": None}, student=STAFF)
    workbench.call(usage, "assign_member", {"username": "omar", "group_id": group_id}, student=STAFF)
    assert gradebook_of(workbench, usage) == {"amina": [2], "omar": [2]}


def test_a_learner_counted_in_another_submission_keeps_that_grade_when_staff_move_them(workbench):
    usage = load(workbench)
    first = workbench.call(usage, "create_group", {"name": "First"}, student="amina").json["group"]["id"]
    workbench.call(usage, "save_draft", {"text": "Indicators", "version": 0}, student="amina")
    workbench.call(usage, "submit", {"version": 1}, student="amina")
    workbench.call(usage, "create_group", {"name": "Second"}, student="omar")
    workbench.call(usage, "save_draft", {"text": "Other", "version": 0}, student="omar")
    workbench.call(usage, "submit", {"version": 1}, student="omar")
    workbench.call(usage, "assign_member", {"username": "omar", "group_id": first}, student=STAFF)
    counted = dict(SubmissionMember.objects.values_list("learner__username", "submission__group__name"))
    assert counted == {"amina": "First", "omar": "Second"}


# Seeded groups and the size limit ---------------------------------------------------------------
SEEDED_SELF = """<blended_group_assignment mode="group" self_enrolment="true" max_group_size="2">
  <group name="Team Volta"><member username="amina"/><member username="yusuf"/></group>
</blended_group_assignment>"""


def test_seats_of_seeded_members_are_kept_for_them(workbench):
    usage = workbench.load(SEEDED_SELF)
    omar = workbench.call(usage, "get_state", student="omar").json
    volta = next(g for g in omar["groups"] if g["name"] == "Team Volta")
    assert volta["full"] is True
    refused = workbench.call(usage, "join_group", {"group_id": volta["id"]}, student="omar")
    assert refused.status == 409 and refused.error_code == "group_full"
    workbench.call(usage, "get_state", student="amina")  # one seed applied, one seat still kept
    refused = workbench.call(usage, "join_group", {"group_id": volta["id"]}, student="leila")
    assert refused.status == 409 and refused.error_code == "group_full"
    assert workbench.call(usage, "get_state", student="yusuf").json["group"]["name"] == "Team Volta"
    assert workbench.call(usage, "get_state", student="amina").json["group"]["members"] == ["Amina Diallo", "Yusuf Abdi"]


def test_a_seat_is_freed_when_staff_place_the_seeded_member_elsewhere(workbench):
    usage = workbench.load(SEEDED_SELF)
    workbench.call(usage, "get_state", student="amina")
    other = workbench.load('<blended_group_assignment mode="individual"/>')
    workbench.call(other, "get_state", student="yusuf")
    assert workbench.call(usage, "assign_member", {"username": "yusuf", "group_id": None}, student=STAFF).status == 200
    volta = AssignmentGroup.objects.get(usage_key=workbench.block(usage).usage_key_string, name="Team Volta")
    assert workbench.call(usage, "join_group", {"group_id": volta.id}, student="omar").status == 200
    assert workbench.call(usage, "get_state", student="omar").json["group"]["members"] == ["Amina Diallo", "Omar Haddad"]


# Staff cannot create groups where the block has none of its own --------------------------------
def test_staff_cannot_create_groups_in_individual_mode(workbench):
    usage = workbench.load(INDIVIDUAL)
    workbench.call(usage, "get_state", student="amina")
    refused = workbench.call(usage, "create_group", {"name": "Team Lake Chad"}, student=STAFF)
    assert refused.status == 409 and refused.error_code == "individual_mode"
    rows = workbench.call(usage, "list_submissions", {}, student=STAFF).json["rows"]
    assert [r["group"] for r in rows] == ["Amina Diallo"]


def test_staff_cannot_create_groups_when_the_teams_service_forms_them(workbench, monkeypatch):
    from blended_xblocks.demo.platform import WorkbenchPlatform

    monkeypatch.setattr(WorkbenchPlatform, "teams_available", lambda self: True)
    monkeypatch.setattr(WorkbenchPlatform, "team_for_current_user", lambda self, teamset: None)
    usage = workbench.load('<blended_group_assignment mode="group" teamset="reintegration-teams"/>')
    refused = workbench.call(usage, "create_group", {"name": "Team Lake Chad"}, student=STAFF)
    assert refused.status == 409 and refused.error_code == "team_managed"
    assert workbench.call(usage, "list_submissions", {}, student=STAFF).json["rows"] == []


# Work nobody opened is listed too ---------------------------------------------------------------
def test_individual_list_shows_every_known_learner_even_before_their_first_visit(workbench):
    usage = workbench.load(INDIVIDUAL)
    other = workbench.load('<blended_group_assignment mode="individual"/>')
    workbench.call(other, "get_state", student="sara")  # known to the course through another activity only
    workbench.call(usage, "save_draft", {"text": "Needs of K.", "version": 0}, student="amina")
    rows = {r["group"]: r for r in workbench.call(usage, "list_submissions", {}, student=STAFF).json["rows"]}
    assert rows["Sara Tesfaye"]["status"] == "not_started" and rows["Sara Tesfaye"]["submission_id"] is None
    assert rows["Sara Tesfaye"]["members"][0]["username"] == "sara" and rows["Sara Tesfaye"]["individual"]
    assert rows["Amina Diallo"]["status"] == "draft" and rows["Amina Diallo"]["submission_id"]
    waiting = workbench.call(usage, "list_submissions", {"status": "not_started"}, student=STAFF).json
    assert "Sara Tesfaye" in [r["group"] for r in waiting["rows"]] and "Amina Diallo" not in [r["group"] for r in waiting["rows"]]
    assert waiting["total"] == len(waiting["rows"])
    drafts = workbench.call(usage, "list_submissions", {"status": "draft"}, student=STAFF).json
    assert [r["group"] for r in drafts["rows"]] == ["Amina Diallo"] and drafts["total"] == 1


def test_individual_list_pages_by_name(workbench):
    usage = workbench.load(INDIVIDUAL)
    course = workbench.block(usage, STAFF).course_key_string
    Learner.objects.bulk_create([Learner(course_key=course, anonymous_user_id=f"p{i}", username=f"p{i}",
                                         full_name=f"Person {i:02}") for i in range(30)])
    first = workbench.call(usage, "list_submissions", {"page": 1, "page_size": 10}, student=STAFF).json
    second = workbench.call(usage, "list_submissions", {"page": 2, "page_size": 10}, student=STAFF).json
    names = [r["group"] for r in first["rows"] + second["rows"]]
    assert names == sorted(names) and len(set(names)) == 20 and first["total"] == second["total"] >= 30


def seed_individuals(workbench, usage, count, prefix):
    """count learners of the course; half of them have drafted their own submission."""
    block = workbench.block(usage, STAFF)
    course, key = block.course_key_string, block.usage_key_string
    from blended_xblocks.group_assignment.models import GroupMembership

    learners = Learner.objects.bulk_create([Learner(course_key=course, anonymous_user_id=f"{prefix}{i}",
                                                    username=f"{prefix}{i}", full_name=f"Learner {i:05}") for i in range(count)])
    mine = learners[::2]
    groups = AssignmentGroup.objects.bulk_create([AssignmentGroup(course_key=course, usage_key=key, name=f"~{lr.pk}",
                                                                  source="individual") for lr in mine])
    GroupMembership.objects.bulk_create([GroupMembership(usage_key=key, group=g, learner=lr) for g, lr in zip(groups, mine, strict=True)])
    GroupSubmission.objects.bulk_create([GroupSubmission(course_key=course, usage_key=key, group=g, text="t", version=1,
                                                         status="draft") for g in groups])


def test_individual_list_uses_constant_queries_for_2000_learners(workbench, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    small = workbench.load(INDIVIDUAL)
    seed_individuals(workbench, small, 8, "s")
    with CaptureQueriesContext(connection) as few:
        workbench.call(small, "list_submissions", {}, student=STAFF)
    usage = workbench.load('<blended_group_assignment mode="individual" display_name="Another"/>')
    seed_individuals(workbench, usage, 2000, "b")
    with CaptureQueriesContext(connection) as many:
        page = workbench.call(usage, "list_submissions", {"page": 3, "page_size": 50}, student=STAFF).json
    assert len(many) <= len(few) and len(ours(many)) <= 3
    assert page["total"] >= 2000 and len(page["rows"]) == 50
    assert {r["status"] for r in page["rows"]} == {"draft", "not_started"}
    with django_assert_max_num_queries(len(few)):
        waiting = workbench.call(usage, "list_submissions", {"status": "not_started", "page_size": 200},
                                 student=STAFF).json
    assert waiting["total"] >= 1000 and {r["status"] for r in waiting["rows"]} == {"not_started"}


def test_a_seeded_group_nobody_opened_is_listed_as_not_started(workbench):
    usage = workbench.load("""<blended_group_assignment mode="group">
      <group name="Team Lake Chad"><member username="nobody-yet"/></group></blended_group_assignment>""")
    rows = workbench.call(usage, "list_submissions", {"status": "not_started"}, student=STAFF).json["rows"]
    assert [(r["group"], r["status"], r["members"]) for r in rows] == [("Team Lake Chad", "not_started", [])]
    assert rows[0]["submission_id"]


# Staff choose among all groups when moving a learner ------------------------------------------
def test_staff_list_every_group_a_page_at_a_time_and_search_by_name(workbench, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    small = workbench.load('<blended_group_assignment mode="group"/>')
    seed_cohort(workbench, small, groups=4, size=2)
    with CaptureQueriesContext(connection) as few:
        workbench.call(small, "list_groups", {}, student=STAFF)
    usage = workbench.load('<blended_group_assignment mode="group"/>')
    seed_cohort(workbench, usage)  # 400 groups of 5
    with django_assert_max_num_queries(len(few)):
        last = workbench.call(usage, "list_groups", {"page": 16, "page_size": 25}, student=STAFF).json
    assert last["total"] == 400 and [g["name"] for g in last["groups"]][0] == "G0375" and len(last["groups"]) == 25
    assert last["groups"][0]["size"] == 5 and len(last["groups"][0]["members"]) == 5
    found = workbench.call(usage, "list_groups", {"query": "g039"}, student=STAFF).json
    assert found["total"] == 10 and [g["name"] for g in found["groups"]] == [f"G039{i}" for i in range(10)]
    assert workbench.call(usage, "list_groups", {"query": "nothing"}, student=STAFF).json == {
        "total": 0, "page": 1, "page_size": 50, "num_pages": 1, "groups": []}


def test_list_groups_shows_seeded_groups_and_not_groups_of_one_or_teams(workbench):
    from tests.harness import GROUP_ASSIGNMENT as OLX

    usage = workbench.load(OLX)
    listed = workbench.call(usage, "list_groups", {}, student=STAFF).json
    assert [(g["name"], g["size"], g["members"]) for g in listed["groups"]] == [("Team Horn", 0, []), ("Team Sahel", 0, [])]
    workbench.call(usage, "get_state", student="amina")
    sahel = workbench.call(usage, "list_groups", {"query": "sahel"}, student=STAFF).json["groups"]
    assert sahel[0]["members"] == ["Amina Diallo"] and sahel[0]["size"] == 1
    AssignmentGroup.objects.create(course_key="c", usage_key=workbench.block(usage, STAFF).usage_key_string, name="Team X",
                                   source="team", team_id="team-x")
    assert workbench.call(usage, "list_groups", {}, student=STAFF).json["total"] == 2
    alone = workbench.load(INDIVIDUAL)
    refused = workbench.call(alone, "list_groups", {}, student=STAFF)
    assert refused.status == 409 and refused.error_code == "individual_mode"


def test_list_groups_is_for_staff_and_refuses_bad_input(workbench):
    usage = workbench.load('<blended_group_assignment mode="group"/>')
    learner = workbench.call(usage, "list_groups", {}, student="amina")
    assert learner.status == 403 and learner.error_code == "staff_only"
    for body in ({"page": 0}, {"page_size": 201}, {"query": "x" * 101}, {"query": ["a"]}, {"page": "2"}):
        refused = workbench.call(usage, "list_groups", body, student=STAFF)
        assert refused.status == 400 and refused.json["error"]["code"] and refused.json["error"]["message"], body


# Seeded groups belong to the author: no learner or staff group can pass for one --------------------
SEEDED_OPEN = """<blended_group_assignment mode="group" self_enrolment="true" max_group_size="5">
  <group name="Team Volta"><member username="amina"/><member username="yusuf"/></group>
</blended_group_assignment>"""


def test_a_learner_cannot_take_a_seeded_groups_name_before_its_members_arrive(workbench):
    usage = workbench.load(SEEDED_OPEN)  # nobody has opened the assignment: the seeded group is not made yet
    for name in ("Team Volta", "team volta", "TEAM VÓLTA", "Team  Volta ", "Ｔｅａｍ Ｖｏｌｔａ", "Team Vol\u200bta"):
        taken = workbench.call(usage, "create_group", {"name": name}, student="omar")
        assert (taken.status, taken.error_code) == (409, "group_name_taken"), name
        staff = workbench.call(usage, "create_group", {"name": name}, student=STAFF)
        assert (staff.status, staff.error_code) == (409, "group_name_taken"), name
    invisible = workbench.call(usage, "create_group", {"name": "\u200b\u200d"}, student="omar")
    assert (invisible.status, invisible.error_code) == (400, "invalid_field")
    assert workbench.call(usage, "create_group", {"name": "Team Voltaic"}, student="omar").status == 200
    workbench.call(usage, "save_draft", {"text": "Omar's secret plan", "version": 0}, student="omar")
    amina = workbench.call(usage, "get_state", student="amina").json
    assert amina["group"]["name"] == "Team Volta" and amina["group"]["members"] == ["Amina Diallo"]
    assert amina["draft"]["text"] == ""
    assert AssignmentGroup.objects.get(pk=amina["group"]["id"]).source == "olx"


def test_a_group_named_like_a_seeded_group_the_author_adds_later_gives_up_the_name(workbench):
    from tests.harness import editor_values, save

    usage = workbench.load(SEEDED_OPEN.replace('<group name="Team Volta"><member username="amina"/><member username="yusuf"/></group>', ""))
    mine = workbench.call(usage, "create_group", {"name": "Team Niger"}, student="omar").json["group"]
    workbench.call(usage, "save_draft", {"text": "Omar's secret plan", "version": 0}, student="omar")
    staff_made = workbench.call(usage, "create_group", {"name": "team niger b"}, student=STAFF).json["group_id"]
    assert save(workbench, usage, editor_values(self_enrolment=True, groups=[
        {"name": "Team Niger", "members": ["amina"]}, {"name": "Team Niger B", "members": ["yusuf"]}])).status == 200
    amina = workbench.call(usage, "get_state", student="amina").json
    assert amina["group"]["name"] == "Team Niger" and amina["group"]["id"] != mine["id"]
    assert amina["group"]["members"] == ["Amina Diallo"] and amina["draft"]["text"] == ""
    yusuf = workbench.call(usage, "get_state", student="yusuf").json
    assert yusuf["group"]["name"] == "Team Niger B" and yusuf["group"]["id"] != staff_made
    omar = workbench.call(usage, "get_state", student="omar").json
    assert omar["group"] == {"id": mine["id"], "name": f"Team Niger ({mine['id']})", "members": ["Omar Haddad"], "team": False}
    assert omar["draft"]["text"] == "Omar's secret plan"
    assert omar["history"][0]["action"] == "renamed" and "Team Niger" in omar["history"][0]["label"]
    assert AssignmentGroup.objects.get(pk=staff_made).name == f"team niger b ({staff_made})"


def test_group_names_are_compared_as_the_production_collation_compares_them():
    from blended_xblocks.group_assignment.olx import name_key

    same = [("Team Volta", "TEAM VÓLTA "), ("Team Volta", "Ｔｅａｍ Ｖｏｌｔａ"), ("Team Volta", "Team Vol\u200bta"),
            ("Cœur", "COEUR"), ("Straße", "STRASSE"), ("Łódź", "lodz"), ("فريق الساحل", "فَرِيق السّاحل")]
    assert [name_key(a) == name_key(b) for a, b in same] == [True] * len(same)
    assert name_key("Team Volta") != name_key("Team Voltaic") and name_key("Team 1") != name_key("Team 2")
