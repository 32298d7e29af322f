"""The learner-side rules of experience sharing (experience_sharing/posts.py), called directly: who
sees what, tags, anonymity, authorship and versions, "useful" marks."""
import pytest

from blended_xblocks.core.errors import ApiError
from blended_xblocks.experience_sharing import posts
from blended_xblocks.experience_sharing.models import PENDING, PUBLISHED, SharedReply


def new_post(board, learner, is_staff=False, **changes):
    data = {"title": "A returnee's bakery", "body": "Context: Agadez.", "tags": ["Economic"], "anonymous": False}
    return posts.create_post(board, learner, is_staff, data | changes)


def refused(call, *args) -> str:
    with pytest.raises(ApiError) as error:
        call(*args)
    return error.value.code


def test_tags_are_stored_in_their_canonical_form_once_each(board):
    assert posts.check_tags(board, ["Economic", "economic", "community"]) == " economic community "
    assert posts.check_tags(board, []) == ""
    assert refused(posts.check_tags, board, ["politics"]) == "unknown_tag"


def test_with_pre_moderation_peers_see_a_learners_post_only_once_staff_approve_it(board, learners):
    amina, yusuf = learners("amina", "yusuf")
    moderated = posts.Board(**{**board.__dict__, "moderation": "pre"})
    waiting = new_post(moderated, amina)
    by_staff = new_post(moderated, yusuf, is_staff=True)
    assert (waiting.status, by_staff.status) == (PENDING, PUBLISHED)
    assert set(posts.visible_posts(moderated, amina, False)) == {waiting, by_staff}
    assert set(posts.visible_posts(moderated, yusuf, False)) == {by_staff}
    assert set(posts.visible_posts(moderated, yusuf, True)) == {waiting, by_staff}


def test_an_edit_under_pre_moderation_is_reviewed_again(board, learners):
    amina, = learners("amina")
    moderated = posts.Board(**{**board.__dict__, "moderation": "pre"})
    post = new_post(board, amina)
    edited = posts.edit_post(moderated, amina, False, {"post_id": post.pk, "version": post.version, "title": "New",
                                                       "body": "New body", "tags": [], "anonymous": None})
    assert (edited.status, edited.version, edited.title, edited.tags) == (PENDING, 2, "New", "")


def test_only_the_author_edits_and_only_the_version_they_read(board, learners):
    amina, yusuf = learners("amina", "yusuf")
    post = new_post(board, amina)
    change = {"post_id": post.pk, "version": post.version, "title": "T", "body": "B", "tags": [], "anonymous": None}
    assert post.version == 1
    assert refused(posts.edit_post, board, yusuf, False, change) == "not_author"
    posts.edit_post(board, amina, False, change)
    assert refused(posts.edit_post, board, amina, False, change) == "edit_conflict"


def test_anonymity_only_where_the_author_of_the_course_allows_it_and_it_sticks(board, learners):
    amina, = learners("amina")
    closed = posts.Board(**{**board.__dict__, "anonymous_allowed": False})
    assert refused(lambda: new_post(closed, amina, anonymous=True)) == "anonymous_not_allowed"
    post = new_post(board, amina, anonymous=True)
    kept = posts.edit_post(closed, amina, False, {"post_id": post.pk, "version": post.version, "title": "T", "body": "B",
                                                  "tags": [], "anonymous": None})
    assert kept.anonymous


def test_a_deleted_post_is_gone_for_everyone_its_replies_kept(board, learners):
    amina, yusuf = learners("amina", "yusuf")
    post = new_post(board, amina)
    posts.add_reply(board, yusuf, {"post_id": post.pk, "body": "Thanks"})
    posts.delete_post(board, amina, {"post_id": post.pk, "version": post.version})
    assert not posts.visible_posts(board, yusuf, True).exists()
    assert SharedReply.objects.filter(post=post).count() == 1
    assert refused(posts.add_reply, board, yusuf, {"post_id": post.pk, "body": "Again"}) == "post_not_found"


def test_useful_counts_once_per_learner_and_never_for_ones_own_post(board, learners):
    amina, yusuf = learners("amina", "yusuf")
    post = new_post(board, amina)
    assert posts.react(board, yusuf, {"post_id": post.pk, "useful": True}) == (1, True)
    assert posts.react(board, yusuf, {"post_id": post.pk, "useful": True}) == (1, True)
    assert posts.react(board, yusuf, {"post_id": post.pk, "useful": False}) == (0, False)
    assert posts.react(board, yusuf, {"post_id": post.pk, "useful": False}) == (0, False)
    assert refused(posts.react, board, amina, {"post_id": post.pk, "useful": True}) == "own_post"


def test_nobody_replies_to_a_post_waiting_for_approval(board, learners):
    amina, yusuf = learners("amina", "yusuf")
    moderated = posts.Board(**{**board.__dict__, "moderation": "pre"})
    waiting = new_post(moderated, amina)
    assert refused(posts.add_reply, moderated, amina, {"post_id": waiting.pk, "body": "More"}) == "not_published"
    assert refused(posts.add_reply, moderated, yusuf, {"post_id": waiting.pk, "body": "Hi"}) == "post_not_found"


def test_a_page_shows_each_posts_first_twenty_visible_replies_and_the_viewers_own_marks(board, learners):
    from blended_xblocks.experience_sharing.moderation import moderate_reply

    amina, yusuf, fatou = learners("amina", "yusuf", "fatou")
    long, short = new_post(board, amina, title="Long thread"), new_post(board, fatou, title="Short thread")
    written = [posts.add_reply(board, yusuf, {"post_id": long.pk, "body": f"Reply {n}"}) for n in range(25)]
    for n in range(3):
        posts.add_reply(board, amina, {"post_id": short.pk, "body": f"Answer {n}"})
    hidden = posts.add_reply(board, yusuf, {"post_id": short.pk, "body": "Off topic"})
    moderate_reply(board, hidden.pk, "hide")
    moderate_reply(board, written[0].pk, "hide")
    posts.react(board, yusuf, {"post_id": short.pk, "useful": True})
    posts.flag(board, yusuf, {"post_id": long.pk, "reason": "Names a returnee"})

    def shown(viewer, is_staff=False):
        page, items = posts.page_of_posts(board, viewer, is_staff)
        assert page.total == 2
        return {post["title"]: post for post in items}

    seen = shown(yusuf)
    assert [r["body"] for r in seen["Long thread"]["replies"]] == [[["t", f"Reply {n}"]] for n in range(1, 21)]
    assert seen["Long thread"]["reply_count"] == 24
    assert [r["body"] for r in seen["Short thread"]["replies"]] == [[["t", f"Answer {n}"]] for n in range(3)]
    assert (seen["Short thread"]["useful_by_me"], seen["Short thread"]["flagged_by_me"]) == (True, False)
    assert (seen["Long thread"]["useful_by_me"], seen["Long thread"]["flagged_by_me"]) == (False, True)
    assert not any(shown(amina)[title]["useful_by_me"] or shown(amina)[title]["flagged_by_me"] for title in seen)
    staff = shown(fatou, is_staff=True)
    assert [r["hidden"] for r in staff["Long thread"]["replies"]] == [True] + [False] * 19
    assert [r["hidden"] for r in staff["Short thread"]["replies"]] == [False, False, False, True]


@pytest.mark.parametrize("total, page, expected_page, shown", [
    (0, 1, 1, 0), (0, 3, 1, 0), (7, 1, 1, 5), (7, 2, 2, 2), (7, 9, 2, 2), (10, 2, 2, 5), (10, 3, 2, 5), (5, 1, 1, 5)])
def test_a_page_of_posts_counts_only_when_its_slice_cannot_tell_the_total(board, learners, total, page, expected_page,
                                                                           shown):
    amina, = learners("amina")
    for n in range(total):
        new_post(board, amina, title=f"Case {n}")
    found, items = posts.page_of_posts(board, amina, False, page=page, page_size=5)
    assert (found.number, found.total, len(items)) == (expected_page, total, shown)
    newest_first = [f"Case {n}" for n in reversed(range(total))]
    assert [item["title"] for item in items] == newest_first[found.start:found.end]
