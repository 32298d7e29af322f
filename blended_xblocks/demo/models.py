"""What the workbench cannot show by itself: completion recorded for learners, and sent mail."""
from django.db import models


class DemoCompletion(models.Model):
    """Completion the blocks reported, as the LMS completion service would store it.

    .. no_pii: demo data only.
    """

    usage_key = models.CharField(max_length=255)
    anonymous_user_id = models.CharField(max_length=64)
    completion = models.FloatField()
    modified = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["usage_key", "anonymous_user_id"],
                                               name="demo_completion_unique")]


class SentMail(models.Model):
    """A message the demo 'sent' (shown at /outbox/ instead of leaving the machine).

    .. no_pii: demo data only.
    """

    to = models.CharField(max_length=254)
    sender = models.CharField(max_length=254)
    subject = models.CharField(max_length=255)
    text = models.TextField()
    html = models.TextField(blank=True)
    sent = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent", "-id"]


class DemoCohortMember(models.Model):
    """A learner the blocks put in a course cohort (`add_to_cohort`), as the LMS's cohorts would hold them.

    .. no_pii: demo data only.
    """

    course_key = models.CharField(max_length=255)
    cohort = models.CharField(max_length=255)
    user_id = models.BigIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["course_key", "cohort", "user_id"], name="demo_cohort_member_once")]
