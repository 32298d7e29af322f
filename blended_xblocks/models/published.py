"""Block settings that others must read without the block."""
from django.db import models


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
