"""Supervisor agreements: one `SupervisorAgreement` per learner and block, one
`SupervisorRequest` per link sent to a supervisor, and an append-only `AgreementEvent` trail.

The agreement row is the lock every transition takes (`select_for_update`), so a learner
changing supervisor, a supervisor deciding and an instructor recording a paper form are
serialised and exactly one of two racing decisions wins. A request keeps a snapshot of what the
supervisor was asked to agree to (text, commitment, programme) and only a hash of its link.
"""
from django.db import models

STATUS_NOT_REQUESTED = "not_requested"
STATUS_PENDING = "pending"
STATUS_AWAITING_STAFF = "awaiting_staff"  # the supervisor approved; course staff have yet to confirm it
STATUS_APPROVED = "approved"
STATUS_DECLINED = "declined"
STATUS_EXPIRED = "expired"
STATUSES = (STATUS_NOT_REQUESTED, STATUS_PENDING, STATUS_AWAITING_STAFF, STATUS_APPROVED, STATUS_DECLINED,
            STATUS_EXPIRED)
DECIDED = (STATUS_APPROVED, STATUS_DECLINED)  # what an instructor may record from a paper form
ANSWERED = (*DECIDED, STATUS_AWAITING_STAFF)  # the supervisor's link has been used

REQUEST_PENDING = "pending"
REQUEST_STATUSES = ("pending", "approved", "declined", "expired", "cancelled", "superseded")


class SupervisorAgreement(models.Model):
    """Where one learner stands with one agreement block.

    .. no_pii: status only; the people are in SupervisorRequest and Learner.
    """

    learner = models.ForeignKey("blended_xblocks.Learner", on_delete=models.CASCADE,
                                related_name="supervisor_agreements")
    course_key = models.CharField(max_length=255)
    usage_key = models.CharField(max_length=255)
    status = models.CharField(max_length=16, default=STATUS_NOT_REQUESTED)
    current_request = models.ForeignKey("SupervisorRequest", null=True, blank=True,
                                        on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.CharField(max_length=16, blank=True)  # "supervisor" or "instructor"
    decider_name = models.CharField(max_length=255, blank=True)
    decision_note = models.TextField(blank=True)
    modified = models.DateTimeField(auto_now=True)

    class Meta:
        app_label = "blended_xblocks"
        constraints = [models.UniqueConstraint(fields=["learner", "usage_key"], name="bx_sa_unique")]
        indexes = [models.Index(fields=["course_key", "usage_key", "status"], name="bx_sa_status")]


class SupervisorRequest(models.Model):
    """One link sent to one supervisor; the token itself is never stored, only its SHA-256.

    .. pii: supervisor name, e-mail, organisation, the learner's message, signer name, IP and
       user agent of the decision.
    .. pii_types: name, email_address, ip, other
    .. pii_retirement: local_api (blended_xblocks.supervisor_agreement.requests.retire)
    """

    agreement = models.ForeignKey(SupervisorAgreement, on_delete=models.CASCADE, related_name="requests")
    status = models.CharField(max_length=16, default=REQUEST_PENDING)
    supervisor_name = models.CharField(max_length=120)
    supervisor_email = models.CharField(max_length=254)
    organisation = models.CharField(max_length=200)
    message = models.TextField(blank=True)
    language = models.CharField(max_length=16, default="en")
    # What the supervisor is asked to agree to, as it was when the request was made.
    learner_name = models.CharField(max_length=255)
    programme = models.CharField(max_length=255)
    commitment = models.CharField(max_length=500, blank=True)
    agreement_html = models.TextField(blank=True)
    link_base = models.CharField(max_length=1000)
    link_days = models.PositiveIntegerField(default=14)
    token_hash = models.CharField(max_length=64, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    last_sent_at = models.DateTimeField()
    send_count = models.PositiveIntegerField(default=1)
    remind_at = models.DateTimeField(null=True, blank=True)
    reminded = models.BooleanField(default=False)
    expires_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)
    signer_name = models.CharField(max_length=120, blank=True)
    reason = models.TextField(blank=True)
    decision_ip = models.CharField(max_length=45, blank=True)
    decision_user_agent = models.CharField(max_length=300, blank=True)

    class Meta:
        app_label = "blended_xblocks"
        indexes = [models.Index(fields=["status", "remind_at"], name="bx_sareq_remind"),
                   models.Index(fields=["status", "expires_at"], name="bx_sareq_expire")]


class AgreementEvent(models.Model):
    """Audit trail: who did what to an agreement, when, from where.

    .. pii: signer name, IP address and user agent.
    .. pii_types: name, ip, other
    .. pii_retirement: local_api (blended_xblocks.supervisor_agreement.requests.retire)
    """

    agreement = models.ForeignKey(SupervisorAgreement, on_delete=models.CASCADE, related_name="events")
    request = models.ForeignKey(SupervisorRequest, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="events")
    kind = models.CharField(max_length=16)  # requested, resent, reminded, cancelled, approved, ...
    actor = models.CharField(max_length=80)  # learner, supervisor, instructor:<id>, system
    by_learner = models.BooleanField(default=False)  # counts towards the learner's mail limit
    signer_name = models.CharField(max_length=120, blank=True)
    note = models.TextField(blank=True)
    ip = models.CharField(max_length=45, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    created = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        app_label = "blended_xblocks"
        ordering = ["id"]
