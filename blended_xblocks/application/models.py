"""Calls for applications, the applications learners send, staff's reviews and their files.

`ApplicationCall` mirrors one `blended_application` block (refreshed whenever it is called), so
that places and the waitlist can be allocated under one locked row, as the webinar's seats are.
"""
from django.db import models

from blended_xblocks.platform.models import Learner


class ApplicationCall(models.Model):
    """One call (one `blended_application` block): its places and the lock for decisions.

    .. no_pii: configuration only.
    """

    course_key = models.CharField(max_length=255)
    usage_key = models.CharField(max_length=255, unique=True)
    title = models.CharField(max_length=255, blank=True)
    places = models.PositiveIntegerField(default=0)  # 0 = as many as staff select
    waitlist = models.BooleanField(default=True)
    offer_days = models.PositiveIntegerField(default=7)
    deadline = models.DateTimeField(null=True, blank=True)
    timezone = models.CharField(max_length=64, default="UTC")  # the organiser's: mails sent outside the block use it
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        app_label = "blended_xblocks"
        indexes = [models.Index(fields=["course_key"], name="bx_app_call_course")]

    def __str__(self):
        return f"{self.title or self.usage_key}"


class Application(models.Model):
    """A learner's application to one call, from the first draft to the answer to an offer.

    .. pii: the learner's answers to the call's questions and staff's message to them.
    .. pii_types: other
    .. pii_retirement: local_api (blended_xblocks.platform.retirement.retire_learner)
    """

    DRAFT, SUBMITTED, WITHDRAWN = "draft", "submitted", "withdrawn"
    SELECTED, WAITLISTED, NOT_SELECTED = "selected", "waitlisted", "not_selected"
    ACCEPTED, DECLINED, EXPIRED = "accepted", "declined", "expired"
    STATUSES = (DRAFT, SUBMITTED, WITHDRAWN, SELECTED, WAITLISTED, NOT_SELECTED, ACCEPTED, DECLINED, EXPIRED)
    HOLDING_A_PLACE = (SELECTED, ACCEPTED)

    call = models.ForeignKey(ApplicationCall, on_delete=models.CASCADE, related_name="applications")
    learner = models.ForeignKey(Learner, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=16, choices=[(s, s) for s in STATUSES], default=DRAFT)
    answers = models.JSONField(default=dict, blank=True)
    version = models.PositiveIntegerField(default=0)
    eligible = models.BooleanField(default=True)
    language = models.CharField(max_length=16, blank=True)  # the site language: mails speak it
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    offer_expires = models.DateTimeField(null=True, blank=True)
    waitlist_position = models.PositiveIntegerField(null=True, blank=True)
    message = models.TextField(blank=True)  # what staff wrote with the decision
    promoted_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)  # the open offer's one reminder went out
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        app_label = "blended_xblocks"
        constraints = [models.UniqueConstraint(fields=["call", "learner"], name="bx_app_once")]
        indexes = [models.Index(fields=["call", "status"], name="bx_app_status")]

    def __str__(self):
        return f"{self.learner_id} → {self.call_id} ({self.status})"


class ApplicationReview(models.Model):
    """One reviewer's scores for one application; reviewers score independently.

    .. pii: the reviewer's note about the applicant.
    .. pii_types: other
    .. pii_retirement: local_api (blended_xblocks.platform.retirement.retire_learner)
    """

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="reviews")
    reviewer_id = models.IntegerField()  # the staff member's platform account
    reviewer_name = models.CharField(max_length=255, blank=True)
    scores = models.JSONField(default=dict, blank=True)
    total = models.PositiveIntegerField(default=0)
    note = models.TextField(blank=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        app_label = "blended_xblocks"
        constraints = [models.UniqueConstraint(fields=["application", "reviewer_id"], name="bx_app_review_once")]

    def __str__(self):
        return f"review of {self.application_id} by {self.reviewer_id}"


class ApplicationFile(models.Model):
    """A file an applicant attached to a file question, kept in Django storage.

    .. pii: the applicant's document (a CV, a letter).
    .. pii_types: other
    .. pii_retirement: local_api (blended_xblocks.platform.retirement.retire_learner)
    """

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="files")
    question_id = models.CharField(max_length=64)
    name = models.CharField(max_length=255)
    path = models.CharField(max_length=500)
    size = models.PositiveBigIntegerField(default=0)
    content_type = models.CharField(max_length=100, blank=True)
    uploaded = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "blended_xblocks"
        constraints = [models.UniqueConstraint(fields=["application", "question_id"], name="bx_app_file_once")]

    def __str__(self):
        return self.name
