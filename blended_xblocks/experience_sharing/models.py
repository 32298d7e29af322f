"""Experience sharing: learners' written accounts of a case, replies, "useful" marks and flags.

Counters (replies, useful marks, open flags) are kept on the post and moved in the same
transaction as the row they count, so a page of posts sorted by usefulness is one indexed query
however many posts and replies a session collects. Participation is a row per learner and block
so staff views and the programme view read everyone's progress in bulk.
"""
from django.db import models

from blended_xblocks.platform.models import Learner

PUBLISHED, PENDING, HIDDEN, DELETED = "published", "pending", "hidden", "deleted"
POST_STATUSES = [(PUBLISHED, "published"), (PENDING, "pending"), (HIDDEN, "hidden"), (DELETED, "deleted")]


class SharedPost(models.Model):
    """One learner's account of a case.

    .. pii: title and body written by the learner; blanked when the learner is retired.
    .. pii_types: other
    .. pii_retirement: local_api (blended_xblocks.experience_sharing.posts.forget_authors)
    """

    course_key = models.CharField(max_length=255)
    usage_key = models.CharField(max_length=255)
    author = models.ForeignKey(Learner, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=200)
    body = models.TextField()
    # Space-delimited with a leading and trailing space (" economic community "), so a tag filter
    # is one `contains` on the block's rows without a join.
    tags = models.CharField(max_length=255, blank=True, default="")
    anonymous = models.BooleanField(default=False)
    status = models.CharField(max_length=16, choices=POST_STATUSES, default=PUBLISHED)
    # What a hidden post returns to when staff restore it (pending or published): hiding must not
    # approve a post that was waiting for approval.
    status_before_hidden = models.CharField(max_length=16, blank=True, default="")
    pinned = models.BooleanField(default=False)
    version = models.PositiveIntegerField(default=1)
    reply_count = models.PositiveIntegerField(default=0)
    useful_count = models.PositiveIntegerField(default=0)
    open_flags = models.PositiveIntegerField(default=0)
    seed_key = models.CharField(max_length=64, null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    edited = models.DateTimeField(null=True, blank=True)

    class Meta:
        app_label = "blended_xblocks"
        indexes = [
            models.Index(fields=["usage_key", "status", "pinned", "created"], name="bx_es_post_newest"),
            models.Index(fields=["usage_key", "status", "pinned", "useful_count"], name="bx_es_post_useful"),
            models.Index(fields=["usage_key", "open_flags"], name="bx_es_post_flagged"),
            models.Index(fields=["usage_key", "author"], name="bx_es_post_author"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["usage_key", "seed_key"], name="bx_es_post_seed"),
        ]


class SharedReply(models.Model):
    """A reply to a post.

    .. pii: body written by the learner; blanked when the learner is retired.
    .. pii_types: other
    .. pii_retirement: local_api (blended_xblocks.experience_sharing.posts.forget_authors)
    """

    post = models.ForeignKey(SharedPost, on_delete=models.CASCADE, related_name="replies")
    usage_key = models.CharField(max_length=255)
    author = models.ForeignKey(Learner, on_delete=models.CASCADE, related_name="+")
    body = models.TextField()
    hidden = models.BooleanField(default=False)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "blended_xblocks"
        indexes = [
            models.Index(fields=["post", "created"], name="bx_es_reply_post"),
            models.Index(fields=["usage_key", "author"], name="bx_es_reply_author"),
        ]


class SharedReaction(models.Model):
    """A learner marked a post useful; at most one per learner and post (the unique constraint).

    .. no_pii: links a learner to a post only.
    """

    post = models.ForeignKey(SharedPost, on_delete=models.CASCADE, related_name="reactions")
    learner = models.ForeignKey(Learner, on_delete=models.CASCADE, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "blended_xblocks"
        constraints = [models.UniqueConstraint(fields=["post", "learner"], name="bx_es_reaction_once")]


class SharedFlag(models.Model):
    """A learner reported a post to staff; one open flag per learner and post.

    .. pii: the reason written by the learner.
    .. pii_types: other
    .. pii_retirement: local_api (blended_xblocks.experience_sharing.posts.forget_authors)
    """

    post = models.ForeignKey(SharedPost, on_delete=models.CASCADE, related_name="flags")
    learner = models.ForeignKey(Learner, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=500, blank=True)
    resolved = models.BooleanField(default=False)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "blended_xblocks"
        constraints = [models.UniqueConstraint(fields=["post", "learner"], name="bx_es_flag_once")]


class SharingParticipation(models.Model):
    """How much a learner has contributed to one experience-sharing block, and whether that
    completed it. Rewritten from the posts and replies after each of the learner's changes.

    .. no_pii: counts only.
    """

    course_key = models.CharField(max_length=255)
    usage_key = models.CharField(max_length=255)
    # Named so that a learner's page reads it with the learner's row (participation.learner_with_participation).
    learner = models.ForeignKey(Learner, on_delete=models.CASCADE, related_name="sharing_participations")
    posts = models.PositiveIntegerField(default=0)
    replies = models.PositiveIntegerField(default=0)
    completed = models.DateTimeField(null=True, blank=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        app_label = "blended_xblocks"
        constraints = [models.UniqueConstraint(fields=["usage_key", "learner"], name="bx_es_participation_once")]
        indexes = [models.Index(fields=["course_key", "learner"], name="bx_es_participation_course")]
