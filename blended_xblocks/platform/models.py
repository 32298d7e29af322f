"""What we keep about the platform's people and courses: one `Learner` row per learner and course, and
the published settings of blocks that others must read without the block."""
from contextlib import nullcontext

from django.db import IntegrityError, models, transaction

from blended_xblocks.core.prepared import PreparedQuery


class LearnerQuerySet(models.QuerySet):
    """Learner rows are recorded on first sight and refreshed when the platform's names change."""

    def record(self, course_key: str, user, read=None) -> "Learner":
        """Get or create the row for `user` (a platform `CurrentUser`), refreshing what changed.
        `read(using=, course_key=, anonymous_user_id=)`: reads the row (None: no such row) with what
        a block reads with it (`learner_rows`); by default the row alone."""
        fields = {"user_id": user.user_id, "username": user.username[:150],
                  "email": (user.email or "")[:254], "full_name": (user.full_name or "")[:255]}
        learner = (read or learner_row)(using=self.db, course_key=course_key, anonymous_user_id=user.anonymous_id)
        if learner is None:
            try:
                # Outside a transaction (handlers run in autocommit, OPENEDX.md) a duplicate spoils
                # nothing, so the insert is one round trip; inside one, a savepoint keeps it usable.
                with _savepoint_in_transaction(self.db):
                    return self.create(course_key=course_key, anonymous_user_id=user.anonymous_id, **fields)
            except IntegrityError:  # created by a concurrent request
                learner = self.get(course_key=course_key, anonymous_user_id=user.anonymous_id)
        changed = {key: value for key, value in fields.items() if value and getattr(learner, key) != value}
        if changed:
            self.filter(pk=learner.pk).update(**changed)
            for key, value in changed.items():
                setattr(learner, key, value)
        return learner

    def lock(self, learner) -> None:
        """Lock the learner's row until the transaction ends: one learner's concurrent requests (two
        tabs, a double click) that write rows of their own queue here one after the other instead of
        deadlocking in the database's locks on a unique index (MariaDB's error 1213). Always the
        learner first, then the block's rows, so no two writers wait on each other in a cycle."""
        self.select_for_update().filter(pk=learner.pk).exists()


def learner_rows(course_key: str, anonymous_user_id: str):
    """The learner's row as `record` reads it (one at most), for a block to read its own rows with it:
    annotate, then cut with `[:1]`."""
    return Learner.objects.filter(course_key=course_key, anonymous_user_id=anonymous_user_id).order_by("pk")


_LEARNER = PreparedQuery(lambda course_key, anonymous_user_id: learner_rows(course_key, anonymous_user_id)[:1])


def learner_row(using=None, *, course_key: str, anonymous_user_id: str):
    """The learner's row alone (None: no such row), as `record` reads it unless given a `read`."""
    return _LEARNER.first(using=using, course_key=course_key, anonymous_user_id=anonymous_user_id)


def _savepoint_in_transaction(using):
    return transaction.atomic(using=using) if transaction.get_connection(using).in_atomic_block else nullcontext()


class Learner(models.Model):
    """A learner of one course as the blocks see them.

    Names and e-mail are copied here so that staff views over thousands of learners need no
    per-learner lookup in the platform.

    .. pii: username, email and full name of the learner; anonymous id.
    .. pii_types: username, email_address, name
    .. pii_retirement: local_api (blended_xblocks.platform.retirement.retire_learner)
    """

    course_key = models.CharField(max_length=255)
    anonymous_user_id = models.CharField(max_length=64)
    user_id = models.IntegerField(null=True, blank=True, db_index=True)
    username = models.CharField(max_length=150, blank=True)
    email = models.CharField(max_length=254, blank=True)
    full_name = models.CharField(max_length=255, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    objects = LearnerQuerySet.as_manager()

    class Meta:
        app_label = "blended_xblocks"
        constraints = [
            models.UniqueConstraint(fields=["course_key", "anonymous_user_id"], name="bx_learner_unique"),
        ]
        indexes = [
            models.Index(fields=["course_key", "username"], name="bx_learner_username"),
            models.Index(fields=["course_key", "email"], name="bx_learner_email"),
        ]

    def __str__(self):
        return f"{self.username or self.anonymous_user_id} in {self.course_key}"

    @property
    def display_name(self) -> str:
        return self.full_name or self.username or self.anonymous_user_id


class PublishedSettings(models.Model):
    """The few settings of a block that decide whether a learner's outcome can still come (a group
    assignment's deadline and whether it accepts late work; an experience sharing's linked live
    session when attendance is required), mirrored from the published block whenever it is shown
    or the course published. The programme reads them for a whole cohort in one query, to tell who
    can no longer meet a requirement; the block itself always reads its own fields.

    .. no_pii: course content only.
    """

    course_key = models.CharField(max_length=255)
    usage_key = models.CharField(max_length=255, unique=True)
    block_type = models.CharField(max_length=64)
    values = models.JSONField(default=dict, blank=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        app_label = "blended_xblocks"
        indexes = [models.Index(fields=["course_key", "block_type"], name="bx_published_settings")]

    def __str__(self):
        return self.usage_key
