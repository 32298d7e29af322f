"""Posts, replies, "useful" marks and flags: the learner-side rules of experience sharing.

Every change that moves a counter on a post first locks that post row. That serialises writers
per post (so counters stay exact) and avoids the InnoDB deadlock two inserts referencing the
same parent row would otherwise hit when both then update it.
"""
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery, Window
from django.db.models.functions import Coalesce, RowNumber
from django.utils import timezone

from blended_xblocks.core.errors import N_, BadRequest, Conflict, Forbidden, NotFound
from blended_xblocks.core.pagination import paginate, read_page
from blended_xblocks.core.prepared import PreparedQuery
from blended_xblocks.core.times import iso
from blended_xblocks.experience_sharing.models import (
    DELETED,
    PENDING,
    PUBLISHED,
    SharedFlag,
    SharedPost,
    SharedReaction,
    SharedReply,
    SharingParticipation,
)
from blended_xblocks.experience_sharing.participation import ensure_row
from blended_xblocks.experience_sharing.text import segments, tag_form

MAX_POSTS_PER_LEARNER = 50
MAX_REPLIES_PER_LEARNER = 500
REPLIES_SHOWN = 20
TAGS_LENGTH = SharedPost._meta.get_field("tags").max_length  # a post's tags, joined with spaces


@dataclass(frozen=True)
class Board:
    """What the rules need to know about one block (built by the block from its fields)."""

    course_key: str
    usage_key: str
    moderation: str = "post"
    tags: tuple = ()
    anonymous_allowed: bool = True


# Reading ------------------------------------------------------------------------------------------
def visible_posts(board, learner, is_staff):
    """Staff see everything but deleted posts; learners see published posts and their own pending ones."""
    return _visible_posts(board.usage_key, learner.id if learner is not None else None, is_staff)


def _visible_posts(usage_key, author_id, is_staff):
    if is_staff:
        return SharedPost.objects.filter(usage_key=usage_key).exclude(status=DELETED)
    return SharedPost.objects.filter(Q(status=PUBLISHED) | Q(status=PENDING, author_id=author_id), usage_key=usage_key)


def _post_ids(usage_key, author_id, is_staff, tag, status, sort, start=None, stop=None):
    """The ids of the posts the viewer may see, in the list's order, from `start` to `stop`. Sorted and
    cut on narrow columns first (the full rows of the page are read next): MariaDB would otherwise sort
    every post body of the block to keep 20 of them."""
    posts = _visible_posts(usage_key, author_id, is_staff)
    if tag:
        posts = posts.filter(tags__contains=f" {tag} ")
    if status and is_staff:
        posts = posts.filter(status=status)
    order = ["-pinned", "-useful_count", "-created", "-id"] if sort == "useful" else ["-pinned", "-created", "-id"]
    return posts.order_by(*order).values_list("id", flat=True)[start:stop]


_POST_IDS = PreparedQuery(_post_ids, shape=("is_staff", "tag", "status", "sort", "start", "stop"))


class _PostIds:
    """The list's ids as `read_page` reads them: a page's slice (a prepared read), and `count()`."""

    def __init__(self, **filters):
        self.filters = filters

    def __getitem__(self, window: slice) -> list:
        return _POST_IDS(start=window.start, stop=window.stop, **self.filters)

    def count(self) -> int:
        return _post_ids(**self.filters).count()


def page_of_posts(board, learner, is_staff, *, page=1, page_size=20, sort="newest", tag=None, status=None):
    """(Page, [post dicts]) for one page, in a bounded number of queries whatever the volume: the page's
    ids (and their count when the page is full), the posts with the viewer's marks, their first replies."""
    ids = _PostIds(usage_key=board.usage_key, author_id=learner.id if learner is not None else None,
                   is_staff=is_staff, tag=tag or None, status=status or None, sort=sort)
    shown, ids = read_page(ids, page, page_size, count=ids.count)
    if not ids:
        return shown, []
    rows = _POSTS_WITH_MY_MARKS(ids=ids, learner_id=learner.id) if learner is not None else _POSTS(ids=ids)
    by_id = {post.id: post for post in rows}
    rows = [by_id[post_id] for post_id in ids if post_id in by_id]
    replies = first_replies(rows, learner, is_staff)
    return shown, [post_json(post, learner, is_staff, useful=getattr(post, "useful_by_me", False),
                             flagged=getattr(post, "flagged_by_me", False), replies=replies.get(post.id, []))
                   for post in rows]


def first_replies(posts, learner, is_staff):
    """{post id: [reply dicts]}: the first REPLIES_SHOWN replies of each post, oldest first.

    Posts whose reply count says every visible reply fits are read whole with one plain query (none
    when no post has any); only longer threads (and staff's, whose counts leave out hidden replies) need
    the per-post ranking."""
    whole, ranked = [], []
    for post in posts:
        if is_staff or post.reply_count > REPLIES_SHOWN:
            ranked.append(post.id)
        elif post.reply_count:
            whole.append(post.id)
    reads = []
    if whole:
        reads.append(_REPLIES(post_ids=whole, is_staff=is_staff, ranked=False))
    if ranked:
        reads.append(_REPLIES(post_ids=ranked, is_staff=is_staff, ranked=True))
    by_id, replies = {post.id: post for post in posts}, {}
    for read in reads:
        for reply in read:
            shown = replies.setdefault(reply.post_id, [])
            if len(shown) < REPLIES_SHOWN:  # a reply written since the count was read waits for the next page
                shown.append(reply_json(reply, learner, is_staff, by_id[reply.post_id]))
    return replies


def _replies(post_ids, is_staff, ranked):
    """The replies of the posts a viewer may see, oldest first; `ranked`: numbered within each post
    (`rank`), only the first REPLIES_SHOWN of each."""
    rows = SharedReply.objects.filter(post_id__in=post_ids, **({} if is_staff else {"hidden": False}))
    if ranked:
        rows = rows.annotate(rank=Window(RowNumber(), partition_by=[F("post_id")],
                                         order_by=[F("created").asc(), F("id").asc()])).filter(rank__lte=REPLIES_SHOWN)
    return rows.select_related("author").order_by("post_id", "created", "id")


_POSTS = PreparedQuery(lambda ids: SharedPost.objects.filter(pk__in=ids).select_related("author"))
_POSTS_WITH_MY_MARKS = PreparedQuery(lambda ids, learner_id: SharedPost.objects.filter(pk__in=ids).select_related(
    "author").annotate(  # the viewer's own marks, in the same query
    useful_by_me=Exists(SharedReaction.objects.filter(post_id=OuterRef("id"), learner_id=learner_id)),
    flagged_by_me=Exists(SharedFlag.objects.filter(post_id=OuterRef("id"), learner_id=learner_id, resolved=False))))
_REPLIES = PreparedQuery(_replies, shape=("is_staff", "ranked"))


def post_json(post, learner, is_staff, *, useful=False, flagged=False, replies=()):
    """A post as its viewer may see it: an anonymous author's name reaches staff only."""
    mine = learner is not None and post.author_id == learner.id
    data = {
        "id": post.id, "title": post.title, "body": segments(post.body), "text": post.body if mine else None,
        "tags": post.tags.split(), "anonymous": post.anonymous, "mine": mine,
        "author": None if post.anonymous and not is_staff else post.author.display_name,
        "status": post.status, "pinned": post.pinned, "version": post.version,
        "created": iso(post.created), "edited": iso(post.edited),
        "reply_count": post.reply_count, "useful_count": post.useful_count,
        "useful_by_me": useful, "flagged_by_me": flagged, "replies": list(replies),
    }
    if is_staff:
        data.update(author=post.author.display_name, author_id=post.author.anonymous_user_id,
                    author_username=post.author.username, open_flags=post.open_flags)
    return data


def reply_json(reply, learner, is_staff, post=None):
    """A reply as its viewer may see it.

    When the author of an anonymous post replies on it, their name would unmask the post: learners
    get `author: null` and `anonymous_author: true` (shown as "Author (anonymous)"); staff see the name.
    """
    post = post or reply.post
    unmasks = post.anonymous and reply.author_id == post.author_id
    data = {"id": reply.id, "post_id": reply.post_id,
            "author": None if unmasks and not is_staff else reply.author.display_name,
            "anonymous_author": unmasks,
            "mine": learner is not None and reply.author_id == learner.id, "body": segments(reply.body),
            "created": iso(reply.created), "hidden": reply.hidden}
    if is_staff:
        data["author_id"] = reply.author.anonymous_user_id
    return data


def replies_page(board, learner, is_staff, post_id, page=1, page_size=50):
    """All replies of one visible post, paginated (the page of posts shows the first ones)."""
    post = _visible(board, learner, is_staff, post_id)
    replies = SharedReply.objects.filter(post=post)
    if not is_staff:
        replies = replies.filter(hidden=False)
    return paginate(replies.select_related("author").order_by("created", "id"), page, page_size, "replies",
                    lambda reply: reply_json(reply, learner, is_staff, post), post_id=post.id)


# Writing ------------------------------------------------------------------------------------------
def check_tags(board, tags):
    """The post's tags as stored (" economic community "); together they must fit the column."""
    tags = [tag_form(tag) for tag in tags]
    unknown = [tag for tag in tags if tag not in board.tags]
    if unknown:
        raise BadRequest("unknown_tag", N_("“{tag}” is not one of this activity's tags."), tag=unknown[0])
    stored = " " + " ".join(dict.fromkeys(tags)) + " " if tags else ""
    if len(stored) > TAGS_LENGTH:
        raise BadRequest("too_long", N_("These tags are too long together: choose fewer of them."),
                         field="tags", max=TAGS_LENGTH)
    return stored


def create_post(board, learner, is_staff, data):
    tags = check_tags(board, data["tags"] or [])
    if data["anonymous"] and not board.anonymous_allowed:
        raise BadRequest("anonymous_not_allowed", N_("This activity does not accept anonymous posts."))
    row = ensure_row(board, learner)
    with transaction.atomic():
        # Parallel posts of one learner queue on their participation row, so the count below sees
        # the others' posts. The lock is the transaction's first read: InnoDB's snapshot for the count
        # is taken after it.
        SharingParticipation.objects.select_for_update().filter(pk=row.pk).first()
        mine = SharedPost.objects.filter(usage_key=board.usage_key, author=learner).exclude(status=DELETED)
        if mine.count() >= MAX_POSTS_PER_LEARNER:
            raise Conflict("too_many_posts", N_("You have reached the limit of {max} posts."), max=MAX_POSTS_PER_LEARNER)
        return SharedPost.objects.create(
            course_key=board.course_key, usage_key=board.usage_key, author=learner, title=data["title"],
            body=data["body"], tags=tags, anonymous=bool(data["anonymous"]),
            status=PENDING if board.moderation == "pre" and not is_staff else PUBLISHED)


def _locked(board, post_id):
    """The post row, locked for the rest of the transaction; deleted posts do not exist."""
    post = (SharedPost.objects.select_for_update().filter(usage_key=board.usage_key, pk=post_id)
            .exclude(status=DELETED).first())
    if post is None:
        raise NotFound("post_not_found", N_("This post does not exist or was removed."))
    return post


def _own(board, learner, post_id, version):
    post = _locked(board, post_id)
    if post.author_id != learner.id:
        raise Forbidden("not_author", N_("Only the author can change this post."))
    if version is not None and version != post.version:
        raise Conflict("edit_conflict", N_("This post changed since you opened it. Reload and try again."))
    return post


def edit_post(board, learner, is_staff, data):
    tags = check_tags(board, data["tags"] or [])
    with transaction.atomic():
        post = _own(board, learner, data["post_id"], data["version"])
        # Absent (or null) keeps the post as it is; an anonymous post stays anonymous even after the
        # author of the course stopped allowing new anonymous posts.
        if data["anonymous"] is not None and data["anonymous"] != post.anonymous:
            if data["anonymous"] and not board.anonymous_allowed:
                raise BadRequest("anonymous_not_allowed", N_("This activity does not accept anonymous posts."))
            post.anonymous = data["anonymous"]
        post.title, post.body, post.tags = data["title"], data["body"], tags
        post.version, post.edited = post.version + 1, timezone.now()
        if board.moderation == "pre" and post.status == PUBLISHED and not is_staff:
            post.status = PENDING  # a changed text is reviewed again before peers see it
        post.save()
        return post


def delete_post(board, learner, data):
    """The author withdraws a post. Replies stay (they count for their authors) but are no longer shown."""
    with transaction.atomic():
        post = _own(board, learner, data["post_id"], data["version"])
        post.status, post.title, post.body, post.open_flags = DELETED, "", "", 0
        post.version += 1
        post.save()
        SharedFlag.objects.filter(post=post).update(resolved=True)


def _visible(board, learner, is_staff, post_id, lock=False):
    posts = visible_posts(board, learner, is_staff)
    if lock:
        posts = posts.select_for_update()
    post = posts.filter(pk=post_id).first()
    if post is None:
        raise NotFound("post_not_found", N_("This post does not exist or was removed."))
    return post


def _published(board, learner, post_id):
    post = _visible(board, learner, False, post_id, lock=True)
    if post.status != PUBLISHED:
        raise Conflict("not_published", N_("This post is waiting for approval."))
    return post


def add_reply(board, learner, data):
    with transaction.atomic():
        post = _published(board, learner, data["post_id"])
        if SharedReply.objects.filter(usage_key=board.usage_key, author=learner).count() >= MAX_REPLIES_PER_LEARNER:
            raise Conflict("too_many_replies", N_("You have reached the limit of {max} replies."),
                           max=MAX_REPLIES_PER_LEARNER)
        reply = SharedReply.objects.create(post=post, usage_key=board.usage_key, author=learner, body=data["body"])
        SharedPost.objects.filter(pk=post.pk).update(reply_count=F("reply_count") + 1)
        return reply


def react(board, learner, data):
    """Mark (or unmark) a post useful. A learner counts once, however many requests race."""
    useful = data["useful"] is not False
    try:
        with transaction.atomic():
            post = _published(board, learner, data["post_id"])
            if post.author_id == learner.id:
                raise Conflict("own_post", N_("You cannot mark your own post as useful."))
            if useful:
                SharedReaction.objects.create(post=post, learner=learner)
                SharedPost.objects.filter(pk=post.pk).update(useful_count=F("useful_count") + 1)
            elif SharedReaction.objects.filter(post=post, learner=learner).delete()[0]:
                SharedPost.objects.filter(pk=post.pk).update(useful_count=F("useful_count") - 1)
    except IntegrityError:
        pass  # already marked by an earlier or concurrent request: nothing to add
    return SharedPost.objects.get(pk=data["post_id"]).useful_count, useful


def flag(board, learner, data):
    """Report a post to staff; a second report by the same learner changes nothing."""
    try:
        with transaction.atomic():
            post = _published(board, learner, data["post_id"])
            if post.author_id == learner.id:
                raise Conflict("own_post", N_("You cannot report your own post."))
            existing = SharedFlag.objects.filter(post=post, learner=learner).first()
            if existing is not None and not existing.resolved:
                return
            if existing is not None:
                existing.resolved, existing.reason = False, data["reason"]
                existing.save(update_fields=["resolved", "reason"])
            else:
                SharedFlag.objects.create(post=post, learner=learner, reason=data["reason"])
            SharedPost.objects.filter(pk=post.pk).update(open_flags=F("open_flags") + 1)
    except IntegrityError:
        pass


def forget_authors(learners):
    """A retired learner's words go; counts and other learners' replies stay."""
    SharedPost.objects.filter(author__in=learners).update(title="", body="", status=DELETED, open_flags=0)
    post_ids = set(SharedReply.objects.filter(author__in=learners).values_list("post_id", flat=True))
    SharedReply.objects.filter(author__in=learners).update(body="", hidden=True)
    visible = (SharedReply.objects.filter(post=OuterRef("pk"), hidden=False).order_by().values("post")
               .annotate(total=Count("id")).values("total"))
    SharedPost.objects.filter(pk__in=post_ids).update(reply_count=Coalesce(Subquery(visible), 0))
    SharedFlag.objects.filter(learner__in=learners).update(reason="")

