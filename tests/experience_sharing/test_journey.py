"""The learner journey: post, read, reply, mark useful, edit/delete, anonymity, completion."""
import json

import pytest
from lxml import etree

from blended_xblocks.demo.models import DemoCompletion
from tests.harness import EXPERIENCE_SHARING as OLX
from tests.harness import create_post as post
from tests.harness import sharing_state as state


@pytest.fixture
def board(workbench):
    return workbench.load(OLX.format(moderation="post"))


def test_olx_round_trip(workbench, board):
    block = workbench.block(board)
    node = etree.Element("x")
    block.add_xml_to_node(node)
    xml = etree.tostring(node, encoding="unicode")
    assert node.tag == "blended_experience_sharing"
    assert node.get("session") == "webinar-7" and node.get("tags") == "economic psychosocial community"
    assert node.find("prompt/p").text.startswith("Describe a case")
    again = workbench.block(workbench.load(xml))
    for name in ("display_name", "session", "min_posts", "min_replies", "anonymous_allowed", "moderation",
                 "tags", "prompt"):
        assert getattr(again, name) == getattr(block, name), name
    assert block.min_replies == 2 and block.anonymous_allowed is True


def test_posts_are_shared_and_replied_to(workbench, board):
    created = post(workbench, board)
    seen = state(workbench, board, "yusuf")
    assert seen["total"] == 1
    assert seen["posts"][0]["title"] == "A returnee's bakery"
    assert seen["posts"][0]["author"] == "Amina Diallo"
    assert seen["posts"][0]["body"][1] == ["br"]
    reply = workbench.call(board, "reply", {"post_id": created["id"], "body": "We did the same in Kassala."},
                           student="yusuf")
    assert reply.status == 200 and reply.json["reply"]["author"] == "Yusuf Abdi"
    mine = state(workbench, board, "amina")["posts"][0]
    assert mine["reply_count"] == 1 and mine["replies"][0]["body"] == [["t", "We did the same in Kassala."]]
    assert mine["mine"] is True and mine["text"].startswith("Context")


def test_useful_counts_once_per_learner_and_can_be_removed(workbench, board):
    created = post(workbench, board)
    for _ in range(3):
        result = workbench.call(board, "react", {"post_id": created["id"]}, student="yusuf")
        assert result.json["useful_count"] == 1
    assert workbench.call(board, "react", {"post_id": created["id"]}, student="fatou").json["useful_count"] == 2
    assert workbench.call(board, "react", {"post_id": created["id"], "useful": False},
                          student="yusuf").json["useful_count"] == 1
    own = workbench.call(board, "react", {"post_id": created["id"]}, student="amina")
    assert own.status == 409 and own.error_code == "own_post"


def test_sort_by_useful_and_filter_by_tag(workbench, board):
    first = post(workbench, board, title="Economic case", tags=["economic"])
    post(workbench, board, student="fatou", title="Psychosocial case", tags=["psychosocial"])
    workbench.call(board, "react", {"post_id": first["id"]}, student="yusuf")
    assert [p["title"] for p in state(workbench, board)["posts"]] == ["Psychosocial case", "Economic case"]
    assert [p["title"] for p in state(workbench, board, sort="useful")["posts"]] == ["Economic case", "Psychosocial case"]
    assert [p["title"] for p in state(workbench, board, tag="psychosocial")["posts"]] == ["Psychosocial case"]
    assert workbench.call(board, "get_state", {"tag": "sports"}, student="yusuf").error_code == "unknown_tag"


def test_pagination(workbench, board):
    for number in range(23):
        post(workbench, board, student=f"learner{number}", title=f"Case {number:02d}")
    first = state(workbench, board, page_size=20)
    second = state(workbench, board, page=2, page_size=20)
    assert first["total"] == 23 and len(first["posts"]) == 20 and len(second["posts"]) == 3
    assert second["posts"][-1]["title"] == "Case 00"


def test_anonymous_author_never_reaches_peers(workbench, board):
    created = post(workbench, board, anonymous=True, title="Anonymous account")
    workbench.call(board, "reply", {"post_id": created["id"], "body": "Thanks"}, student="yusuf")
    for student in ("yusuf", "fatou"):
        raw = workbench.call(board, "get_state", {}, student=student).body.decode()
        html = workbench.render(board, student)
        replies = workbench.call(board, "replies", {"post_id": created["id"]}, student=student).body.decode()
        for text in (raw, html, replies):
            assert "amina" not in text.lower() and "Diallo" not in text
        assert json.loads(raw)["posts"][0]["author"] is None
    staff = state(workbench, board, "instructor")["posts"][0]
    assert staff["author"] == "Amina Diallo" and staff["author_id"] == "amina"


def test_only_the_author_edits_or_deletes(workbench, board):
    created = post(workbench, board)
    edit = {"post_id": created["id"], "title": "Hijacked", "body": "x", "tags": []}
    assert workbench.call(board, "edit_post", edit, student="yusuf").status == 403
    assert workbench.call(board, "edit_post", edit, student="yusuf").error_code == "not_author"
    assert workbench.call(board, "delete_post", {"post_id": created["id"]}, student="yusuf").status == 403
    assert workbench.call(board, "delete_post", {"post_id": created["id"]}, student="instructor").status == 403
    assert state(workbench, board)["posts"][0]["title"] == "A returnee's bakery"


def test_author_edits_with_version_and_stale_edit_conflicts(workbench, board):
    created = post(workbench, board)
    change = {"post_id": created["id"], "title": "Bakery, updated", "body": "More detail", "tags": ["community"],
              "version": created["version"]}
    done = workbench.call(board, "edit_post", change)
    assert done.status == 200 and done.json["post"]["version"] == created["version"] + 1
    stale = workbench.call(board, "edit_post", change | {"title": "Lost update"})
    assert stale.status == 409 and stale.error_code == "edit_conflict"
    seen = state(workbench, board)["posts"][0]
    assert seen["title"] == "Bakery, updated" and seen["tags"] == ["community"] and seen["edited"]


def test_author_deletes_and_post_disappears(workbench, board):
    created = post(workbench, board)
    assert workbench.call(board, "delete_post", {"post_id": created["id"]}).status == 200
    assert state(workbench, board)["total"] == 0
    again = workbench.call(board, "delete_post", {"post_id": created["id"]})
    assert again.status == 404 and again.error_code == "post_not_found"


def test_completion_follows_thresholds_and_progress_text(workbench, board):
    other = post(workbench, board, student="yusuf", title="Yusuf's case")
    progress = state(workbench, board, "amina")["progress"]
    assert progress["text"] == "0 of 1 post, 0 of 2 replies" and not progress["completed"]
    progress = workbench.call(board, "create_post", {"title": "Mine", "body": "b"}).json["progress"]
    assert progress["text"] == "1 of 1 post, 0 of 2 replies"
    workbench.call(board, "reply", {"post_id": other["id"], "body": "one"})
    assert not DemoCompletion.objects.filter(anonymous_user_id="amina").exists()
    progress = workbench.call(board, "reply", {"post_id": other["id"], "body": "two"}).json["progress"]
    assert progress["text"] == "1 of 1 post, 2 of 2 replies" and progress["completed"] is True
    assert DemoCompletion.objects.get(anonymous_user_id="amina").completion == 1.0
    assert not DemoCompletion.objects.filter(anonymous_user_id="yusuf").exists()


def test_progress_is_translated_with_plurals(workbench, board):
    result = workbench.call(board, "get_state", {}, language="fr")
    assert result.json["progress"]["text"] == "0 sur 1 contribution, 0 sur 2 réponses"
    assert 'dir="rtl"' in workbench.render(board, language="ar")


ATTENDANCE_OLX = OLX.format(moderation="post").replace('min_replies="2"', 'min_replies="0" require_attendance="true"')


def test_attendance_can_be_required(workbench):
    from blended_xblocks.platform.models import Learner
    from blended_xblocks.webinar.models import WebinarRegistration, WebinarSession

    usage = workbench.load(ATTENDANCE_OLX)
    block = workbench.block(usage)
    session = WebinarSession.objects.create(course_key=block.course_key_string, usage_key="block-v1:webinar-7",
                                            url_name="webinar-7", title="Webinar 7")
    progress = workbench.call(usage, "create_post", {"title": "Mine", "body": "b"}).json["progress"]
    assert progress["completed"] is False and progress["attended"] is False
    assert "attendance not yet recorded" in progress["text"]
    WebinarRegistration.objects.create(session=session, status="registered", attendance="present",
                                       learner=Learner.objects.get(anonymous_user_id="amina"))
    seen = state(workbench, usage, "amina")
    assert seen["progress"]["completed"] is True and "attended" in seen["progress"]["text"]
    assert seen["session"]["title"] == "Webinar 7"


def test_a_linked_session_that_does_not_exist_does_not_block_completion(workbench):
    usage = workbench.load(ATTENDANCE_OLX)  # "webinar-7" names no session of this course
    progress = workbench.call(usage, "create_post", {"title": "Mine", "body": "b"}).json["progress"]
    assert progress["completed"] is True and progress["attended"] is None
    assert progress["text"] == "1 of 1 post"
    assert DemoCompletion.objects.get(anonymous_user_id="amina").completion == 1.0
    warning = "No live session named “webinar-7” was found in this course"
    assert warning not in workbench.render(usage, "amina") and state(workbench, usage, "amina").get("warning") is None
    assert warning in workbench.render(usage, "instructor")
    assert warning in state(workbench, usage, "instructor")["warning"]


def test_studio_refuses_required_attendance_without_a_linked_session(workbench, board):
    change = {"values": {"require_attendance": True, "session": " "}, "defaults": []}
    result = workbench.call(board, "submit_studio_edits", change, student="instructor", language="fr")
    assert result.status == 400 and "présence" in result.json["error"]["message"]
    assert workbench.block(board).require_attendance is False
    change["values"]["session"] = "webinar-7"
    assert workbench.call(board, "submit_studio_edits", change, student="instructor").status == 200
    assert workbench.block(board).require_attendance is True


def test_replies_to_ones_own_posts_do_not_count(workbench, board):
    mine = post(workbench, board)
    other = post(workbench, board, student="yusuf", title="Yusuf's case")
    workbench.call(board, "reply", {"post_id": mine["id"], "body": "Thanks, Yusuf."})
    progress = workbench.call(board, "reply", {"post_id": mine["id"], "body": "And one more thing."}).json["progress"]
    assert progress["text"] == "1 of 1 post, 0 of 2 replies" and progress["completed"] is False
    progress = workbench.call(board, "reply", {"post_id": other["id"], "body": "Same here."}).json["progress"]
    assert progress["text"] == "1 of 1 post, 1 of 2 replies"
    assert not DemoCompletion.objects.filter(anonymous_user_id="amina").exists()


def test_all_replies_of_a_post_can_be_read_page_by_page(workbench, board):
    target = post(workbench, board)
    for number in range(70):
        workbench.call(board, "reply", {"post_id": target["id"], "body": f"Reply {number:02d}"},
                       student=f"learner{number % 7}")
    assert len(state(workbench, board)["posts"][0]["replies"]) == 20
    bodies, page = [], 1
    while True:
        result = workbench.call(board, "replies", {"post_id": target["id"], "page": page, "page_size": 50},
                                student="yusuf").json
        assert result["page"] == page and result["page_size"] == 50 and result["total"] == 70
        bodies += [reply["body"][0][1] for reply in result["replies"]]
        if page * result["page_size"] >= result["total"]:
            break
        page += 1
    assert bodies == [f"Reply {number:02d}" for number in range(70)]


def test_a_retired_learner_s_words_are_removed(workbench, board):
    from blended_xblocks.experience_sharing.models import SharedReply
    from blended_xblocks.platform.models import Learner
    from blended_xblocks.platform.retirement import retire_learner

    theirs = post(workbench, board, student="yusuf", title="Yusuf's case")
    mine = post(workbench, board, title="Amina's case")
    workbench.call(board, "reply", {"post_id": theirs["id"], "body": "Amina's reply"})
    workbench.call(board, "reply", {"post_id": mine["id"], "body": "Yusuf's reply"}, student="yusuf")
    Learner.objects.filter(anonymous_user_id="amina").update(user_id=42)

    class User:
        id = 42
    retire_learner(user=User())
    seen = state(workbench, board, "yusuf")
    assert [p["title"] for p in seen["posts"]] == ["Yusuf's case"]
    assert seen["posts"][0]["reply_count"] == 0 and seen["posts"][0]["replies"] == []
    assert not SharedReply.objects.filter(body__contains="Amina").exists()


def test_studio_editor_lists_the_fields_and_refuses_bad_values(workbench, board):
    html = workbench.render(board, "instructor", view="studio_view")
    for label in ("Linked live session", "Posts required", "Replies required", "Require attendance", "Moderation"):
        assert label in html
    change = {"values": {"moderation": "never", "min_posts": 2}, "defaults": []}
    result = workbench.call(board, "submit_studio_edits", change, student="instructor")
    assert result.status == 400
    assert workbench.block(board).moderation == "post"
    ok = workbench.call(board, "submit_studio_edits", {"values": {"min_posts": 2}, "defaults": []}, student="instructor")
    assert ok.status == 200 and workbench.block(board).min_posts == 2


def test_the_pages_script_strings_are_translated(workbench, board):
    # The page's weight: tests/test_page_budgets.py.
    html = workbench.render(board, "amina", language="ar")
    assert "\\u0645\\u062c\\u0647\\u0648\\u0644 \\u0627\\u0644\\u0627\\u0633\\u0645" in html or "مجهول الاسم" in html


def test_times_follow_the_learners_lms_time_zone_preference(workbench, board, monkeypatch):
    import dataclasses

    from blended_xblocks.demo.platform import WorkbenchPlatform

    original = WorkbenchPlatform.current_user
    zones = {"amina": "America/New_York", "yusuf": "Mars/Olympus_Mons"}
    monkeypatch.setattr(WorkbenchPlatform, "current_user",
                        lambda self: dataclasses.replace(original(self), time_zone=zones.get(original(self).anonymous_id, "")))
    assert '"userTimezone": "America/New_York"' in workbench.render(board, "amina")
    assert '"userTimezone": ""' in workbench.render(board, "yusuf")  # unknown zone: the browser's is used
