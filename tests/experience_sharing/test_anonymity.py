"""An anonymous post stays anonymous: its author's own replies do not unmask it; the prompt is sanitised."""
import csv
import io
import json

import pytest

from blended_xblocks.core.i18n import Translator, js_catalogue
from tests.harness import EXPERIENCE_SHARING as OLX
from tests.harness import create_post as post
from tests.harness import sharing_state as state

HOSTILE_PROMPT = OLX.replace(
    "<prompt><p>Describe a case: context, challenge, what you did, what you learned.</p></prompt>",
    "<prompt><p onclick=\"steal()\">Describe a case.</p><script>steal()</script>"
    "<img src=\"x\" onerror=\"steal()\"/><a href=\"javascript:steal()\">here</a>"
    "<a href=\"https://www.iom.int/reintegration\">Handbook</a></prompt>")


@pytest.fixture
def board(workbench):
    return workbench.load(OLX.format(moderation="post"))


@pytest.fixture
def thread(workbench, board):
    """Amina's anonymous post, a reply from Yusuf, then one from Amina herself."""
    created = post(workbench, board, anonymous=True, title="A case I cannot sign")
    for student, text in (("yusuf", "Which town was it?"), ("amina", "A town near Agadez.")):
        result = workbench.call(board, "reply", {"post_id": created["id"], "body": text}, student=student)
        assert result.status == 200, result.body
    return created


def replies_seen(workbench, board, student, post_id):
    return {
        "page": state(workbench, board, student)["posts"][0]["replies"],
        "replies": workbench.call(board, "replies", {"post_id": post_id}, student=student).json["replies"],
    }


def test_peers_see_the_anonymous_authors_reply_as_author_anonymous(workbench, board, thread):
    for where, replies in replies_seen(workbench, board, "fatou", thread["id"]).items():
        by_author = replies[1]
        assert by_author["author"] is None and by_author["anonymous_author"] is True, where
        assert replies[0]["author"] == "Yusuf Abdi" and replies[0]["anonymous_author"] is False, where
        assert "Amina" not in json.dumps(replies), where


def test_the_reply_handler_answer_does_not_name_the_anonymous_author(workbench, board, thread):
    answer = workbench.call(board, "reply", {"post_id": thread["id"], "body": "One more detail."}).json["reply"]
    assert answer["author"] is None and answer["anonymous_author"] is True and answer["mine"] is True


def test_staff_still_see_who_replied(workbench, board, thread):
    for where, replies in replies_seen(workbench, board, "instructor", thread["id"]).items():
        assert replies[1]["author"] == "Amina Diallo" and replies[1]["anonymous_author"] is True, where
    body = workbench.call(board, "export_csv", method="GET", student="instructor").body.decode("utf-8-sig")
    assert any(row["author_name"] == "Amina Diallo" and row["type"] == "reply"
               for row in csv.DictReader(io.StringIO(body)))


def test_a_named_posts_author_replying_is_named(workbench, board):
    created = post(workbench, board, title="Signed case")
    workbench.call(board, "reply", {"post_id": created["id"], "body": "Update: she opened a shop."})
    reply = state(workbench, board, "yusuf")["posts"][0]["replies"][0]
    assert reply["author"] == "Amina Diallo" and reply["anonymous_author"] is False


def test_the_page_never_embeds_the_name_and_the_label_is_translated(workbench, board, thread):
    assert "Amina" not in workbench.render(board, "fatou")
    for language, label in (("fr", "Auteur (anonyme)"), ("es", "Autor (anónimo)"), ("ar", "كاتب المنشور (مجهول الاسم)")):
        catalogue = js_catalogue(Translator("experience_sharing", language), "experience_sharing/experience_sharing.js")
        assert catalogue["Author (anonymous)"] == label


def test_prompt_keeps_formatting_but_loses_scripts_and_handlers(workbench):
    html = workbench.render(workbench.load(HOSTILE_PROMPT.format(moderation="post")), "amina")
    assert "<p>Describe a case.</p>" in html
    assert "steal()" not in html and "<img" not in html and "onclick" not in html
    assert 'href="https://www.iom.int/reintegration"' in html


def edit(workbench, board, created, **fields):
    change = {"post_id": created["id"], "title": "A case I still cannot sign", "body": "More detail"} | fields
    return workbench.call(board, "edit_post", change)


@pytest.mark.parametrize("fields", [{}, {"anonymous": None}], ids=["absent", "null"])
def test_an_edit_that_does_not_say_keeps_the_post_anonymous(workbench, board, fields):
    created = post(workbench, board, anonymous=True)
    result = edit(workbench, board, created, **fields)
    assert result.status == 200 and result.json["post"]["anonymous"] is True
    seen = state(workbench, board, "yusuf")["posts"][0]
    assert seen["title"] == "A case I still cannot sign" and seen["author"] is None


def test_an_anonymous_post_stays_anonymous_after_the_course_stops_allowing_them(workbench, board):
    created = post(workbench, board, anonymous=True)
    named = post(workbench, board, title="A signed case")
    author = workbench.block(board, "instructor")
    author.anonymous_allowed = False
    author.save()
    for fields in ({}, {"anonymous": True}):  # the page no longer sends it; an older page still does
        result = edit(workbench, board, created, **fields)
        assert result.status == 200 and result.json["post"]["anonymous"] is True, result.body
    assert edit(workbench, board, named, anonymous=True).error_code == "anonymous_not_allowed"
    assert {item["title"]: item["author"] for item in state(workbench, board, "yusuf")["posts"]} == {
        "A case I still cannot sign": None, "A signed case": "Amina Diallo"}
