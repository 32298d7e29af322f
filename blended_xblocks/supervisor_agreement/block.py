"""`blended_supervisor_agreement`: a supervisor approves a learner's time through a secure link.

The learner names a supervisor, who receives an e-mail with a personal link and decides on a
small page without any account (a third-party handler protected by a signed token). Instructors
see every learner's status, record paper forms and export CSV. Approval completes the block.
Domain rules live in `supervisor_agreement_*.py`; this module is fields, views and handlers.
"""
import hashlib
import logging

from django.utils import timezone
from django.utils.safestring import mark_safe
from xblock.completable import XBlockCompletionMode
from xblock.core import XBlock
from xblock.fields import Boolean, Float, Integer, Scope, String

from blended_xblocks.core.errors import N_, ApiError, NotFound
from blended_xblocks.core.html import AGREEMENT, read_olx_html, sanitise, write_olx_html
from blended_xblocks.core.schema import PAGINATION, Choice, Email, Str
from blended_xblocks.core.text import SINGLE_LINE
from blended_xblocks.platform import gradebook
from blended_xblocks.platform.models import Learner
from blended_xblocks.supervisor_agreement import requests as flow
from blended_xblocks.supervisor_agreement.addresses import check_supervisor_email, parse_domains
from blended_xblocks.supervisor_agreement.models import DECIDED, STATUS_APPROVED, STATUSES
from blended_xblocks.supervisor_agreement.page import handle_supervisor_request
from blended_xblocks.supervisor_agreement.staff import list_page
from blended_xblocks.xblock import downloads
from blended_xblocks.xblock.base import NOT_READ, BlendedBlockMixin, StudioEditorMixin, to_json
from blended_xblocks.xblock.handlers import UNREADABLE_REQUEST, error_response, json_handler, request_handler

log = logging.getLogger(__name__)
_ = lambda text: text  # marks field labels for extraction; Studio translates them

DEFAULT_AGREEMENT = ("<p>I agree to give the participant time to follow the sessions and do the exercises "
                     "of this training.</p>")
SUPERVISOR = {
    "name": Str(max_length=120, min_length=1, pattern=SINGLE_LINE),
    "email": Email(),
    "organisation": Str(max_length=200, min_length=1, pattern=SINGLE_LINE),
    "message": Str(max_length=2000, required=False, default=""),
}


class SupervisorAgreementBlock(StudioEditorMixin, BlendedBlockMixin, XBlock):
    """One agreement step of a programme (e.g. IOM's supervisor agreement form)."""

    i18n_domain = "supervisor_agreement"
    has_score = True
    has_custom_completion = True
    completion_mode = XBlockCompletionMode.COMPLETABLE

    display_name = String(display_name=_("Display name"), default=_("Supervisor agreement"), scope=Scope.settings,
                          help=_("The heading learners see."))
    programme = String(display_name=_("Programme"), default="", scope=Scope.settings,
                       help=_("The training's name as the supervisor should read it; empty: the course id."))
    commitment = String(display_name=_("Commitment"), default="", scope=Scope.settings,
                        help=_("The time asked of the learner, e.g. “About 25 hours between 2 May and 30 June”."))
    agreement = String(display_name=_("Agreement text"), default=DEFAULT_AGREEMENT, scope=Scope.content,
                       multiline_editor="html", help=_("What the supervisor agrees to (simple HTML: p, ul, li, strong, em)."))
    link_days = Integer(display_name=_("Link valid for (days)"), default=14, scope=Scope.settings,
                        help=_("How long the supervisor's link works (1 to 90 days)."))
    reminder_days = Integer(display_name=_("Reminder after (days)"), default=5, scope=Scope.settings,
                            help=_("Send one reminder after this many days without a decision; 0: never."))
    supervisor_email_domains = String(
        display_name=_("Supervisor e-mail domains"), default="", scope=Scope.settings,
        help=_("Only accept supervisors with an address at these domains (e.g. “iom.int, ngo.example.org”); "
               "empty: any domain the platform allows."))
    require_staff_confirmation = Boolean(
        display_name=_("Require staff confirmation"), default=False, scope=Scope.settings,
        help=_("A supervisor's approval completes the step only once course staff confirm it. Anyone can be "
               "named as a supervisor, including an address the learner owns: use this, or supervisor e-mail "
               "domains, when the approval must be checked."))
    weight = Float(display_name=_("Weight"), default=0.0, scope=Scope.settings, values={"min": 0},
                   help=_("Whole points this step is worth in the grade (all of them once approved); 0: not graded."))
    completion_published = Boolean(default=False, scope=Scope.user_state)  # last completion this learner published

    editable_fields = ("display_name", "programme", "commitment", "agreement", "link_days", "reminder_days",
                       "supervisor_email_domains", "require_staff_confirmation", "weight")

    # OLX --------------------------------------------------------------------------------------
    @classmethod
    def parse_xml(cls, node, runtime, keys):
        """Attributes are fields; the `<agreement>` child holds the agreement's HTML."""
        block = runtime.construct_xblock_from_class(cls, keys)
        for name, value in node.items():
            if name in cls.fields and name != "agreement":
                cls._set_field_if_present(block, name, value, {})
        if block.weight is not None and not float(block.weight).is_integer():  # old OLX: the nearest whole points
            block.weight = float(block.points_possible())
        child = node.find("agreement")
        if child is not None:
            block.agreement = read_olx_html(child)
        return block

    def add_xml_to_node(self, node):
        super().add_xml_to_node(node)
        node.attrib.pop("agreement", None)
        write_olx_html(node, "agreement", self.agreement)

    def validate_field_data(self, validation, data):
        from xblock.validation import ValidationMessage

        if not 1 <= int(data.link_days or 0) <= 90:
            validation.add(ValidationMessage(ValidationMessage.ERROR, self.gettext("Links must work for 1 to 90 days.")))
        if not 0 <= int(data.reminder_days or 0) < int(data.link_days or 0):
            validation.add(ValidationMessage(ValidationMessage.ERROR,
                                             self.gettext("The reminder must come before the link expires.")))
        if (data.weight or 0) < 0:
            validation.add(ValidationMessage(ValidationMessage.ERROR, self.gettext("The weight cannot be negative.")))
        elif data.weight is not None and not float(data.weight).is_integer():
            validation.add(ValidationMessage(ValidationMessage.ERROR, self.gettext(
                "The weight must be a whole number of points (0: not graded).")))

    def max_score(self):
        """The natural maximum (approved: 1); the LMS scales it to `weight`, as `points_possible` does."""
        return 1

    def points_possible(self) -> int:
        """Whole points in the gradebook: the weight (all or nothing), 1 when the weight is empty; 0: not graded."""
        return gradebook.whole_weight(self.weight, self.max_score(), where=f"blended_supervisor_agreement {self.usage_key_string}")

    def publish_score(self, anonymous_id: str, approved: bool):
        """Approved: every point of the weight; otherwise the score is withdrawn (never a 0 written over it).
        Through edx-submissions whoever decides (supervisor, instructor, the learner's own visit): one store."""
        possible = self.points_possible()
        if approved and possible:
            self.platform.set_scores({anonymous_id: (possible, possible)})
        else:
            self.platform.reset_scores([anonymous_id])

    # Domain glue ----------------------------------------------------------------------------------
    def terms(self) -> flow.Terms:
        link_days = min(max(int(self.link_days or 14), 1), 90)
        reminder = max(int(self.reminder_days or 0), 0)
        return flow.Terms(
            course_key=self.course_key_string, usage_key=self.usage_key_string, programme=self.programme or self.course_key_string,
            commitment=self.commitment or "", agreement_html=sanitise(self.agreement, AGREEMENT),
            link_days=link_days, reminder_days=reminder if reminder < link_days else 0,
            link_base=self.platform.handler_url("supervisor_review", thirdparty=True))

    def mail_limit(self) -> int:
        """Mails a learner may send to supervisors per 24 hours, over every agreement block of the course."""
        value = self.platform.block_settings().get("SUPERVISOR_MAILS_PER_DAY")
        try:
            return max(int(value), 0) if value not in (None, "") else flow.DEFAULT_MAILS_PER_DAY
        except (TypeError, ValueError):  # a mistyped setting must not break the block: the default applies
            log.warning("supervisor agreement: SUPERVISOR_MAILS_PER_DAY=%r is not a number", value)
            return flow.DEFAULT_MAILS_PER_DAY

    def trusted_proxies(self) -> int:
        """How many proxies in front of the LMS append to X-Forwarded-For (operator setting
        TRUSTED_PROXY_COUNT, default 0: the decision's address is REMOTE_ADDR)."""
        value = self.platform.block_settings().get("TRUSTED_PROXY_COUNT")
        if value in (None, ""):
            return 0
        try:
            return max(int(value), 0)
        except (TypeError, ValueError):
            log.warning("supervisor agreement: TRUSTED_PROXY_COUNT=%r is not a number", value)
            return 0

    def email_allowlists(self) -> tuple:
        """The operator's and the author's domain allowlists (each empty when not set)."""
        operator = parse_domains(self.platform.block_settings().get("SUPERVISOR_EMAIL_DOMAINS"))
        return operator, parse_domains(self.supervisor_email_domains)

    def send_mail(self, to, subject, text, html):
        self.platform.send_mail(to, subject, text, html)

    def learner_state(self, learner) -> dict:
        agreement = self.kept_with_learner("agreement")  # read with the learner's row, on the block's page
        if agreement is NOT_READ:
            return flow.state_of(flow.agreement_of(learner, self.usage_key_string), self.mail_limit(), learner=learner)
        return flow.state_of(agreement, self.mail_limit(), learner=learner, sent_today=self.kept_with_learner("mails_today"))

    def _read_learner_with_agreement(self, **where):
        """`current_learner`'s read on this block's page: the learner's row with their agreement on
        it, its current request and the mails they sent today, in one query."""
        row, read = flow.learner_with_agreement(self.usage_key_string, timezone.now(), **where)
        if read is not None:
            self.keep_with_learner(agreement=read[0], mails_today=read[1])
        return row

    def mobile_settings(self) -> dict:
        return {"programme": self.programme or self.course_key_string, "commitment": self.commitment or ""}

    def mobile_learner(self) -> dict:
        learner = self.known_learner()
        agreement = flow.agreement_of(learner, self.usage_key_string) if learner else None
        return {"status": flow.state_of(agreement, self.mail_limit(), learner=learner)["status"]}

    def learner_by_id(self, anonymous_id) -> Learner:
        learner = Learner.objects.filter(course_key=self.course_key_string, anonymous_user_id=anonymous_id).first()
        if learner is None:
            raise NotFound("unknown_user", N_("No learner with this id in the course."))
        return learner

    def apply_outcome(self, learner, before: str, after: str):
        """Completion and score follow approval, for whoever decided (supervisor or instructor)."""
        if after == before or STATUS_APPROVED not in (before, after):
            return
        value = 1.0 if after == STATUS_APPROVED else 0.0
        try:
            self.platform.complete_for([learner], value)
            self.publish_score(learner.anonymous_user_id, after == STATUS_APPROVED)
        except Exception:  # the decision stands; the learner's next visit publishes completion
            log.exception("supervisor agreement: could not publish completion/score for %s", learner.pk)

    # Views ----------------------------------------------------------------------------------------
    has_author_view = True
    author_fields = ("programme", "commitment", "link_days", "reminder_days", "supervisor_email_domains", "weight")

    def author_sections(self) -> list:
        return [(self.gettext("Agreement text"), mark_safe(sanitise(self.agreement, AGREEMENT)))]

    @XBlock.supports("multi_device")
    def student_view(self, context=None):
        state = None
        preview = self.in_preview(context)
        if self.current_user.is_authenticated and not preview:
            learner = self.current_learner(read=self._read_learner_with_agreement)
            state = self.learner_state(learner)
            approved = state["status"] == STATUS_APPROVED
            if approved != self.completion_published:
                # The safety net for a decision whose completion or score could not be recorded when
                # it was made (no completion service, the gradebook down): publish both again now.
                self.platform.complete_own(1.0 if approved else 0.0)
                self.publish_score(learner.anonymous_user_id, approved)
                self.completion_published = approved
                self.save()
        uid = "bsa-" + hashlib.sha1(self.usage_key_string.encode("utf-8")).hexdigest()[:10]
        # User text travels in an autoescaped attribute, never in init args: the XBlock runtime
        # writes those unescaped into a <script> element.
        context = {"block": self, "state": state, "uid": uid, "preview": preview, "state_json": to_json(state), "is_staff": self.is_staff,
                   "commitment": self.commitment, "statuses": STATUSES,
                   "programme": self.programme or self.course_key_string}
        scripts = ("supervisor_agreement/supervisor_agreement.js", "supervisor_agreement/supervisor_agreement_staff.js")
        return self.build_fragment("blended_xblocks/supervisor_agreement/student.html", context,
                                   js=scripts if self.is_staff else scripts[0],
                                   css="supervisor_agreement/supervisor_agreement.css",
                                   init_fn="BlendedSupervisorAgreementStaff" if self.is_staff else "BlendedSupervisorAgreement",
                                   preview=preview)

    # Learner handlers -----------------------------------------------------------------------------
    @json_handler()
    def get_state(self, data):
        return self.learner_state(self.current_learner())

    @json_handler(SUPERVISOR)
    def request_approval(self, data):
        learner = self.current_learner()
        check_supervisor_email(data["email"], learner.email, self.email_allowlists())
        flow.request_approval(learner, self.terms(), data, self.translator.language, self.send_mail,
                              self.mail_limit())
        return self.learner_state(learner)

    @json_handler({"user_id": Str(max_length=64, min_length=1, required=False)})
    def resend(self, data):
        """The learner resends their own request; staff may resend for a learner (`user_id`)."""
        if data["user_id"]:
            self.require_staff()
            learner = self.learner_by_id(data["user_id"])
            flow.resend(learner, self.terms(), self.send_mail, actor=f"instructor:{self.current_user.anonymous_id}")
            return {"user_id": learner.anonymous_user_id, "status": self.learner_state(learner)["status"]}
        learner = self.current_learner()
        flow.resend(learner, self.terms(), self.send_mail, limit=self.mail_limit())
        return self.learner_state(learner)

    @json_handler()
    def cancel_request(self, data):
        learner = self.current_learner()
        flow.cancel(learner, self.terms())
        return self.learner_state(learner)

    # Supervisor (no login) ------------------------------------------------------------------------
    @XBlock.handler
    def supervisor_review(self, request, suffix=""):
        """GET shows the agreement, POST records the decision; only the token grants access."""
        try:
            self.refuse_in_preview(request)
        except ApiError as error:
            return error_response(self, error)
        except UNREADABLE_REQUEST:  # a query Django refuses to parse: the page shows its own error for it
            pass
        return handle_supervisor_request(self, request)

    # Instructor handlers ----------------------------------------------------------------------------
    @json_handler(PAGINATION | {"status": Choice(STATUSES, required=False)}, staff=True)
    def list_agreements(self, data):
        flow.expire_due(usage_key=self.usage_key_string)
        return list_page(self.course_key_string, self.usage_key_string, data["status"], data["page"], data["page_size"])

    @json_handler({"user_id": Str(max_length=64, min_length=1), "status": Choice(DECIDED),
                   "note": Str(max_length=2000, min_length=1),
                   "expected_status": Choice(STATUSES, required=False)}, staff=True)
    def record_decision(self, data):
        learner = self.learner_by_id(data["user_id"])
        user = self.current_user
        _, before = flow.record_paper_decision(learner, self.terms(), data["status"], data["note"],
                                               user.full_name or user.username or user.anonymous_id,
                                               user.anonymous_id, expected_status=data["expected_status"])
        self.apply_outcome(learner, before, data["status"])
        return {"user_id": learner.anonymous_user_id, **self.learner_state(learner)}

    @json_handler({"user_id": Str(max_length=64, min_length=1)}, staff=True)
    def confirm_approval(self, data):
        """Staff confirm a supervisor's approval (`require_staff_confirmation`): only now does it count."""
        learner = self.learner_by_id(data["user_id"])
        user = self.current_user
        agreement, before = flow.confirm_approval(learner, self.terms(), user.full_name or user.username or user.anonymous_id,
                                                  user.anonymous_id)
        self.apply_outcome(learner, before, agreement.status)
        return {"user_id": learner.anonymous_user_id, **self.learner_state(learner)}

    @request_handler(staff=True)
    def export_agreements(self, request):
        """Redirects to the CSV, streamed by our own view (downloads.py)."""
        flow.expire_due(usage_key=self.usage_key_string)  # the file says what the list and the learner say
        return downloads.redirect(self, "agreements_csv", "supervisor-agreements.csv")
