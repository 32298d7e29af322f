"""Races on a real database: two members saving one draft, two graders, two learners and one place."""
import time

import pytest

from blended_xblocks.group_assignment.models import AssignmentGroup, GroupMembership, GroupSubmission
from tests.harness import GROUP_ASSIGNMENT as OLX
from tests.harness import STAFF, grade_body, race

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]


def test_two_members_saving_the_same_version_exactly_one_wins(real_db):
    usage = real_db.load(OLX)
    for student in ("amina", "yusuf"):
        real_db.call(usage, "get_state", student=student)
    for attempt in range(3):
        version = real_db.call(usage, "get_state", student="amina").json["draft"]["version"]
        results = race([lambda s=s: real_db.call(usage, "save_draft", {"text": f"{s} {attempt}", "version": version},  # noqa: B023 (joined before the loop moves on)
                                                 student=s) for s in ("amina", "yusuf")])
        assert sorted(r.status for r in results) == [200, 409]
        loser = next(r for r in results if r.status == 409)
        winner = next(r for r in results if r.status == 200)
        assert loser.error_code == "version_conflict"
        assert loser.json["error"]["draft"]["text"] == winner.json["draft"]["text"]
        assert GroupSubmission.objects.get(group__name="Team Sahel").version == version + 1


def test_two_graders_at_once_the_second_is_told(real_db):
    usage = real_db.load(OLX)
    real_db.call(usage, "get_state", student="amina")
    real_db.call(usage, "save_draft", {"text": "Plan", "version": 0})
    real_db.call(usage, "submit", {"version": 1})
    row = real_db.call(usage, "list_submissions", {"status": "submitted"}, student=STAFF).json["rows"][0]
    results = race([
        lambda: real_db.call(usage, "grade", grade_body(row, levels={"analysis": 4, "plan": 6}), student=STAFF),
        lambda: real_db.call(usage, "grade", grade_body(row, levels={"analysis": 0, "plan": 0}), student="staff"),
    ])
    assert sorted(r.status for r in results) == [200, 409], [r.body for r in results]
    winner = next(r for r in results if r.status == 200)
    assert next(r for r in results if r.status == 409).error_code == "grading_conflict"
    stored = GroupSubmission.objects.get(pk=row["submission_id"])
    assert stored.points == winner.json["points"] and stored.grade_version == 1


def test_two_learners_racing_for_the_last_place(real_db):
    usage = real_db.load('<blended_group_assignment mode="group" self_enrolment="true" max_group_size="2"/>')
    group_id = real_db.call(usage, "create_group", {"name": "Team Kassala"}, student="amina").json["group"]["id"]
    for student in ("omar", "leila"):
        real_db.call(usage, "get_state", student=student)
    results = race([lambda s=s: real_db.call(usage, "join_group", {"group_id": group_id}, student=s)
                    for s in ("omar", "leila")])
    assert sorted(r.status for r in results) == [200, 409]
    assert GroupMembership.objects.filter(group_id=group_id).count() == 2


def test_a_learner_racing_a_seeded_member_for_their_kept_seat_never_gets_it(real_db):
    usage = real_db.load('<blended_group_assignment mode="group" self_enrolment="true" max_group_size="2">'
                         '<group name="Team Volta"><member username="amina"/><member username="yusuf"/></group>'
                         '</blended_group_assignment>')
    real_db.call(usage, "get_state", student="amina")
    group_id = real_db.call(usage, "get_state", student="amina").json["group"]["id"]
    real_db.call(usage, "get_state", student="omar")
    results = race([lambda: real_db.call(usage, "get_state", student="yusuf"),
                    lambda: real_db.call(usage, "join_group", {"group_id": group_id}, student="omar")])
    assert [r.status for r in results] == [200, 409] and results[1].error_code == "group_full"
    assert sorted(GroupMembership.objects.filter(group_id=group_id).values_list("learner__username", flat=True)) == [
        "amina", "yusuf"]


@pytest.mark.parametrize("attempt", range(3))
def test_a_member_placed_while_the_group_submits_is_counted_once(real_db, monkeypatch, attempt):
    """Submit holds the submission's lock a while, and the placement starts a little later: it reaches the
    group's members while submit waits to read them. Placing in any other lock order deadlocks here."""
    from blended_xblocks.group_assignment import drafts, groups
    from blended_xblocks.group_assignment.models import SubmissionMember

    usage = real_db.load(OLX)
    real_db.call(usage, "save_draft", {"text": "Plan", "version": 0}, student="amina")
    locked, place = drafts._locked, groups.place_seeded_learner

    def slow_lock(submission_id):
        submission = locked(submission_id)
        time.sleep(0.5)
        return submission

    def late_place(*args, **kwargs):
        time.sleep(0.15)
        return place(*args, **kwargs)
    monkeypatch.setattr(drafts, "_locked", slow_lock)
    monkeypatch.setattr(groups, "place_seeded_learner", late_place)
    results = race([lambda: real_db.call(usage, "submit", {"version": 1}, student="amina"),
                    lambda: real_db.call(usage, "get_state", student="fatou")])
    assert [getattr(r, "status", r) for r in results] == [200, 200], results
    counted = sorted(SubmissionMember.objects.values_list("learner__username", flat=True))
    assert counted == ["amina", "fatou"]


@pytest.mark.parametrize("attempt", range(3))
def test_a_member_staff_place_while_the_group_submits_is_counted_once(real_db, monkeypatch, attempt):
    """As above, with staff placing a learner (assign_member) instead of the seed."""
    from blended_xblocks.group_assignment import drafts, groups
    from blended_xblocks.group_assignment.models import SubmissionMember

    usage = real_db.load(OLX)
    real_db.call(usage, "save_draft", {"text": "Plan", "version": 0}, student="amina")
    group_id = real_db.call(usage, "get_state", student="amina").json["group"]["id"]
    real_db.call(usage, "get_state", student="kwame")
    locked, assign = drafts._locked, groups.assign_member

    def slow_lock(submission_id):
        submission = locked(submission_id)
        time.sleep(0.5)
        return submission

    def late_assign(*args, **kwargs):
        time.sleep(0.15)
        return assign(*args, **kwargs)
    monkeypatch.setattr(drafts, "_locked", slow_lock)
    monkeypatch.setattr(groups, "assign_member", late_assign)
    results = race([lambda: real_db.call(usage, "submit", {"version": 1}, student="amina"),
                    lambda: real_db.call(usage, "assign_member", {"username": "kwame", "group_id": group_id}, student=STAFF)])
    assert [getattr(r, "status", r) for r in results] == [200, 200], results
    counted = sorted(SubmissionMember.objects.values_list("learner__username", flat=True))
    assert counted == ["amina", "kwame"]


SELF_ENROL = '<blended_group_assignment mode="group" self_enrolment="true" max_group_size="5"/>'
TRIALS = 10


def test_the_last_member_leaving_while_another_learner_joins_never_fails_nor_loses_the_joiner(real_db):
    usage = real_db.load(SELF_ENROL)
    for trial in range(TRIALS):
        leaver, joiner = f"amina{trial}", f"omar{trial}"
        group_id = real_db.call(usage, "create_group", {"name": f"Team {trial}"}, student=leaver).json["group"]["id"]
        real_db.call(usage, "get_state", student=joiner)
        left, joined = race([lambda: real_db.call(usage, "leave_group", {}, student=leaver),  # noqa: B023
                             lambda: real_db.call(usage, "join_group", {"group_id": group_id}, student=joiner)])  # noqa: B023
        assert getattr(left, "status", left) == 200, left
        assert getattr(joined, "status", joined) in (200, 404), joined  # a 500 arrives as the exception it raised
        assert joined.status == 200 or joined.error_code == "unknown_group"
        members = list(GroupMembership.objects.filter(learner__username__in=[leaver, joiner])
                       .values_list("learner__username", "group_id"))
        if joined.status == 200:  # the joiner is in the group, which stays
            assert members == [(joiner, group_id)] and joined.json["group"]["id"] == group_id
        else:  # the group went with its last member, and nobody is left in it
            assert members == [] and not GroupSubmission.objects.filter(group_id=group_id).exists()


def test_one_learner_joining_two_groups_at_once_ends_in_one(real_db):
    usage = real_db.load(SELF_ENROL)
    for trial in range(TRIALS):
        first = real_db.call(usage, "create_group", {"name": f"A{trial}"}, student=f"amina{trial}").json["group"]["id"]
        second = real_db.call(usage, "create_group", {"name": f"B{trial}"}, student=f"yusuf{trial}").json["group"]["id"]
        student = f"omar{trial}"
        real_db.call(usage, "get_state", student=student)
        results = race([lambda g=g: real_db.call(usage, "join_group", {"group_id": g}, student=student)  # noqa: B023
                        for g in (first, second)])
        assert sorted(getattr(r, "status", 500) for r in results) == [200, 409], results
        assert next(r for r in results if r.status == 409).error_code == "already_in_group"
        assert GroupMembership.objects.filter(learner__username=student).count() == 1


def test_one_learner_creating_two_groups_at_once_gets_one_and_is_told_why_not_the_other(real_db):
    usage = real_db.load(SELF_ENROL)
    for trial in range(TRIALS):
        student = f"omar{trial}"
        real_db.call(usage, "get_state", student=student)
        results = race([lambda n=n: real_db.call(usage, "create_group", {"name": f"{n} {trial}"}, student=student)  # noqa: B023
                        for n in ("Kassala", "Volta")])
        assert sorted(getattr(r, "status", 500) for r in results) == [200, 409], results
        assert next(r for r in results if r.status == 409).error_code == "already_in_group"
        assert GroupMembership.objects.filter(learner__username=student).count() == 1
        assert AssignmentGroup.objects.filter(name__endswith=f" {trial}").count() == 1  # the refused one is not left behind


# MariaDB's collation (utf8mb4_unicode_ci) matches names across case, accents and trailing spaces.
SEEDED_OPEN = ('<blended_group_assignment mode="group" self_enrolment="true" max_group_size="5">'
               '<group name="Team Volta"><member username="amina"/><member username="yusuf"/></group>'
               '</blended_group_assignment>')


def test_a_look_alike_learner_group_never_receives_seeded_members(real_db):
    for trial in range(5):
        usage = real_db.load(SEEDED_OPEN)
        created, amina = race([lambda: real_db.call(usage, "create_group", {"name": "TEAM VÓLTA"}, student="omar"),  # noqa: B023
                               lambda: real_db.call(usage, "get_state", student="amina")])  # noqa: B023
        assert (created.status, created.error_code) == (409, "group_name_taken"), trial
        assert amina.json["group"]["name"] == "Team Volta" and amina.json["group"]["members"] == ["Amina Diallo"]
        assert real_db.call(usage, "create_group", {"name": "team volta"}, student="leila").error_code == "group_name_taken"
        yusuf = real_db.call(usage, "get_state", student="yusuf").json["group"]
        assert yusuf["id"] == amina.json["group"]["id"] and AssignmentGroup.objects.get(pk=yusuf["id"]).source == "olx"


def test_a_seeded_group_added_after_a_look_alike_learner_group_is_made_apart(real_db):
    from tests.harness import editor_values, save

    usage = real_db.load(SEEDED_OPEN)
    mine = real_db.call(usage, "create_group", {"name": "TEAM NIGÉR"}, student="omar").json["group"]
    real_db.call(usage, "save_draft", {"text": "Omar's plan", "version": 0}, student="omar")
    assert save(real_db, usage, editor_values(self_enrolment=True, groups=[
        {"name": "Team Niger", "members": ["yusuf"]}, {"name": "Team Volta", "members": ["amina"]}])).status == 200
    amina, yusuf = race([lambda: real_db.call(usage, "get_state", student="amina"),
                         lambda: real_db.call(usage, "get_state", student="yusuf")])
    assert amina.json["group"]["name"] == "Team Volta"
    assert yusuf.json["group"]["name"] == "Team Niger" and yusuf.json["group"]["members"] == ["Yusuf Abdi"]
    assert yusuf.json["draft"]["text"] == "" and yusuf.json["group"]["id"] != mine["id"]
    omar = real_db.call(usage, "get_state", student="omar").json["group"]
    assert omar["name"] == f"TEAM NIGÉR ({mine['id']})" and omar["members"] == ["Omar Haddad"]
