"""Racing requests on a real database: "useful" counts once per learner, counters stay exact."""
import time

import pytest

from blended_xblocks.experience_sharing.models import SharedFlag, SharedPost, SharedReaction, SharedReply
from tests.harness import race

OLX = '<blended_experience_sharing display_name="ES" min_posts="1" min_replies="1"/>'


def setup_post(real_db):
    usage = real_db.load(OLX)
    post = real_db.call(usage, "create_post", {"title": "Race", "body": "b"}, student="amina").json["post"]
    return usage, post["id"]


@pytest.mark.concurrency
def test_same_learner_marks_useful_once_under_concurrent_requests(real_db):
    usage, post_id = setup_post(real_db)
    results = race([lambda: real_db.call(usage, "react", {"post_id": post_id}, student="yusuf")] * 8)
    assert all(getattr(r, "status", None) == 200 for r in results), results
    assert SharedReaction.objects.filter(post_id=post_id).count() == 1
    assert SharedPost.objects.get(pk=post_id).useful_count == 1


@pytest.mark.concurrency
def test_many_learners_marking_at_once_are_all_counted(real_db):
    usage, post_id = setup_post(real_db)
    students = [f"learner{n}" for n in range(10)]
    for student in students:  # learner rows exist, as they would after opening the page
        real_db.call(usage, "get_state", {}, student=student)
    results = race([lambda s=s: real_db.call(usage, "react", {"post_id": post_id}, student=s) for s in students])
    assert all(getattr(r, "status", None) == 200 for r in results), results
    assert SharedPost.objects.get(pk=post_id).useful_count == 10 == SharedReaction.objects.filter(post_id=post_id).count()


@pytest.mark.concurrency
def test_concurrent_replies_and_reports_keep_counters_exact(real_db):
    usage, post_id = setup_post(real_db)
    students = [f"learner{n}" for n in range(6)]
    for student in students:
        real_db.call(usage, "get_state", {}, student=student)
    work = [lambda s=s: real_db.call(usage, "reply", {"post_id": post_id, "body": "me too"}, student=s) for s in students]
    work += [lambda s=s: real_db.call(usage, "flag", {"post_id": post_id, "reason": "r"}, student=s) for s in students[:3]] * 2
    results = race(work)
    assert all(getattr(r, "status", None) == 200 for r in results), results
    post = SharedPost.objects.get(pk=post_id)
    assert post.reply_count == 6 == SharedReply.objects.filter(post_id=post_id).count()
    assert post.open_flags == 3 == SharedFlag.objects.filter(post_id=post_id).count()


@pytest.mark.concurrency
def test_concurrent_edits_of_one_version_let_one_win(real_db):
    usage, post_id = setup_post(real_db)
    edits = [lambda n=n: real_db.call(usage, "edit_post", {"post_id": post_id, "title": f"Edit {n}", "body": "b",
                                                          "version": 1}, student="amina") for n in range(5)]
    statuses = sorted(r.status for r in race(edits))
    assert statuses == [200, 409, 409, 409, 409]
    assert SharedPost.objects.get(pk=post_id).version == 2


@pytest.mark.concurrency
def test_parallel_posts_of_one_learner_stop_at_the_limit(real_db, monkeypatch):
    from blended_xblocks.experience_sharing.posts import MAX_POSTS_PER_LEARNER

    usage = real_db.load(OLX)
    for number in range(MAX_POSTS_PER_LEARNER - 2):
        assert real_db.call(usage, "create_post", {"title": f"Case {number}", "body": "b"}, student="amina").status == 200
    create = SharedPost.objects.create

    def slow_create(**fields):  # widen the gap between counting and inserting, as a busy server would
        time.sleep(0.2)
        return create(**fields)
    monkeypatch.setattr(SharedPost.objects, "create", slow_create)
    results = race([lambda n=n: real_db.call(usage, "create_post", {"title": f"Parallel {n}", "body": "b"},
                                             student="amina") for n in range(8)])
    statuses = sorted(getattr(r, "status", r) for r in results)
    assert statuses == [200, 200] + [409] * 6, results
    assert {r.error_code for r in results if r.status == 409} == {"too_many_posts"}
    assert SharedPost.objects.filter(usage_key=real_db.block(usage).usage_key_string).count() == MAX_POSTS_PER_LEARNER
