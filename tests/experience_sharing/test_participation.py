"""What completes an experience-sharing activity (experience_sharing/participation.py), called
directly: the counts that matter, the completion recorded and withdrawn once, the learner's line."""
import pytest

from blended_xblocks.core.i18n import Translator
from blended_xblocks.core.outcomes import outcome_changed
from blended_xblocks.experience_sharing import participation
from blended_xblocks.experience_sharing.models import DELETED, PENDING, SharedPost, SharedReply


def write(board, author, status="published", **fields):
    return SharedPost.objects.create(course_key=board.course_key, usage_key=board.usage_key, author=author,
                                     title="A returnee's bakery", body="Context: Agadez.", status=status, **fields)


def reply(board, post, author, hidden=False):
    return SharedReply.objects.create(post=post, usage_key=board.usage_key, author=author, body="Thanks",
                                      hidden=hidden)


@pytest.fixture
def announced():
    """The learners the programme view is told about (`outcome_changed`), by kind."""
    heard = []

    def receiver(sender, learner_ids, kind, **kwargs):
        heard.append((kind, learner_ids))

    outcome_changed.connect(receiver, weak=False)
    yield heard
    outcome_changed.disconnect(receiver)


def test_only_published_posts_and_visible_replies_to_others_count(board, learners):
    amina, yusuf = learners("amina", "yusuf")
    mine = write(board, amina)
    write(board, amina, status=PENDING)
    write(board, amina, status=DELETED)
    theirs = write(board, yusuf)
    reply(board, theirs, amina)
    reply(board, theirs, amina, hidden=True)
    reply(board, mine, amina)  # answering oneself is not taking part
    row = participation.refresh(board, amina)
    assert (row.posts, row.replies) == (1, 1)
    assert participation.current(board, amina).replies == 1


def test_the_thresholds_need_posts_replies_and_no_missed_session(board, learners):
    amina, = learners("amina")
    row = participation.ensure_row(board, amina)
    row.posts, row.replies = 1, 2
    assert participation.thresholds_met(row, 1, 2, attended=None)
    assert participation.thresholds_met(row, 1, 2, attended=True)
    assert not participation.thresholds_met(row, 1, 2, attended=False)
    assert not participation.thresholds_met(row, 1, 3, attended=None)
    assert not participation.thresholds_met(None, 1, 0, attended=None)
    assert participation.thresholds_met(None, 0, 0, attended=None)


def test_completion_is_recorded_and_withdrawn_once_and_the_programme_is_told(
        board, learners, announced, django_capture_on_commit_callbacks):
    amina, = learners("amina")
    row = participation.ensure_row(board, amina)
    with django_capture_on_commit_callbacks(execute=True):
        assert participation.settle_completion(row, True) == 1.0
        assert participation.settle_completion(row, True) is None
    assert participation.current(board, amina).completed is not None
    with django_capture_on_commit_callbacks(execute=True):
        assert participation.settle_completion(row, False) == 0.0
        assert participation.settle_completion(row, False) is None
    assert participation.current(board, amina).completed is None
    assert announced == [("participation", [amina.pk]), ("participation", [amina.pk])]


def test_one_row_per_learner_however_often_it_is_asked_for(board, learners):
    amina, = learners("amina")
    assert participation.ensure_row(board, amina).pk == participation.ensure_row(board, amina).pk
    assert participation.current(board, learners("yusuf")[0]) is None


def test_the_learners_progress_line_counts_up_to_the_threshold():
    english = Translator("experience_sharing", "en")
    row = type("Row", (), {"posts": 3, "replies": 1, "completed": None})()
    line = participation.progress(english, row, 1, 2, attended=False)
    assert line["text"] == "1 of 1 post, 1 of 2 replies, live session attendance not yet recorded"
    assert (line["posts"], line["replies"], line["completed"]) == (3, 1, False)
    assert participation.progress(english, None, 2, 0, attended=None)["text"] == "0 of 2 posts"
    french = Translator("experience_sharing", "fr")
    assert participation.progress(french, row, 2, 0, attended=True)["text"] == (
        "2 sur 2 contributions, présence à la session en direct enregistrée")
