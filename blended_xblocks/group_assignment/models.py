"""Groups, shared drafts, files and grades of `blended_group_assignment`.

Every row carries the block's `usage_key` (and the course key), so the staff list and the
programme view read a whole cohort's outcomes in a few queries. Individual assignments use the
same tables with a group of one, so there is one workflow to test and one list for staff.
"""
from django.db import models

from blended_xblocks.platform.models import Learner


class AssignmentGroup(models.Model):
    """A group that works on one assignment (from OLX, staff, a learner, a team, or a group of one).

    .. no_pii: group names are chosen by course staff or learners for the group.
    """

    SOURCES = [("olx", "olx"), ("staff", "staff"), ("learner", "learner"), ("team", "team"),
               ("individual", "individual")]

    course_key = models.CharField(max_length=255)
    usage_key = models.CharField(max_length=255)
    name = models.CharField(max_length=100)
    source = models.CharField(max_length=16, choices=SOURCES)
    team_id = models.CharField(max_length=255, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "blended_xblocks"
        constraints = [models.UniqueConstraint(fields=["usage_key", "name"], name="bx_ga_group_name")]
        indexes = [models.Index(fields=["usage_key", "team_id"], name="bx_ga_group_team")]


class GroupMembership(models.Model):
    """A learner's current group in one assignment (at most one per assignment).

    .. no_pii: links a learner to a group.
    """

    usage_key = models.CharField(max_length=255)
    group = models.ForeignKey(AssignmentGroup, on_delete=models.CASCADE, related_name="memberships")
    learner = models.ForeignKey(Learner, on_delete=models.CASCADE, related_name="+")
    joined = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "blended_xblocks"
        constraints = [models.UniqueConstraint(fields=["usage_key", "learner"], name="bx_ga_member_unique")]


class GroupSubmission(models.Model):
    """The group's shared draft, its submission and its grade (one row per group).

    `version` counts text saves (optimistic locking of drafts); `grade_version` counts grade
    saves (optimistic locking between graders).

    .. pii: the text the group wrote and the instructor's feedback.
    .. pii_types: other
    .. pii_retirement: retained (group work belongs to the whole group)
    """

    NOT_STARTED, DRAFT, SUBMITTED, LATE, GRADED = "not_started", "draft", "submitted", "late", "graded"
    STATUSES = [(s, s) for s in (NOT_STARTED, DRAFT, SUBMITTED, LATE, GRADED)]

    course_key = models.CharField(max_length=255)
    usage_key = models.CharField(max_length=255)
    group = models.OneToOneField(AssignmentGroup, on_delete=models.CASCADE, related_name="submission")
    status = models.CharField(max_length=16, choices=STATUSES, default=NOT_STARTED)
    text = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=0)
    updated = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(Learner, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    submitted = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(Learner, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    late = models.BooleanField(default=False)
    levels = models.JSONField(default=dict, blank=True)
    feedback = models.TextField(blank=True)
    points = models.FloatField(null=True, blank=True)
    grade_version = models.PositiveIntegerField(default=0)
    graded = models.DateTimeField(null=True, blank=True)
    graded_by = models.CharField(max_length=150, blank=True)
    released = models.DateTimeField(null=True, blank=True)
    # The rubric's maximum when the grade was saved or released: scores reach the gradebook from a
    # worker or a command that has no block (and no rubric) at hand.
    possible = models.FloatField(null=True, blank=True)

    class Meta:
        app_label = "blended_xblocks"
        indexes = [models.Index(fields=["usage_key", "status"], name="bx_ga_sub_status")]


class SubmissionMember(models.Model):
    """Who a submission counts for (frozen at submit time) and their own points.

    A learner who later changes group keeps this row: the grade of the group that submitted.
    `score_version` counts the changes of the member's released score; `pushed_version` is the one
    the gradebook has (see docs/decisions/0003-score-release.md): pending = score_version > pushed_version.

    .. no_pii: adjustment reasons are written by staff about the learner's contribution.
    """

    usage_key = models.CharField(max_length=255)
    submission = models.ForeignKey(GroupSubmission, on_delete=models.CASCADE, related_name="members")
    learner = models.ForeignKey(Learner, on_delete=models.CASCADE, related_name="+")
    adjustment = models.FloatField(default=0)
    reason = models.CharField(max_length=500, blank=True)
    score_version = models.PositiveIntegerField(default=0)
    pushed_version = models.PositiveIntegerField(default=0)
    score_pushed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        app_label = "blended_xblocks"
        constraints = [models.UniqueConstraint(fields=["usage_key", "learner"], name="bx_ga_submember_unique")]


class SubmissionFile(models.Model):
    """A file of the group's work (`work`) or the instructor's feedback file (`feedback`).

    .. no_pii: the content lives in Django storage; here only its name and size.
    """

    submission = models.ForeignKey(GroupSubmission, on_delete=models.CASCADE, related_name="files")
    kind = models.CharField(max_length=10, default="work")
    name = models.CharField(max_length=150)
    path = models.CharField(max_length=500)
    size = models.PositiveBigIntegerField()
    content_type = models.CharField(max_length=100)
    uploaded_by = models.ForeignKey(Learner, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    uploaded = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "blended_xblocks"


class SubmissionEvent(models.Model):
    """One line of the history the group and staff see: who changed what, and when.

    .. no_pii: names are read through the `Learner` rows (blanked on retirement).
    """

    submission = models.ForeignKey(GroupSubmission, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(Learner, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(max_length=20)
    detail = models.CharField(max_length=255, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "blended_xblocks"
        indexes = [models.Index(fields=["submission", "at"], name="bx_ga_event_at")]


class SeedPlacement(models.Model):
    """An OLX-named learner was placed in their seeded group once; later staff moves stick.

    Without this row the seeded group would take the learner back on every visit or staff list.

    .. no_pii: links a learner to an assignment.
    """

    usage_key = models.CharField(max_length=255)
    learner = models.ForeignKey(Learner, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "blended_xblocks"
        constraints = [models.UniqueConstraint(fields=["usage_key", "learner"], name="bx_ga_seed_unique")]
