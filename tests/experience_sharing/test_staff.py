"""Staff: moderation (pre/post), reports, participation, CSV export, bounded queries."""
import csv
import io

import pytest

from blended_xblocks.experience_sharing.models import SharedPost, SharedReply
from blended_xblocks.platform.models import Learner

OLX = """<blended_experience_sharing display_name="Experience sharing" min_posts="1" min_replies="1"
    moderation="{moderation}" tags="economic community"/>"""


@pytest.fixture
def board(workbench):
    return workbench.load(OLX.format(moderation="post"))


def post(workbench, usage, student="amina", **fields):
    result = workbench.call(usage, "create_post", {"title": "Case", "body": "Text"} | fields, student=student)
    assert result.status == 200, result.body
    return result.json["post"]


def titles(workbench, usage, student="yusuf"):
    return [item["title"] for item in workbench.call(usage, "get_state", {}, student=student).json["posts"]]


def moderate(workbench, usage, post_id, action, student="instructor"):
    return workbench.call(usage, "moderate", {"post_id": post_id, "action": action}, student=student)


def test_pre_moderation_holds_posts_until_approved(workbench):
    usage = workbench.load(OLX.format(moderation="pre"))
    held = post(workbench, usage, title="Held")
    assert held["status"] == "pending"
    assert titles(workbench, usage, "yusuf") == []
    assert titles(workbench, usage, "amina") == ["Held"]  # the author sees it, marked pending
    reply = workbench.call(usage, "reply", {"post_id": held["id"], "body": "x"}, student="yusuf")
    assert reply.status == 404
    staff = workbench.call(usage, "get_state", {"status": "pending"}, student="instructor").json
    assert staff["pending"] == 1 and [p["title"] for p in staff["posts"]] == ["Held"]
    assert moderate(workbench, usage, held["id"], "approve").json["pending"] == 0
    assert titles(workbench, usage, "yusuf") == ["Held"]


def test_pre_moderation_reviews_edited_posts_again(workbench):
    usage = workbench.load(OLX.format(moderation="pre"))
    held = post(workbench, usage, title="Held")
    moderate(workbench, usage, held["id"], "approve")
    edit = workbench.call(usage, "edit_post", {"post_id": held["id"], "title": "Changed", "body": "New text"})
    assert edit.json["post"]["status"] == "pending"
    assert titles(workbench, usage, "yusuf") == []


def test_hide_removes_post_for_learners_at_once_and_unhide_restores(workbench, board):
    target = post(workbench, board, title="Off-topic")
    assert moderate(workbench, board, target["id"], "hide").json["post"]["status"] == "hidden"
    assert titles(workbench, board, "yusuf") == [] and titles(workbench, board, "amina") == []
    assert workbench.call(board, "react", {"post_id": target["id"]}, student="yusuf").status == 404
    assert titles(workbench, board, "instructor") == ["Off-topic"]
    moderate(workbench, board, target["id"], "unhide")
    assert titles(workbench, board, "yusuf") == ["Off-topic"]


def test_pinned_posts_come_first(workbench, board):
    old = post(workbench, board, title="Old but important")
    post(workbench, board, student="fatou", title="Newer")
    moderate(workbench, board, old["id"], "pin")
    assert titles(workbench, board) == ["Old but important", "Newer"]
    assert titles(workbench, board)[0] == workbench.call(board, "get_state", {"sort": "useful"}, student="yusuf").json["posts"][0]["title"]
    moderate(workbench, board, old["id"], "unpin")
    assert titles(workbench, board) == ["Newer", "Old but important"]


def test_hidden_reply_no_longer_counts(workbench, board):
    target = post(workbench, board)
    reply = workbench.call(board, "reply", {"post_id": target["id"], "body": "rude"}, student="yusuf").json["reply"]
    hidden = workbench.call(board, "moderate", {"reply_id": reply["id"], "action": "hide"}, student="instructor")
    assert hidden.status == 200
    seen = workbench.call(board, "get_state", {}, student="fatou").json["posts"][0]
    assert seen["reply_count"] == 0 and seen["replies"] == []
    bad = workbench.call(board, "moderate", {"reply_id": reply["id"], "action": "pin"}, student="instructor")
    assert bad.status == 400


def test_reports_are_listed_for_staff_and_closed_by_a_decision(workbench, board):
    target = post(workbench, board, title="Reported")
    for student in ("yusuf", "fatou", "yusuf"):
        assert workbench.call(board, "flag", {"post_id": target["id"], "reason": "Names a returnee"},
                              student=student).status == 200
    flagged = workbench.call(board, "flagged", {}, student="instructor").json
    assert flagged["total"] == 1 and flagged["posts"][0]["open_flags"] == 2
    assert [r["by"] for r in flagged["posts"][0]["reports"]] == ["Yusuf Abdi", "Fatou Ndiaye"]
    assert workbench.call(board, "get_state", {}, student="yusuf").json["posts"][0]["flagged_by_me"] is True
    moderate(workbench, board, target["id"], "approve")
    assert workbench.call(board, "flagged", {}, student="instructor").json["total"] == 0
    assert titles(workbench, board) == ["Reported"]


@pytest.mark.parametrize("handler,data", [
    ("moderate", {"post_id": 1, "action": "hide"}), ("flagged", {}), ("participation", {}),
])
def test_learners_cannot_call_staff_handlers(workbench, board, handler, data):
    target = post(workbench, board)
    data = data | ({"post_id": target["id"]} if "post_id" in data else {})
    result = workbench.call(board, handler, data, student="yusuf")
    assert result.status == 403 and result.error_code == "staff_only"
    assert SharedPost.objects.get(pk=target["id"]).status == "published"


def test_learners_cannot_export(workbench, board):
    result = workbench.call(board, "export_csv", method="GET", student="yusuf")
    assert result.status == 403 and result.error_code == "staff_only"


def test_csv_export_has_posts_replies_and_safe_cells(workbench, board):
    target = post(workbench, board, title="=HYPERLINK(\"http://evil\")", body="Line 1\nLine 2", anonymous=True)
    workbench.call(board, "reply", {"post_id": target["id"], "body": "+1 agreed"}, student="yusuf")
    result = workbench.call(board, "export_csv", method="GET", student="instructor")
    assert result.status == 200 and result.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(result.body.decode("utf-8-sig"))))
    assert [row["type"] for row in rows] == ["post", "reply"]
    assert rows[0]["author_username"] == "amina" and rows[0]["anonymous"] == "True"
    assert rows[0]["title"].startswith("'=") and rows[0]["body"] == "Line 1\nLine 2"
    assert rows[1]["body"] == "'+1 agreed" and rows[1]["author_name"] == "Yusuf Abdi"


FORMULAS = ["=1+2", "+1+2", "-1+2", "@SUM(A1)", "\t=1+2", "\r=1+2", " =1+2", "\n=1+2"]


@pytest.mark.parametrize("formula", FORMULAS, ids=repr)
def test_csv_export_neutralises_every_cell_a_spreadsheet_would_run(workbench, board, formula):
    """Every text column of posts and replies: a cell starting with = + - @, a tab or a carriage
    return (or = after spaces or a line break) comes out behind a quote, as text. Learners' text is
    stripped when written, so the rows are changed in the table, as an old or imported row could be."""
    target = post(workbench, board, tags=["economic"])
    workbench.call(board, "reply", {"post_id": target["id"], "body": "x"}, student="yusuf")
    SharedPost.objects.update(title=formula, body=formula, tags=f" {formula} ")
    SharedReply.objects.update(body=formula)
    Learner.objects.update(username=formula, full_name=formula)
    result = workbench.call(board, "export_csv", method="GET", student="instructor")
    post_row, reply_row = csv.DictReader(io.StringIO(result.body.decode("utf-8-sig"), newline=""))
    quoted = "'" + formula
    assert [post_row[name] for name in ("author_username", "author_name", "title", "body")] == [quoted] * 4
    assert post_row["tags"] == "'" + formula.strip()
    assert [reply_row[name] for name in ("author_username", "author_name", "body")] == [quoted] * 3


def test_participation_per_learner(workbench, board):
    target = post(workbench, board)
    workbench.call(board, "reply", {"post_id": target["id"], "body": "x"}, student="yusuf")
    workbench.call(board, "get_state", {}, student="fatou")
    workbench.call(board, "get_state", {}, student="instructor")
    page = workbench.call(board, "participation", {"page_size": 2}, student="instructor").json
    assert page["total"] == 4  # every learner of the course the blocks know, even without a post
    rows = {row["username"]: row for row in page["learners"]}
    assert rows["amina"]["posts"] == 1 and rows["amina"]["replies"] == 0 and rows["amina"]["completed"] is None
    second = workbench.call(board, "participation", {"page": 2, "page_size": 2}, student="instructor").json
    assert {row["username"] for row in second["learners"]} == {"instructor", "yusuf"}
    assert second["learners"][1]["replies"] == 1


def _bulk(usage, course_key, posts, replies_per_post, prefix):
    from blended_xblocks.platform.models import Learner

    authors = [Learner.objects.create(course_key=course_key, anonymous_user_id=f"{prefix}{n}", username=f"{prefix}{n}")
               for n in range(5)]
    created = SharedPost.objects.bulk_create(
        [SharedPost(course_key=course_key, usage_key=usage, author=authors[n % 5], title=f"P{n}", body="b",
                    tags=" economic ", reply_count=replies_per_post) for n in range(posts)])
    SharedReply.objects.bulk_create([SharedReply(post=p, usage_key=usage, author=authors[n % 5], body="r")
                                     for p in created for n in range(replies_per_post)])


@pytest.mark.parametrize("student", ["yusuf", "instructor"])
def test_page_of_posts_takes_the_same_queries_whatever_the_volume(workbench, board, student,
                                                                  django_assert_max_num_queries):
    block = workbench.block(board)
    workbench.call(board, "get_state", {}, student=student)  # learner row and participation exist
    _bulk(block.usage_key_string, block.course_key_string, 25, 2, "a")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        workbench.call(board, "get_state", {"sort": "useful", "tag": "economic"}, student=student)
    _bulk(block.usage_key_string, block.course_key_string, 300, 6, "b")
    with django_assert_max_num_queries(len(small)):
        result = workbench.call(board, "get_state", {"sort": "useful", "tag": "economic"}, student=student)
    assert result.json["total"] == 325 and len(result.json["posts"]) == 20
    assert all(len(p["replies"]) == p["reply_count"] for p in result.json["posts"])


def test_participation_page_queries_are_bounded(workbench, board, django_assert_max_num_queries):
    from blended_xblocks.platform.models import Learner

    block = workbench.block(board)
    Learner.objects.bulk_create([Learner(course_key=block.course_key_string, anonymous_user_id=f"l{n}", username=f"l{n:04d}")
                                 for n in range(400)])
    with django_assert_max_num_queries(8):
        result = workbench.call(board, "participation", {"page": 3, "page_size": 100}, student="instructor")
    assert result.json["total"] == 400 and len(result.json["learners"]) == 100


def completion_of(workbench, usage, student):
    from blended_xblocks.demo.models import DemoCompletion

    row = DemoCompletion.objects.filter(usage_key=workbench.block(usage).usage_key_string, anonymous_user_id=student).first()
    return row and row.completion


def test_hiding_the_post_that_completed_the_activity_withdraws_completion_until_it_is_restored(workbench, board):
    other = post(workbench, board, student="yusuf", title="Yusuf's case")
    mine = post(workbench, board, title="Amina's case")
    progress = workbench.call(board, "reply", {"post_id": other["id"], "body": "Same here"}, student="amina").json["progress"]
    assert progress["completed"] is True and completion_of(workbench, board, "amina") == 1.0

    assert moderate(workbench, board, mine["id"], "hide").status == 200
    progress = workbench.call(board, "get_state", {}, student="amina").json["progress"]
    assert progress["completed"] is False and progress["text"].startswith("0 of 1 post")
    assert completion_of(workbench, board, "amina") == 0.0

    assert moderate(workbench, board, mine["id"], "unhide").status == 200
    assert workbench.call(board, "get_state", {}, student="amina").json["progress"]["completed"] is True
    assert completion_of(workbench, board, "amina") == 1.0


def test_hiding_a_reply_or_deleting_ones_own_post_withdraws_completion(workbench, board):
    other = post(workbench, board, student="yusuf", title="Yusuf's case")
    mine = post(workbench, board)
    reply = workbench.call(board, "reply", {"post_id": other["id"], "body": "Same here"}, student="amina").json["reply"]
    hidden = workbench.call(board, "moderate", {"reply_id": reply["id"], "action": "hide"}, student="instructor")
    assert hidden.status == 200 and completion_of(workbench, board, "amina") == 0.0
    workbench.call(board, "moderate", {"reply_id": reply["id"], "action": "unhide"}, student="instructor")
    assert completion_of(workbench, board, "amina") == 1.0
    deleted = workbench.call(board, "delete_post", {"post_id": mine["id"]}, student="amina").json
    assert deleted["progress"]["completed"] is False and completion_of(workbench, board, "amina") == 0.0


def test_hiding_and_restoring_a_post_awaiting_approval_does_not_publish_it(workbench):
    usage = workbench.load(OLX.format(moderation="pre"))
    held = post(workbench, usage, title="Held")
    assert moderate(workbench, usage, held["id"], "hide").json["post"]["status"] == "hidden"
    restored = moderate(workbench, usage, held["id"], "unhide").json
    assert restored["post"]["status"] == "pending" and restored["pending"] == 1
    assert titles(workbench, usage, "yusuf") == []
    approved = post(workbench, usage, student="fatou", title="Approved")
    moderate(workbench, usage, approved["id"], "approve")
    moderate(workbench, usage, approved["id"], "hide")
    assert moderate(workbench, usage, approved["id"], "unhide").json["post"]["status"] == "published"
    assert titles(workbench, usage, "yusuf") == ["Approved"]


def test_under_pre_moderation_only_approved_posts_complete_the_activity(workbench):
    usage = workbench.load(OLX.format(moderation="pre"))
    other = post(workbench, usage, student="yusuf", title="Yusuf's case")
    moderate(workbench, usage, other["id"], "approve")
    workbench.call(usage, "reply", {"post_id": other["id"], "body": "Same here"}, student="amina")
    held = workbench.call(usage, "create_post", {"title": "Mine", "body": "Text"}, student="amina").json
    assert held["post"]["status"] == "pending"
    assert held["progress"]["text"] == "0 of 1 post, 1 of 1 reply" and held["progress"]["completed"] is False
    assert completion_of(workbench, usage, "amina") is None
    moderate(workbench, usage, held["post"]["id"], "approve")
    assert completion_of(workbench, usage, "amina") == 1.0
    progress = workbench.call(usage, "get_state", {}, student="amina").json["progress"]
    assert progress["text"] == "1 of 1 post, 1 of 1 reply" and progress["completed"] is True
