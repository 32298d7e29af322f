"""Malformed input is refused with a 4xx and changes nothing; hostile text stays inert."""
import json
import re
from html.parser import HTMLParser

import pytest

from blended_xblocks.experience_sharing.models import SharedFlag, SharedPost, SharedReaction, SharedReply

OLX = '<blended_experience_sharing display_name="ES" tags="economic community" anonymous_allowed="{anon}"/>'
XSS = '<script>alert("x")</script><img src=x onerror=alert(1)> javascript:alert(1) "\'><svg onload=alert(1)>'


@pytest.fixture
def board(workbench):
    return workbench.load(OLX.format(anon="true"))


def snapshot():
    return (list(SharedPost.objects.values()), SharedReply.objects.count(), SharedReaction.objects.count(),
            SharedFlag.objects.count())


@pytest.mark.parametrize("handler,data,code", [
    ("create_post", {"title": "ok title", "body": "b", "extra": 1}, "unknown_field"),
    ("create_post", {"title": 5, "body": "b"}, "invalid_field"),
    ("create_post", {"title": "ok title"}, "required"),
    ("create_post", {"title": "ab", "body": "b"}, "required"),
    ("create_post", {"title": "ok title", "body": "b" * 10001}, "too_long"),
    ("create_post", {"title": "ok title", "body": "   "}, "required"),
    ("create_post", {"title": "ok title", "body": "b", "tags": "economic"}, "invalid_field"),
    ("create_post", {"title": "ok title", "body": "b", "tags": ["sports"]}, "unknown_tag"),
    ("create_post", {"title": "ok title", "body": "b", "tags": ["x"] * 11}, "too_many"),
    ("create_post", {"title": "ok title", "body": "b", "anonymous": "yes"}, "invalid_field"),
    ("create_post", {"title": "ok\x00title", "body": "b"}, "invalid_field"),
    ("get_state", {"page": 0}, "out_of_range"),
    ("get_state", {"page_size": 500}, "out_of_range"),
    ("get_state", {"sort": "oldest"}, "invalid_choice"),
    ("reply", {"post_id": "1", "body": "x"}, "invalid_field"),
    ("reply", {"post_id": 999999, "body": "x"}, "post_not_found"),
    ("reply", {"post_id": True, "body": "x"}, "invalid_field"),
    ("react", {"post_id": -1}, "out_of_range"),
    ("react", {"post_id": 999999}, "post_not_found"),
    ("flag", {"post_id": 999999, "reason": "x"}, "post_not_found"),
    ("flag", {"post_id": 1, "reason": "x" * 501}, "too_long"),
    ("edit_post", {"post_id": 999999, "title": "abc", "body": "b"}, "post_not_found"),
    ("delete_post", {"post_id": 999999}, "post_not_found"),
    ("replies", {"post_id": 999999}, "post_not_found"),
])
def test_bad_input_is_refused_and_changes_nothing(workbench, board, handler, data, code):
    workbench.call(board, "create_post", {"title": "Existing", "body": "b"}, student="yusuf")
    before = snapshot()
    result = workbench.call(board, handler, data)
    assert 400 <= result.status < 500 and result.error_code == code
    assert result.json["error"]["message"]
    assert snapshot() == before


@pytest.mark.parametrize("body", [b"{nope", b"[1, 2]", b"\xff\xfe", b'"text"'])
def test_body_that_is_not_a_json_object(workbench, board, body):
    result = workbench.call(board, "create_post", body=body)
    assert result.status == 400 and result.error_code == "invalid_json"
    assert SharedPost.objects.count() == 0


def test_get_is_not_accepted_for_changes(workbench, board):
    assert workbench.call(board, "create_post", method="GET").status == 405


def test_signed_out_users_cannot_post(workbench, board):
    result = workbench.call(board, "create_post", {"title": "Anonymous user", "body": "b"}, student="none")
    assert result.status == 403 and result.error_code == "sign_in_required"


def test_anonymous_refused_when_the_author_disallows_it(workbench):
    usage = workbench.load(OLX.format(anon="false"))
    result = workbench.call(usage, "create_post", {"title": "Hidden me", "body": "b", "anonymous": True})
    assert result.status == 400 and result.error_code == "anonymous_not_allowed"
    assert 'name="anonymous"' not in workbench.render(usage)


def test_unknown_moderation_action_and_missing_target(workbench, board):
    assert workbench.call(board, "moderate", {"post_id": 1, "action": "delete"}, student="instructor").error_code \
        == "invalid_choice"
    assert workbench.call(board, "moderate", {"action": "hide"}, student="instructor").error_code == "required"
    assert workbench.call(board, "moderate", {"post_id": 999999, "action": "hide"}, student="instructor").status == 404


def test_posts_of_another_block_are_out_of_reach(workbench, board):
    other = workbench.load(OLX.format(anon="true"))
    created = workbench.call(other, "create_post", {"title": "Elsewhere", "body": "b"}, student="yusuf").json["post"]
    assert workbench.call(board, "reply", {"post_id": created["id"], "body": "x"}).status == 404
    assert workbench.call(board, "moderate", {"post_id": created["id"], "action": "hide"},
                          student="instructor").status == 404
    assert SharedPost.objects.get(pk=created["id"]).status == "published"


def test_hostile_text_in_every_field_stays_text(workbench, board):
    created = workbench.call(board, "create_post", {"title": XSS, "body": XSS + "\nhttps://ok.example/x"}).json["post"]
    workbench.call(board, "reply", {"post_id": created["id"], "body": XSS}, student="yusuf")
    workbench.call(board, "flag", {"post_id": created["id"], "reason": XSS}, student="yusuf")
    seen = workbench.call(board, "get_state", {}, student="yusuf").json["posts"][0]
    assert seen["title"] == XSS
    assert seen["body"] == [["t", XSS], ["br"], ["a", "https://ok.example/x"]]
    assert seen["replies"][0]["body"] == [["t", XSS]]
    html = workbench.render(board, "yusuf")
    # The first page of posts is in the page only as JSON in a <script type="application/json"> whose
    # "<" ">" "&" are escaped: the parsed page has the text back exactly there, and nowhere else (no element,
    # attribute or script of the learner's; the element is never closed early).
    parsed = _JsonScripts()
    parsed.feed(html)
    assert XSS not in html and len(parsed.scripts) == 1
    assert json.loads(parsed.scripts[0])["posts"][0]["title"] == XSS
    assert "alert" not in html.replace(parsed.scripts[0], "")


class _JsonScripts(HTMLParser):
    """The text of each `<script type="application/json">` as a browser reads it (up to the first "</script")."""

    def __init__(self):
        super().__init__()
        self.scripts, self._in_json = [], False

    def handle_starttag(self, tag, attrs):
        self._in_json = tag == "script" and dict(attrs).get("type") == "application/json"
        if self._in_json:
            self.scripts.append("")

    def handle_endtag(self, tag):
        self._in_json = False

    def handle_data(self, data):
        if self._in_json:
            self.scripts[-1] += data



# The LMS passes every block's HTML through its URL rewriting (static_replace: replace_static_urls,
# replace_course_urls, replace_jump_to_id_urls), which turns a quoted "/static/…", "/course/…" or
# "/jump_to_id/…" — an escaped quote too — into a course URL. The same pattern, to check our page.
LMS_REWRITES = re.compile(r"""(?P<quote>\\?['"])(?P<prefix>/static/|/course/|/jump_to_id/)(?P<rest>.*?)(?P=quote)""")


def test_learners_words_that_look_like_course_paths_reach_the_page_as_written(workbench, board):
    title = "see '/static/handbook.pdf'"
    body = '"/course/info" and /jump_to_id/x and /static/a"'
    workbench.call(board, "create_post", {"title": title, "body": body})
    html = workbench.render(board, "yusuf")
    parsed = _JsonScripts()
    parsed.feed(html)
    assert LMS_REWRITES.search(parsed.scripts[0]) is None  # the LMS would leave the first state alone
    post = json.loads(parsed.scripts[0])["posts"][0]
    assert post["title"] == title and post["body"] == [["t", body]]
    assert post == workbench.call(board, "get_state", {}, student="yusuf").json["posts"][0]
