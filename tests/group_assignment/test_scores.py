"""Releasing many grades: learners see them at once, the gradebook follows exactly once per change."""
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from blended_xblocks.group_assignment import scores
from blended_xblocks.group_assignment.models import AssignmentGroup, GroupMembership, GroupSubmission, SubmissionMember
from blended_xblocks.platform import gradebook
from blended_xblocks.platform.models import Learner
from tests.harness import GROUP_ASSIGNMENT as OLX
from tests.harness import STAFF, grade_body, race, scores_in_gradebook, submitted

SIZE = 5


def seed_graded(workbench, usage, groups, prefix="m"):
    """`groups` graded submissions of SIZE members each (points 8 of 10), not released yet."""
    block = workbench.block(usage, STAFF)
    course, key = block.course_key_string, block.usage_key_string
    learners = Learner.objects.bulk_create([Learner(course_key=course, anonymous_user_id=f"{prefix}{i}",
                                                    username=f"{prefix}{i}") for i in range(groups * SIZE)])
    made = AssignmentGroup.objects.bulk_create([AssignmentGroup(course_key=course, usage_key=key, source="staff",
                                                                name=f"{prefix} group {g}") for g in range(groups)])
    GroupMembership.objects.bulk_create([GroupMembership(usage_key=key, group=made[i // SIZE], learner=learner)
                                         for i, learner in enumerate(learners)])
    subs = GroupSubmission.objects.bulk_create([
        GroupSubmission(course_key=course, usage_key=key, group=group, status="graded", points=8, levels={},
                        submitted=timezone.now(), graded=timezone.now()) for group in made])
    SubmissionMember.objects.bulk_create([SubmissionMember(usage_key=key, submission=subs[i // SIZE], learner=learner)
                                          for i, learner in enumerate(learners)])
    return [learner.anonymous_user_id for learner in learners]


def push_command(*args):
    out = StringIO()
    call_command("blended_push_scores", *args, stdout=out)
    return out.getvalue().strip()


def test_large_release_is_visible_at_once_and_the_command_pushes_each_score_exactly_once(
        workbench, queue, django_capture_on_commit_callbacks):
    usage = workbench.load(OLX)
    ids = seed_graded(workbench, usage, groups=8)
    key = workbench.block(usage).usage_key_string
    with django_capture_on_commit_callbacks(execute=True):
        released = workbench.call(usage, "release_grades", {}, student=STAFF)
    assert released.status == 200
    assert released.json["released"] == 8 and released.json["scores_queued"] is True
    assert released.json["scores_pending"] == 40
    assert released.json["scores_pending_text"] == "40 released scores are still on their way to the gradebook."
    assert queue.queued == [("blended_group_assignment", key)]
    assert workbench.call(usage, "get_state", student=ids[0]).json["result"]["points"] == 8
    assert scores_in_gradebook(key) == {}

    assert push_command() == "40 score(s) pushed"
    assert push_command() == "0 score(s) pushed"
    gradebook = scores_in_gradebook(key)
    assert set(gradebook) == set(ids) and all(points == [8] for points in gradebook.values())
    listing = workbench.call(usage, "list_submissions", {}, student=STAFF).json
    assert (listing["scores_pending"], listing["scores_pending_text"]) == (0, "")
    from blended_xblocks.demo.models import DemoCompletion
    assert DemoCompletion.objects.filter(usage_key=key).count() == 40


def test_instructor_sees_pending_scores_in_their_language(workbench, queue):
    usage = workbench.load(OLX)
    seed_graded(workbench, usage, groups=6)
    workbench.call(usage, "release_grades", {}, student=STAFF)
    listing = workbench.call(usage, "list_submissions", {}, student=STAFF, language="fr").json
    assert listing["scores_pending"] == 30
    assert listing["scores_pending_text"].startswith("30 ") and "carnet de notes" in listing["scores_pending_text"]


def test_queued_release_takes_the_same_queries_for_10_or_60_groups(workbench, queue):
    counts = []
    for groups, prefix in ((10, "a"), (60, "b")):
        usage = workbench.load(OLX)
        seed_graded(workbench, usage, groups=groups, prefix=prefix)
        with CaptureQueriesContext(connection) as queries:
            result = workbench.call(usage, "release_grades", {}, student=STAFF)
        assert result.json["scores_queued"] is True and result.json["scores_pending"] == groups * SIZE
        counts.append(len(queries))
    assert counts[0] == counts[1] and counts[1] <= 25


def test_small_release_reaches_the_gradebook_in_the_request(workbench, queue):
    usage = workbench.load(OLX)
    ids = seed_graded(workbench, usage, groups=2)
    result = workbench.call(usage, "release_grades", {}, student=STAFF)
    assert result.json["scores_queued"] is False and result.json["scores_pending"] == 0
    assert queue.queued == []
    assert set(scores_in_gradebook(workbench.block(usage).usage_key_string)) == set(ids)


def test_without_celery_a_large_release_is_pushed_inline_like_the_demo(workbench, monkeypatch):
    monkeypatch.setattr(gradebook, "push_scores_task", None)
    usage = workbench.load(OLX)
    seed_graded(workbench, usage, groups=7)
    result = workbench.call(usage, "release_grades", {}, student=STAFF)
    assert (result.json["scores_queued"], result.json["scores_pending"]) == (False, 0)
    assert len(scores_in_gradebook(workbench.block(usage).usage_key_string)) == 35


def test_a_regrade_after_release_is_pushed_again_once(workbench):
    usage = workbench.load(OLX)
    workbench.call(usage, "get_state", student="yusuf")
    row = submitted(workbench, usage)
    workbench.call(usage, "grade", grade_body(row), student=STAFF)
    workbench.call(usage, "release_grades", {}, student=STAFF)
    key = workbench.block(usage).usage_key_string
    assert scores_in_gradebook(key) == {"amina": [7], "yusuf": [7]}
    regraded = workbench.call(usage, "grade", grade_body(row, grade_version=1, levels={"analysis": 4, "plan": 6},
                                                         adjustments=[{"user_id": "yusuf", "points": -2, "reason": "late"}]),
                              student=STAFF)
    assert regraded.status == 200 and regraded.json["scores_pending"] == 0
    assert scores_in_gradebook(key) == {"amina": [7, 10], "yusuf": [7, 8]}
    assert push_command() == "0 score(s) pushed"
    workbench.call(usage, "release_grades", {}, student=STAFF)  # releasing again changes no score
    assert scores_in_gradebook(key) == {"amina": [7, 10], "yusuf": [7, 8]}


def test_a_regrade_sends_only_the_scores_it_changed(workbench):
    usage = workbench.load(OLX)
    for student in ("yusuf", "fatou"):
        workbench.call(usage, "get_state", student=student)
    row = submitted(workbench, usage)
    workbench.call(usage, "grade", grade_body(row), student=STAFF)
    workbench.call(usage, "release_grades", {}, student=STAFF)
    key = workbench.block(usage).usage_key_string
    assert scores_in_gradebook(key) == {"amina": [7], "yusuf": [7], "fatou": [7]}
    late = {"user_id": "yusuf", "points": -2, "reason": "late"}
    one = workbench.call(usage, "grade", grade_body(row, grade_version=1, adjustments=[late]), student=STAFF)
    assert one.status == 200 and one.json["scores_pending"] == 0
    assert scores_in_gradebook(key) == {"amina": [7], "yusuf": [7, 5], "fatou": [7]}
    same = workbench.call(usage, "grade", grade_body(row, grade_version=2, adjustments=[late]), student=STAFF)
    assert same.status == 200 and same.json["grade_version"] == 3
    assert scores_in_gradebook(key) == {"amina": [7], "yusuf": [7, 5], "fatou": [7]}
    # A new reason, or a zero adjustment written out, gives the same scores: nothing to send.
    clamped = workbench.call(usage, "grade", grade_body(row, grade_version=3, adjustments=[
        {**late, "reason": "handed in late"}, {"user_id": "fatou", "points": 0, "reason": ""}]), student=STAFF)
    assert clamped.status == 200
    assert scores_in_gradebook(key) == {"amina": [7], "yusuf": [7, 5], "fatou": [7]}
    assert SubmissionMember.objects.filter(submission_id=row["submission_id"], learner__username="amina").get().score_version == 1


def test_a_failed_push_leaves_the_release_standing_and_the_command_recovers(workbench, monkeypatch):
    def broken(*args):
        raise RuntimeError("edx-submissions is down")

    usage = workbench.load(OLX)
    ids = seed_graded(workbench, usage, groups=1)
    monkeypatch.setattr(gradebook, "platform_for_keys", broken)
    result = workbench.call(usage, "release_grades", {}, student=STAFF)
    assert result.status == 200 and result.json["scores_pending"] == SIZE
    assert workbench.call(usage, "get_state", student=ids[0]).json["result"]["points"] == 8
    monkeypatch.undo()
    assert push_command("--dry-run") == "5 score(s) pending"
    assert push_command() == "5 score(s) pushed"
    assert len(scores_in_gradebook(workbench.block(usage).usage_key_string)) == SIZE


def test_command_for_one_course_leaves_other_courses_pending(workbench, queue):
    usage = workbench.load(OLX)
    seed_graded(workbench, usage, groups=6)
    workbench.call(usage, "release_grades", {}, student=STAFF)
    assert push_command("--course", "course-v1:Other+X+1") == "0 score(s) pushed"
    assert push_command("--course", workbench.block(usage).course_key_string) == "30 score(s) pushed"


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_two_workers_pushing_at_once_write_each_score_once(real_db, queue):
    usage = real_db.load(OLX)
    ids = seed_graded(real_db, usage, groups=12)
    real_db.call(usage, "release_grades", {}, student=STAFF)
    results = race([lambda: scores.push_pending(chunk_size=7), lambda: scores.push_pending(chunk_size=7),
                    lambda: scores.push_pending(chunk_size=7)])
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sum(results) == 60
    gradebook = scores_in_gradebook(real_db.block(usage).usage_key_string)
    assert set(gradebook) == set(ids) and all(points == [8] for points in gradebook.values())


def test_with_celery_a_large_release_runs_as_a_named_task_after_commit(monkeypatch, workbench,
                                                                      django_capture_on_commit_callbacks):
    import importlib
    import sys
    import types

    registered = {}

    def shared_task(name, **options):
        def register(function):
            registered[name] = function
            return types.SimpleNamespace(delay=function, name=name)
        return register

    monkeypatch.setitem(sys.modules, "celery", types.SimpleNamespace(shared_task=shared_task))
    try:
        module = importlib.reload(gradebook)
        assert module.push_scores_task.name == "blended_xblocks.push_scores"
        assert "blended_xblocks.push_scores" in registered
        usage = workbench.load(OLX)
        seed_graded(workbench, usage, groups=6)
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            result = workbench.call(usage, "release_grades", {}, student=STAFF)
        pushes = [callback for callback in callbacks if callback.__qualname__.startswith("dispatch.")]
        assert result.json["scores_queued"] is True and len(pushes) == 1  # the other: the outcome notice
        assert len(scores_in_gradebook(workbench.block(usage).usage_key_string)) == 30
    finally:
        monkeypatch.delitem(sys.modules, "celery")
        importlib.reload(gradebook)
    assert gradebook.push_scores_task is None
