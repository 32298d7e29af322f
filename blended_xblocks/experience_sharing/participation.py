"""Who contributed how much, whether that completes the activity, and the staff exports.

Participation is recomputed from the posts and replies (two counts) whenever a learner's
contribution changes, and kept in `SharingParticipation`, so staff pages and the programme view
read every learner's progress with one query instead of counting per learner.
"""
import csv
import logging

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from blended_xblocks.core.joined_rows import joined_columns, take_joined
from blended_xblocks.core.outcomes import announce
from blended_xblocks.core.pagination import page_of
from blended_xblocks.core.prepared import PreparedQuery
from blended_xblocks.core.spreadsheet import safe_cell
from blended_xblocks.core.times import iso
from blended_xblocks.experience_sharing.models import DELETED, PUBLISHED, SharedPost, SharedReply, SharingParticipation
from blended_xblocks.platform.models import Learner, learner_rows
from blended_xblocks.platform.published_settings import stored_columns, take_stored

log = logging.getLogger(__name__)
CSV_FIELDS = ["type", "post_id", "reply_id", "created", "author_username", "author_name", "anonymous",
              "status", "pinned", "tags", "title", "body", "reply_count", "useful_count", "open_flags"]


def refresh(board, learner):
    """Recount what counts of the learner's contribution and store it: their published posts (not
    those awaiting approval, hidden or deleted) and their visible replies to others' posts."""
    posts = SharedPost.objects.filter(usage_key=board.usage_key, author=learner, status=PUBLISHED).count()
    replies = (SharedReply.objects.filter(usage_key=board.usage_key, author=learner, hidden=False)
               .exclude(post__author=learner).count())
    row = ensure_row(board, learner)
    SharingParticipation.objects.filter(pk=row.pk).update(posts=posts, replies=replies, updated=timezone.now())
    row.posts, row.replies = posts, replies
    return row


def ensure_row(board, learner):
    """The learner's participation row in this block, created when missing."""
    row = SharingParticipation.objects.filter(usage_key=board.usage_key, learner=learner).first()
    if row is None:
        try:
            with transaction.atomic():
                row = SharingParticipation.objects.create(
                    course_key=board.course_key, usage_key=board.usage_key, learner=learner)
        except IntegrityError:  # a concurrent request of the same learner created it
            row = SharingParticipation.objects.get(usage_key=board.usage_key, learner=learner)
    return row


def current(board, learner):
    return _PARTICIPATION.first(usage_key=board.usage_key, learner_id=learner.pk)


_PARTICIPATION = PreparedQuery(lambda usage_key, learner_id: SharingParticipation.objects.filter(
    usage_key=usage_key, learner_id=learner_id).order_by("pk")[:1])


def _learner_with_participation(course_key, anonymous_user_id, usage_key):
    return learner_rows(course_key, anonymous_user_id).annotate(  # one row per block and learner (bx_es_participation_once)
        **stored_columns(usage_key), **joined_columns("sharing_participations", SharingParticipation,
                                                      Q(sharing_participations__usage_key=usage_key), "participation"))[:1]


_LEARNER_WITH_PARTICIPATION = PreparedQuery(_learner_with_participation)


def learner_with_participation(usage_key: str, **where):
    """`current_learner`'s read on a sharing block's page: (the learner's row or None, and with it
    (the block's stored settings, as `publish` compares them, their participation row or None)), one query."""
    row = _LEARNER_WITH_PARTICIPATION.first(usage_key=usage_key, **where)
    if row is None:
        return None, None
    stored = take_stored(row)
    return row, (stored, take_joined(row, SharingParticipation, "participation"))


def thresholds_met(row, min_posts, min_replies, attended):
    posts, replies = (row.posts, row.replies) if row else (0, 0)
    return posts >= min_posts and replies >= min_replies and attended is not False


def settle_completion(row, met: bool):
    """Make the recorded completion follow the thresholds: 1.0 when this call recorded it, 0.0 when
    it withdrew it (hidden or deleted posts took the learner below them), None when nothing changed.

    Conditional updates, so two requests about the same learner change it once.
    """
    if met and SharingParticipation.objects.filter(pk=row.pk, completed__isnull=True).update(completed=timezone.now()):
        announce(row.course_key, [row.learner_id], "participation")
        return 1.0
    if not met and SharingParticipation.objects.filter(pk=row.pk, completed__isnull=False).update(completed=None):
        announce(row.course_key, [row.learner_id], "participation")
        return 0.0
    return None


def progress(translator, row, min_posts, min_replies, attended):
    """{"posts","replies","min_posts","min_replies","attended","completed","text"} with a plural-aware text."""
    posts, replies = (row.posts, row.replies) if row else (0, 0)
    parts = []
    if min_posts:
        parts.append(translator.ngettext("{done} of {total} post", "{done} of {total} posts", min_posts)
                     .format(done=min(posts, min_posts), total=min_posts))
    if min_replies:
        parts.append(translator.ngettext("{done} of {total} reply", "{done} of {total} replies", min_replies)
                     .format(done=min(replies, min_replies), total=min_replies))
    if attended is not None:
        parts.append(translator.gettext("live session attended") if attended
                     else translator.gettext("live session attendance not yet recorded"))
    return {"posts": posts, "replies": replies, "min_posts": min_posts, "min_replies": min_replies,
            "attended": attended, "completed": bool(row and row.completed),
            "text": translator.gettext(", ").join(parts)}


def participation_page(board, page=1, page_size=50, query=""):
    """Every learner of the course with their contribution here, by name; three queries per page."""
    learners = Learner.objects.filter(course_key=board.course_key)
    if query:
        learners = learners.filter(username__icontains=query) | learners.filter(full_name__icontains=query)
    shown = page_of(learners.count(), page, page_size)
    rows = list(shown.rows(learners.order_by("username", "id")))
    counts = {row.learner_id: row for row in SharingParticipation.objects.filter(
        usage_key=board.usage_key, learner_id__in=[learner.id for learner in rows])}
    items = []
    for learner in rows:
        row = counts.get(learner.id)
        items.append({"user_id": learner.anonymous_user_id, "username": learner.username,
                      "name": learner.display_name, "posts": row.posts if row else 0,
                      "replies": row.replies if row else 0,
                      "completed": iso(row.completed) if row else None})
    return shown.json("learners", items)


class _Echo:
    def write(self, value):
        return value




def csv_rows(board):
    """Lines of the CSV export of every post and reply (deleted posts left out), streamed.

    Rows are read as tuples, a thousand at a time, so the export of a large session neither
    builds model objects nor holds the whole file in memory.
    """
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(CSV_FIELDS)
    posts = (SharedPost.objects.filter(usage_key=board.usage_key).exclude(status=DELETED).order_by("id")
             .values_list("id", "created", "author__username", "author__full_name", "anonymous", "status", "pinned",
                          "tags", "title", "body", "reply_count", "useful_count", "open_flags"))
    for (post_id, created, username, name, anonymous, status, pinned, tags, title, body, replies, useful,
         flags) in posts.iterator(chunk_size=1000):
        yield writer.writerow([safe_cell(value) for value in (
            "post", post_id, "", iso(created), username, name or username, anonymous, status, pinned,
            tags.strip(), title, body, replies, useful, flags)])
    replies = (SharedReply.objects.filter(usage_key=board.usage_key).exclude(post__status=DELETED)
               .order_by("post_id", "id")
               .values_list("post_id", "id", "created", "author__username", "author__full_name", "hidden", "body"))
    for post_id, reply_id, created, username, name, hidden, body in replies.iterator(chunk_size=1000):
        yield writer.writerow([safe_cell(value) for value in (
            "reply", post_id, reply_id, iso(created), username, name or username, False,
            "hidden" if hidden else "published", "", "", "", body, "", "", "")])


def session_exists(course_key, url_name):
    try:
        from blended_xblocks.webinar import api as webinar_api
    except ImportError:
        return False
    return webinar_api.find_session(course_key, url_name) is not None


def linked_session(course_key, url_name, learner):
    """The webinar's summary for this learner, or None when the webinar block is not installed
    or no session has that url_name. Imported lazily: the webinar block is optional."""
    if not url_name:
        return None, None
    try:
        from blended_xblocks.webinar import api as webinar_api
    except ImportError:
        log.warning("experience sharing: blended_xblocks.webinar.api is missing; linked session not shown")
        return None, None
    session = webinar_api.find_session(course_key, url_name)
    if session is None:
        return None, None
    if learner is None:
        return None, None
    registration = webinar_api.registration_of(session, learner)  # read once for both answers
    return webinar_api.session_summary(session, learner, registration=registration), bool(
        registration and registration.attended)
