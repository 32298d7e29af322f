"""Staff moderation: approve held posts, hide and restore, pin, and review reports.

Any decision on a post closes its open reports: staff looked at it, the list of flagged posts
shows only what still needs a look.
"""
from django.db import transaction
from django.db.models import F

from blended_xblocks.core.errors import N_, Conflict, NotFound
from blended_xblocks.core.pagination import page_of
from blended_xblocks.core.times import iso
from blended_xblocks.experience_sharing.models import HIDDEN, PENDING, PUBLISHED, SharedFlag, SharedPost, SharedReply
from blended_xblocks.experience_sharing.posts import _locked, post_json

POST_ACTIONS = ("approve", "hide", "unhide", "pin", "unpin")
REPLY_ACTIONS = ("hide", "unhide")


def moderate_post(board, post_id, action):
    """Apply `action`; repeating an action already in effect changes nothing (double clicks)."""
    with transaction.atomic():
        post = _locked(board, post_id)
        if action == "approve":
            if post.status == HIDDEN:
                raise Conflict("post_hidden", N_("Restore this post before approving it."))
            post.status = PUBLISHED
        elif action == "hide":
            if post.status != HIDDEN:
                post.status_before_hidden = post.status
            post.status, post.pinned = HIDDEN, False
        elif action == "unhide":
            if post.status == HIDDEN:  # back to what it was: a post awaiting approval still awaits it
                post.status = PENDING if post.status_before_hidden == PENDING else PUBLISHED
                post.status_before_hidden = ""
        elif action in ("pin", "unpin"):
            if action == "pin" and post.status != PUBLISHED:
                raise Conflict("not_published", N_("Only published posts can be pinned."))
            post.pinned = action == "pin"
        if action in ("approve", "hide") and post.open_flags:
            SharedFlag.objects.filter(post=post, resolved=False).update(resolved=True)
            post.open_flags = 0
        post.version += 1
        post.save()
        return post


def moderate_reply(board, reply_id, action):
    """Hide or restore one reply, keeping the post's reply count equal to the visible replies."""
    with transaction.atomic():
        reply = SharedReply.objects.filter(usage_key=board.usage_key, pk=reply_id).first()
        if reply is None:
            raise NotFound("reply_not_found", N_("This reply does not exist."))
        _locked(board, reply.post_id)
        hidden = action == "hide"
        if reply.hidden != hidden:
            SharedReply.objects.filter(pk=reply.pk).update(hidden=hidden)
            SharedPost.objects.filter(pk=reply.post_id).update(
                reply_count=F("reply_count") + (-1 if hidden else 1))
        return reply.post_id, reply.author_id


def flagged_page(board, staff_learner, page=1, page_size=20):
    """Posts with open reports, most reported first, each with its reports' reasons."""
    posts = SharedPost.objects.filter(usage_key=board.usage_key, open_flags__gt=0).exclude(status="deleted")
    shown = page_of(posts.count(), page, page_size)
    rows = list(shown.rows(posts.select_related("author").order_by("-open_flags", "-created", "-id")))
    reasons = {}
    flags = (SharedFlag.objects.filter(post_id__in=[post.id for post in rows], resolved=False)
             .select_related("learner").order_by("created", "id"))
    for item in flags:
        reasons.setdefault(item.post_id, []).append(
            {"reason": item.reason, "by": item.learner.display_name, "created": iso(item.created)})
    items = []
    for post in rows:
        data = post_json(post, staff_learner, True)
        data["reports"] = reasons.get(post.id, [])
        items.append(data)
    return shown.json("posts", items)


def pending_count(board):
    return SharedPost.objects.filter(usage_key=board.usage_key, status=PENDING).count()
