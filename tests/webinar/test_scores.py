"""Attendance staff mark reaches the gradebook exactly once per change, even for large sessions and
when edx-submissions fails for a while; the instructor is never kept waiting by a large session."""
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from submissions.models import Score

from blended_xblocks.demo.models import DemoCompletion
from blended_xblocks.platform import gradebook
from blended_xblocks.webinar.models import WebinarRegistration
from tests.harness import crowd, race

STAFF = "instructor"


def everyone(usage, attendance="present"):
    ids = WebinarRegistration.objects.filter(session__usage_key=usage).values_list("learner__anonymous_user_id", flat=True)
    return {"records": [{"user_id": user_id, "attendance": attendance} for user_id in ids]}


def gradebook_points(usage):
    """{anonymous id: [points of every Score row edx-submissions holds]}."""
    found = {}
    for student, points in Score.objects.filter(student_item__item_id=usage).order_by("pk").values_list(
            "student_item__student_id", "points_earned"):
        found.setdefault(student, []).append(points)
    return found


def push_command(*args):
    out = StringIO()
    call_command("blended_push_scores", *args, stdout=out)
    return out.getvalue().strip()


def test_a_large_session_is_queued_and_the_roster_counts_scores_on_their_way(workbench, queue,
                                                                            django_capture_on_commit_callbacks):
    usage = crowd(workbench, 60)
    with django_capture_on_commit_callbacks(execute=True):
        result = workbench.call(usage, "set_attendance", everyone(usage), student=STAFF)
    assert result.json == {"updated": 60, "scores_queued": True, "scores_pending": 60}
    assert queue.queued == [("blended_webinar", usage)] and gradebook_points(usage) == {}
    assert workbench.call(usage, "roster", {}, student=STAFF).json["scores_pending"] == 60
    assert push_command("--dry-run") == "60 score(s) pending"
    assert push_command() == "60 score(s) pushed"
    assert len(gradebook_points(usage)) == 60 and all(p == [1] for p in gradebook_points(usage).values())
    assert DemoCompletion.objects.filter(usage_key=usage, completion=1.0).count() == 60
    assert workbench.call(usage, "roster", {}, student=STAFF).json["scores_pending"] == 0
    assert push_command() == "0 score(s) pushed"


def test_marking_a_large_session_costs_about_the_same_queries_for_60_or_600_learners(workbench, queue):
    counts = []
    for size in (60, 600):
        usage = crowd(workbench, size)
        body = everyone(usage)
        with CaptureQueriesContext(connection) as captured:
            result = workbench.call(usage, "set_attendance", body, student=STAFF)
        assert result.json["scores_pending"] == size
        counts.append(len(captured))
    # Only the bulk update grows, by a batch per few hundred rows on SQLite (its parameter limit);
    # writing each score in the request would cost about 25 queries per learner.
    assert counts[1] <= counts[0] + 5, counts


def test_without_celery_a_large_session_is_pushed_in_the_request_like_the_demo(workbench, monkeypatch):
    monkeypatch.setattr(gradebook, "push_scores_task", None)
    usage = crowd(workbench, 30)
    result = workbench.call(usage, "set_attendance", everyone(usage, "absent"), student=STAFF)
    assert (result.json["scores_queued"], result.json["scores_pending"]) == (False, 0)
    assert len(gradebook_points(usage)) == 30
    assert DemoCompletion.objects.filter(usage_key=usage, completion=0.0).count() == 30


def test_a_failed_push_keeps_the_attendance_and_the_command_recovers(workbench, monkeypatch):
    def broken(*args):
        raise RuntimeError("edx-submissions is down")

    usage = crowd(workbench, 3)
    monkeypatch.setattr(gradebook, "platform_for_keys", broken)
    result = workbench.call(usage, "set_attendance", everyone(usage, "late"), student=STAFF)
    assert result.status == 200 and result.json["scores_pending"] == 3
    learner = WebinarRegistration.objects.filter(session__usage_key=usage).first().learner.anonymous_user_id
    assert workbench.call(usage, "get_state", {}, student=learner).json["attendance"] == "late"
    monkeypatch.undo()
    assert push_command() == "3 score(s) pushed"
    assert len(gradebook_points(usage)) == 3


def test_changing_a_mark_after_the_push_pushes_the_new_score_once(workbench):
    usage = crowd(workbench, 2)
    workbench.call(usage, "set_attendance", everyone(usage, "present"), student=STAFF)
    first = WebinarRegistration.objects.filter(session__usage_key=usage).order_by("pk").first().learner.anonymous_user_id
    workbench.call(usage, "set_attendance", {"records": [{"user_id": first, "attendance": "absent"}]}, student=STAFF)
    workbench.call(usage, "set_attendance", {"records": [{"user_id": first, "attendance": "absent"}]}, student=STAFF)
    assert gradebook_points(usage)[first] == [1, 0]  # the unchanged second mark wrote nothing
    assert DemoCompletion.objects.get(usage_key=usage, anonymous_user_id=first).completion == 0.0
    assert push_command() == "0 score(s) pushed"


@pytest.mark.concurrency
def test_two_workers_pushing_a_session_at_once_write_each_score_once(real_db, queue):
    usage = crowd(real_db, 40)
    real_db.call(usage, "set_attendance", everyone(usage), student=STAFF)
    source = next(source for source in gradebook.sources() if source.block_type == "blended_webinar")
    results = race([lambda: gradebook.push_pending(source, chunk_size=7)] * 3)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sum(results) == 40
    assert all(points == [1] for points in gradebook_points(usage).values()) and len(gradebook_points(usage)) == 40
