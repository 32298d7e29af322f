"""A webinar's schedule and who registered and attended: the `blended_webinar` block's outcomes.

The block's fields are the authoring truth; `WebinarSession` mirrors them (refreshed whenever the
block is rendered, edited or called) so that seat allocation can lock one row, and so that other
blocks and reports can read schedules and attendance for a whole course in one query.
"""
from django.db import models

from blended_xblocks.platform.models import Learner


class WebinarSession(models.Model):
    """One scheduled live session (one `blended_webinar` block).

    .. no_pii: schedule and configuration only.
    """

    course_key = models.CharField(max_length=255)
    usage_key = models.CharField(max_length=255, unique=True)
    url_name = models.CharField(max_length=255, blank=True)
    title = models.CharField(max_length=255, blank=True)
    start = models.DateTimeField(null=True, blank=True)
    end = models.DateTimeField(null=True, blank=True)
    timezone = models.CharField(max_length=64, default="UTC")
    registration_closes = models.DateTimeField(null=True, blank=True)
    join_url = models.CharField(max_length=1000, blank=True)
    join_opens = models.PositiveIntegerField(default=15)
    capacity = models.PositiveIntegerField(default=0)  # 0 = unlimited
    waitlist = models.BooleanField(default=True)
    checkin = models.BooleanField(default=False)
    recording_url = models.CharField(max_length=1000, blank=True)
    languages = models.CharField(max_length=255, blank=True)
    checkin_code = models.CharField(max_length=16, blank=True)
    # Calendar SEQUENCE: bumped whenever the time changes, so calendar apps update the event.
    sequence = models.PositiveIntegerField(default=0)
    fingerprint = models.CharField(max_length=64, blank=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        app_label = "blended_xblocks"
        indexes = [
            models.Index(fields=["course_key", "url_name"], name="bx_webinar_url_name"),
            models.Index(fields=["course_key", "start"], name="bx_webinar_start"),
        ]

    def __str__(self):
        return f"{self.title or self.url_name} ({self.usage_key})"

    @property
    def unlimited(self) -> bool:
        return self.capacity == 0

    @property
    def language_list(self) -> list:
        return self.languages.split()


class WebinarRegistration(models.Model):
    """A learner's place in a session and their attendance.

    .. no_pii: links a Learner (which holds the personal data) to a session.
    """

    REGISTERED, WAITLISTED, CANCELLED = "registered", "waitlisted", "cancelled"
    STATUSES = (REGISTERED, WAITLISTED, CANCELLED)
    UNMARKED, PRESENT, LATE, EXCUSED, ABSENT = "unmarked", "present", "late", "excused", "absent"
    ATTENDANCE = (UNMARKED, PRESENT, LATE, EXCUSED, ABSENT)

    session = models.ForeignKey(WebinarSession, on_delete=models.CASCADE, related_name="registrations")
    learner = models.ForeignKey(Learner, on_delete=models.CASCADE, related_name="webinar_registrations")
    status = models.CharField(max_length=16, choices=[(s, s) for s in STATUSES], default=REGISTERED)
    waitlist_position = models.PositiveIntegerField(null=True, blank=True)
    language = models.CharField(max_length=16, blank=True)
    attendance = models.CharField(max_length=16, choices=[(a, a) for a in ATTENDANCE], default=UNMARKED)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    checkin_failures = models.PositiveSmallIntegerField(default=0)
    # The site language the learner used when registering: their promotion e-mail speaks it.
    site_language = models.CharField(max_length=16, blank=True)
    # Set when the learner moved up from the waitlist; `promotion_unseen` until their page said so.
    promoted_at = models.DateTimeField(null=True, blank=True)
    promotion_unseen = models.BooleanField(default=False)
    # The score staff attendance earns, kept here until it reaches the gradebook (blended_xblocks.platform.gradebook):
    # pending while score_version > pushed_version. None until attendance was first marked by staff.
    score_earned = models.FloatField(null=True, blank=True)
    score_possible = models.FloatField(null=True, blank=True)
    score_version = models.PositiveIntegerField(default=0)
    pushed_version = models.PositiveIntegerField(default=0)
    score_pushed_at = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        app_label = "blended_xblocks"
        constraints = [
            models.UniqueConstraint(fields=["session", "learner"], name="bx_webinar_reg_unique"),
        ]
        indexes = [
            models.Index(fields=["session", "status", "waitlist_position"], name="bx_webinar_reg_status"),
            models.Index(fields=["session", "attendance"], name="bx_webinar_reg_attendance"),
        ]

    def __str__(self):
        return f"{self.learner_id} {self.status} in {self.session_id}"

    @property
    def attended(self) -> bool:
        return self.attendance in (self.PRESENT, self.LATE)
