"""A programme's requirements as published, and the certificates learners earn by meeting them."""
from django.db import models

from blended_xblocks.platform.models import Learner


class ProgrammeDefinition(models.Model):
    """What one progress block asks of learners, copied here whenever the block is rendered or
    the course published: the certificate gate and workers must judge a learner without a block.

    .. no_pii: course content only.
    """

    course_key = models.CharField(max_length=255)
    usage_key = models.CharField(max_length=255, unique=True)
    title = models.CharField(max_length=255, blank=True)
    certificate_title = models.CharField(max_length=255, blank=True)
    issuer = models.CharField(max_length=255, blank=True)
    release = models.DateTimeField(null=True, blank=True)
    weight = models.PositiveIntegerField(default=1)  # whole points in the gradebook once met (0: not graded)
    requirements = models.JSONField(default=list, blank=True)
    # usage key of each block the requirements name, "" for a block the course no longer has.
    resolved_blocks = models.JSONField(default=dict, blank=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        app_label = "blended_xblocks"
        indexes = [models.Index(fields=["course_key"], name="bx_pg_def_course")]

    def __str__(self):
        return f"{self.title or self.usage_key}"


class ProgrammeCertificate(models.Model):
    """A learner's certificate for meeting a programme: issued once, verifiable by its code,
    revocable by staff. The name is the one the learner had when it was issued.

    .. pii: the learner's full name as printed on the certificate.
    .. pii_types: name
    .. pii_retirement: local_api (blended_xblocks.platform.retirement.retire_learner)
    """

    course_key = models.CharField(max_length=255)
    usage_key = models.CharField(max_length=255)
    learner = models.ForeignKey(Learner, on_delete=models.CASCADE, related_name="+")
    code = models.CharField(max_length=32, unique=True)
    full_name = models.CharField(max_length=255, blank=True)
    issued_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.CharField(max_length=500, blank=True)
    revoked_by = models.CharField(max_length=150, blank=True)

    class Meta:
        app_label = "blended_xblocks"
        constraints = [models.UniqueConstraint(fields=["usage_key", "learner"], name="bx_pg_cert_once")]
        indexes = [models.Index(fields=["course_key", "learner"], name="bx_pg_cert_course")]

    def __str__(self):
        return f"{self.code} ({self.usage_key})"
