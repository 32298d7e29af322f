"""`blended_application`: a call for applications, its form, reviews by staff and the selection.

Applicants fill in the call's questions (drafts with versions), submit and edit until the
deadline (server time), withdraw, and answer an offer; staff list, review, decide in bulk within
`places`, and a declined or expired offer passes down the waitlist. Rules live beside this module.
"""
from __future__ import annotations

import hashlib
import logging

from django.db import IntegrityError
from django.utils.safestring import mark_safe
from xblock.core import XBlock
from xblock.fields import Boolean, Integer, List, Scope, String

from blended_xblocks.application import applying, mail, reviews, seed, selection, staff, studio
from blended_xblocks.application import files as uploads
from blended_xblocks.application.models import Application, ApplicationCall, ApplicationFile
from blended_xblocks.application.questions import (
    AnswerMap,
    add_questions_to_node,
    clean_answers,
    clean_scores,
    disqualifying,
    questions_from_node,
)
from blended_xblocks.core.errors import N_, BadRequest, Conflict, NotFound
from blended_xblocks.core.html import DESCRIPTION, read_olx_html, sanitise, write_olx_html
from blended_xblocks.core.schema import PAGINATION, Choice, Int, ListOf, Str
from blended_xblocks.core.times import (
    TimeError,
    iso,
    learner_zone,
    local_label,
    local_to_utc,
    now_utc,
    utc_offset_label,
    zone_name,
)
from blended_xblocks.xblock import downloads
from blended_xblocks.xblock.base import BlendedBlockMixin, StudioEditorMixin
from blended_xblocks.xblock.handlers import json_handler, json_response, request_handler

log = logging.getLogger(__name__)
_UNREAD = object()  # a call read without the learner's application
_ = lambda text: text  # marks field labels for extraction; Studio translates them
A = Application
SETTINGS = ("display_name", "opens", "deadline", "timezone", "agreement", "cohort")
DECIDED = (A.SELECTED, A.WAITLISTED, A.NOT_SELECTED, A.ACCEPTED, A.DECLINED, A.EXPIRED)
ANSWERS = {"answers": AnswerMap(), "version": Int(minimum=0, maximum=10**9)}


class ApplicationBlock(StudioEditorMixin, BlendedBlockMixin, XBlock):
    """One call for applications and its selection."""

    i18n_domain = "application"
    studio_module = studio
    studio_assets = (("common/studio.js", "application/application_studio.js"), "application/application.css", "BlendedApplicationStudio")
    has_author_view = True

    display_name = String(display_name=_("Display name"), default=_("Apply"), scope=Scope.settings,
                          help=_("The heading applicants see."))
    description = String(display_name=_("Description"), default="", scope=Scope.content,
                         help=_("The call: who may apply, what is offered (simple HTML)."))
    opens = String(display_name=_("Opens"), default="", scope=Scope.settings,
                   help=_("Local date and time (YYYY-MM-DDTHH:MM) from which applicants can apply; empty: at once."))
    deadline = String(display_name=_("Deadline"), default="", scope=Scope.settings,
                      help=_("Local date and time (YYYY-MM-DDTHH:MM) after which nothing can be submitted or changed."))
    timezone = String(display_name=_("Time zone"), default="UTC", scope=Scope.settings,
                      help=_("The organiser's time zone for the opening and the deadline."))
    places = Integer(display_name=_("Places"), default=0, scope=Scope.settings, values={"min": 0},
                     help=_("How many applicants can be selected; 0: no limit."))
    waitlist = Boolean(display_name=_("Waitlist"), default=True, scope=Scope.settings,
                       help=_("Keep a waitlist that moves up when an offer is declined or expires."))
    offer_days = Integer(display_name=_("Days to answer an offer"), default=7, scope=Scope.settings,
                         values={"min": 0}, help=_("Days a selected applicant has to accept; 0: no limit."))
    agreement = String(display_name=_("Supervisor agreement"), default="", scope=Scope.settings,
                       help=_("The supervisor agreement block whose status shows beside the form "
                              "(blended_supervisor_agreement/url_name)."))
    agreement_required = Boolean(display_name=_("Agreement required"), default=False, scope=Scope.settings,
                                 help=_("Applicants need their supervisor's approval to submit."))
    cohort = String(display_name=_("Cohort"), default="", scope=Scope.settings,
                    help=_("The course cohort applicants join when they accept a place; empty: none."))
    questions = List(default=[], scope=Scope.settings, help=_("The form's questions."))
    criteria = List(default=[], scope=Scope.settings, help=_("What reviewers score, with the points of each."))
    import_problems = List(default=[], scope=Scope.settings, help=_("What an import could not use, and why."))
    seed_applications = List(default=[], scope=Scope.content,
                             help="Demo only: applications submitted with the call (see application/seed.py).")

    def validate_field_data(self, validation, data):
        from xblock.validation import ValidationMessage
        for name in ("opens", "deadline"):
            try:
                local_to_utc(getattr(data, name), data.timezone or "UTC")
            except TimeError:
                validation.add(ValidationMessage(ValidationMessage.ERROR, self.gettext(
                    "The opening and the deadline must be valid local times (YYYY-MM-DDTHH:MM) in a known time zone.")))
                return
        if data.places < 0 or data.offer_days < 0:
            validation.add(ValidationMessage(ValidationMessage.ERROR, self.gettext(
                "Places and days to answer cannot be negative.")))

    # OLX ----------------------------------------------------------------------------------------
    @classmethod
    def parse_xml(cls, node, runtime, keys):
        block = runtime.construct_xblock_from_class(cls, keys)
        for name in SETTINGS:
            if node.get(name) is not None:
                setattr(block, name, node.get(name).strip()[:255])
        for name, default in (("places", 0), ("offer_days", 7)):
            try:
                setattr(block, name, min(max(int(node.get(name, default)), 0), 100_000))
            except ValueError:
                log.warning("blended_application: %s %r is not a whole number", name, node.get(name))
        block.waitlist = (node.get("waitlist", "true").lower() == "true")
        block.agreement_required = (node.get("agreement_required", "false").lower() == "true")
        description = node.find("description")
        if description is not None:
            block.description = read_olx_html(description)
        block.questions, block.criteria, problems = questions_from_node(node)
        block.import_problems = [{"code": p.code, "message": p.message, "params": p.params} for p in problems]
        block.import_problems += block.time_problems()
        block.seed_applications = seed.parse_seeds(node)
        return block

    def add_xml_to_node(self, node):
        node.tag = self.scope_ids.block_type
        for name in SETTINGS:
            if getattr(self, name):
                node.set(name, getattr(self, name))
        node.set("places", str(self.places))
        node.set("waitlist", "true" if self.waitlist else "false")
        node.set("offer_days", str(self.offer_days))
        if self.agreement_required:
            node.set("agreement_required", "true")
        if self.description:
            write_olx_html(node, "description", self.description)
        add_questions_to_node(node, list(self.questions or []), list(self.criteria or []))

    # Times and the call's row ------------------------------------------------------------------
    def zone_name(self) -> str:
        """The IANA zone the author meant; an unknown one as written (its times are then unreadable)."""
        return zone_name(self.timezone) or self.timezone

    def _instant(self, value):
        try:
            return local_to_utc(value, self.zone_name())
        except TimeError:
            log.warning("blended_application: %r in %r cannot be read", value, self.timezone)
            return None

    def opens_instant(self):
        return self._instant(self.opens)

    def opens_unreadable(self) -> bool:
        """An opening time given but unreadable (format or time zone): the call stays shut, never open at once."""
        return bool(self.opens) and self.opens_instant() is None

    def deadline_unreadable(self) -> bool:
        """A deadline given but unreadable: the call counts as closed rather than open for ever."""
        return bool(self.deadline) and self.deadline_instant() is None

    def time_problems(self) -> list[dict]:
        """Import problems for times that cannot be read, so that staff see why the call is closed."""
        problems = []
        for unreadable, value, message in (
                (self.opens_unreadable(), self.opens, N_("The opening time “{value}” (time zone “{zone}”) cannot be "
                                                          "read: the call stays closed until it is corrected.")),
                (self.deadline_unreadable(), self.deadline, N_("The deadline “{value}” (time zone “{zone}”) cannot be "
                                                               "read: the call is closed until it is corrected."))):
            if unreadable:
                problems.append({"code": "invalid_time", "message": message,
                                 "params": {"value": value, "zone": self.timezone}})
        return problems

    def check_window(self, now):
        """Refuse a change outside the call's times; an unreadable time closes the call."""
        applying.check_window(self.opens_instant(), self.deadline_instant(), now,
                              deadline_unreadable=self.deadline_unreadable(), opens_unreadable=self.opens_unreadable())

    def deadline_instant(self):
        return self._instant(self.deadline)

    def call_values(self) -> dict:
        return {"course_key": self.course_key_string, "title": self.display_name[:255], "places": max(self.places, 0),
                "waitlist": self.waitlist, "offer_days": max(self.offer_days, 0), "deadline": self.deadline_instant(),
                "timezone": self.zone_name()[:64]}

    def call_row(self, now=None, learner=None) -> ApplicationCall:
        """The call's row, created or brought up to date (never in a preview: see `call_row_read_only`);
        with `now`, read with `offers_due` (an offer past its time at `now`), and with a `learner` too,
        with `learner_application` and their status in the agreement the call shows, `learner_agreement`
        (see `selection.call_of`)."""
        values = self.call_values()
        row = selection.call_of(self.usage_key_string, now, learner, agreement_course=self.course_key_string,
                                agreement_key=self.agreement_key() if learner is not None else "")
        if row is None:
            try:
                row = ApplicationCall.objects.create(usage_key=self.usage_key_string, **values)
            except IntegrityError:
                row = ApplicationCall.objects.get(usage_key=self.usage_key_string)
            else:
                seed.apply_seeds(row, self.seed_applications, self.questions, self.platform)
                return row
        changed = {key: value for key, value in values.items() if getattr(row, key) != value}
        if changed:
            ApplicationCall.objects.filter(pk=row.pk).update(**changed)
            for key, value in changed.items():
                setattr(row, key, value)
        return row

    def call_row_read_only(self):
        return selection.call_of(self.usage_key_string) or ApplicationCall(
            usage_key=self.usage_key_string, **self.call_values())

    def after_commit(self):
        """What happens once a decision has committed: mails, and the cohort for accepted places."""
        platform, cohort, zone, deadline = self.platform, self.cohort, self.zone_name(), self.deadline_instant()

        def run(decided=(), promoted=(), accepted=()):
            if decided:
                mail.send(platform, "", decided, deadline, zone, kinds_by_status=True)
            if promoted:
                mail.send(platform, "promoted", promoted, deadline, zone)
            if accepted and cohort:
                for user_id in A.objects.filter(pk__in=list(accepted)).values_list("learner__user_id", flat=True):
                    if not user_id:
                        continue
                    try:
                        platform.add_to_cohort(user_id, cohort)
                    except Exception:  # the place stays accepted; accepting again retries the cohort
                        log.exception("blended_application: could not add user %s to cohort %r", user_id, cohort)
        return run

    # The applicant's state ---------------------------------------------------------------------
    def agreement_key(self) -> str:
        """The usage key of the supervisor agreement block the call shows ("" when none, or none such)."""
        if not self.agreement or "/" not in self.agreement:
            return ""
        block_type, _slash, url_name = self.agreement.partition("/")
        return self.platform.usage_key_for(block_type, url_name) or ""

    def agreement_status(self, learner, call=None):
        """The learner's agreement beside the form; `call`: a row read with their status (`call_row`)."""
        if not self.agreement or "/" not in self.agreement:
            return None
        usage_key = self.agreement_key()
        status = "not_requested"
        if usage_key and learner is not None and learner.pk:
            status = getattr(call, "learner_agreement", None)
            if status is None:
                from blended_xblocks.supervisor_agreement.api import agreements_in_bulk
                status = agreements_in_bulk(self.course_key_string, [usage_key], [learner.pk])[(usage_key, learner.pk)]["status"]
        return {"required": self.agreement_required, "status": status, "url": self.platform.block_url(usage_key) if usage_key else None}

    def times(self) -> dict:
        opens, deadline, zone = self.opens_instant(), self.deadline_instant(), self.zone_name()
        mine = learner_zone(self.current_user.time_zone)
        return {"opens": iso(opens), "deadline": iso(deadline), "timezone": zone,
                "deadline_organiser": f"{local_label(deadline, zone)} ({zone}, {utc_offset_label(deadline, zone)})"
                if deadline else "",
                "learner_zone": mine,
                "deadline_learner": f"{local_label(deadline, mine)} ({mine})" if deadline and mine and mine != zone else ""}

    def state_for(self, learner, now=None, call=None) -> dict:
        """The applicant's state; `call`, the call's row when the caller holds it already (the view)."""
        now = now or now_utc()
        opens, deadline = self.opens_instant(), self.deadline_instant()
        call = call or self.call_row_read_only()
        row = getattr(call, "learner_application", _UNREAD)  # read with the call's row (the view)
        if row is _UNREAD:
            row = applying.application_of(call, learner) if call.pk and learner is not None else None
        application = None
        if row is not None:
            stored = ApplicationFile.objects.filter(application=row)
            status = row.status
            if status == A.SELECTED and row.offer_expires is not None and row.offer_expires <= now:
                status = A.EXPIRED  # lapsed but not swept yet (a preview writes nothing): no offer to answer
            application = {"status": status, "answers": dict(row.answers), "version": row.version,
                           "eligible": row.eligible, "disqualified": disqualifying(self.questions, row.answers),
                           "files": [uploads.file_json(f) for f in stored], "submitted_at": iso(row.submitted_at),
                           "waitlist_position": row.waitlist_position, "offer_expires": iso(row.offer_expires),
                           "message": row.message if status in DECIDED else ""}
        return {"call": {**self.times(), "title": self.display_name, "places": self.places,
                         "open": (opens is None or now >= opens) and (deadline is None or now < deadline)
                         and not self.opens_unreadable() and not self.deadline_unreadable(),
                         "closed": (deadline is not None and now >= deadline) or self.deadline_unreadable()},
                "questions": list(self.questions), "application": application,
                "agreement": self.agreement_status(learner, call)}

    # Views --------------------------------------------------------------------------------------
    @XBlock.supports("multi_device")
    def student_view(self, context=None):
        preview = self.in_preview(context)
        learner = call = None
        if self.current_user.is_authenticated and not preview:
            learner = self.current_learner()
            now = now_utc()
            call = self.call_row(now, learner)
            selection.sweep_expired(call.pk, now, self.after_commit(),  # as the handlers do
                                    due=getattr(call, "offers_due", None))
            if getattr(call, "offers_due", True):  # offers lapsed (the learner's, perhaps): read theirs again
                vars(call).pop("learner_application", None)
        state = self.state_for(learner, call=call)
        uid = "bap-" + hashlib.sha1(self.usage_key_string.encode("utf-8")).hexdigest()[:10]
        context = {"block": self, "state": state, "uid": uid, "is_staff": self.is_staff and not preview,
                   "signed_in": learner is not None, "description": mark_safe(sanitise(self.description, DESCRIPTION)),
                   "questions_html": self.render_authored("blended_xblocks/application/questions.html",
                                                          questions=self.questions, uid=uid) if learner else "",
                   "problems": self.problem_messages()}
        staff = context["is_staff"]
        return self.build_fragment("blended_xblocks/application/student.html", context,
                                   js=("application/application.js", "application/application_staff.js") if staff
                                   else "application/application.js", css="application/application.css",
                                   init_fn="BlendedApplicationStaff" if staff else "BlendedApplication",
                                   init_args={"state": state,
                                              "criteria": self.criteria if staff else []}, preview=preview)

    author_fields = ("opens", "deadline", "timezone", "places", "waitlist", "offer_days", "agreement", "cohort")

    def author_sections(self) -> list:
        return [(self.gettext("Description"), mark_safe(sanitise(self.description, DESCRIPTION)))] if self.description else []

    def mobile_settings(self) -> dict:
        return {"deadline": iso(self.deadline_instant()), "places": self.places, "questions": list(self.questions)}

    def problem_messages(self) -> list[str]:
        messages = []
        for problem in self.import_problems or []:
            try:
                messages.append(self.gettext(problem.get("message", "")).format(**problem.get("params", {})))
            except (KeyError, IndexError, ValueError):
                messages.append(self.gettext(problem.get("message", "")))
        return messages

    # Studio -------------------------------------------------------------------------------------
    def answered_questions(self, ids) -> set:
        """The ids among `ids` that some application of this call answered (text or file); it only reads."""
        from django.db.models import Q
        call = ApplicationCall.objects.filter(usage_key=self.usage_key_string).first()
        if call is None:
            return set()
        found = set(ApplicationFile.objects.filter(application__call=call, question_id__in=ids)
                    .values_list("question_id", flat=True))
        rest = [ident for ident in ids if ident not in found]
        if rest:
            rows = A.objects.filter(call=call).filter(Q(answers__has_any_keys=rest)).values_list("answers", flat=True)
            for answers in rows.iterator():
                found.update(ident for ident in rest if ident in answers)
                if found.issuperset(rest):
                    break
        return found

    # Applicant handlers -------------------------------------------------------------------------
    @json_handler()
    def get_state(self, data):
        learner = self.current_learner()
        call = self.call_row()
        selection.sweep_expired(call.pk, now_utc(), self.after_commit())
        return self.state_for(learner)

    def _save(self, data, submit: bool):
        learner, now = self.current_learner(), now_utc()
        self.check_window(now)
        call = self.call_row()
        row = applying.application_of(call, learner)
        complete = submit or (row is not None and row.status == A.SUBMITTED)
        answers = clean_answers(self.questions, data["answers"], complete=complete,
                                files=applying.file_questions_answered(row))
        if submit and self.agreement_required:
            agreement = self.agreement_status(learner)
            if agreement is None or agreement["status"] != "approved":
                raise Conflict("agreement_required", N_("Your supervisor's agreement is needed before you submit."))
        was_submitted = row is not None and row.status == A.SUBMITTED
        row = applying.save(call, learner, answers, data["version"], submit=submit,
                            eligible=not disqualifying(self.questions, answers),
                            language=self.platform.language(), now=now)
        if submit and not was_submitted:
            platform, deadline, zone, pk = self.platform, self.deadline_instant(), self.zone_name(), row.pk
            from django.db import transaction
            transaction.on_commit(lambda: mail.send(platform, "received", [pk], deadline, zone))
        return self.state_for(learner, now)

    @json_handler(ANSWERS)
    def save_draft(self, data):
        return self._save(data, submit=False)

    @json_handler(ANSWERS)
    def submit(self, data):
        return self._save(data, submit=True)

    @json_handler()
    def withdraw(self, data):
        learner = self.current_learner()
        applying.withdraw(self.call_row(), learner, now_utc())
        return self.state_for(learner)

    @json_handler()
    def accept_offer(self, data):
        learner = self.current_learner()
        selection.answer_offer(self.call_row().pk, learner, True, now_utc(), self.after_commit())
        return self.state_for(learner)

    @json_handler()
    def decline_offer(self, data):
        learner = self.current_learner()
        selection.answer_offer(self.call_row().pk, learner, False, now_utc(), self.after_commit())
        return self.state_for(learner)

    @request_handler(methods=("POST",))
    def upload_file(self, request):
        """Attach a file to a file question (multipart: `question`, `file`), replacing the previous one."""
        learner, now = self.current_learner(), now_utc()
        self.check_window(now)
        question = uploads.file_question(self.questions, request.POST.get("question") if hasattr(request.POST, "get") else "")
        call = self.call_row()
        row = applying.application_of(call, learner)
        if row is not None and row.status not in applying.EDITABLE:
            raise Conflict("already_decided", N_("Your application has been decided; it can no longer be changed."))
        name, content, _original = uploads.read(request, question, self.platform.block_settings())
        if row is None:
            applying.save(call, learner, {}, 0, submit=False, eligible=True, language=self.platform.language(), now=now)
            row = applying.application_of(call, learner)
        stored = uploads.store(row, question["id"], name, content)
        return json_response({"file": uploads.file_json(stored), "state": self.state_for(learner, now)})

    # Staff handlers ------------------------------------------------------------------------------
    @json_handler({**PAGINATION, "status": Choice(staff.STATUS_FILTERS, required=False, default="all"),
                   "search": Str(max_length=100, required=False, default=""),
                   "sort": Choice(staff.SORTS, required=False, default="submitted")}, staff=True)
    def list_applications(self, data):
        call, now = self.call_row(), now_utc()
        result = staff.page(call, status=data["status"], search=data["search"], sort=data["sort"], page=data["page"],
                            page_size=data["page_size"], reviewer_id=self.current_user.user_id or 0, now=now,
                            sweep=lambda: selection.sweep_expired(call.pk, now, self.after_commit()))
        result["questions"], result["criteria"] = list(self.questions), list(self.criteria)
        return result

    @json_handler({"user_id": Int(minimum=1, maximum=2**31)}, staff=True)
    def get_application(self, data):
        call = self.call_row()
        row = (A.objects.filter(call=call, learner__user_id=data["user_id"]).exclude(status=A.DRAFT)
               .select_related("learner").first())
        if row is None:
            raise NotFound("unknown_user", N_("User {user_id} has not applied to this call."), user_id=data["user_id"])
        stored = ApplicationFile.objects.filter(application=row)
        return {"user_id": data["user_id"], "name": row.learner.display_name, "username": row.learner.username,
                "email": row.learner.email, "status": row.status, "eligible": row.eligible,
                "disqualified": disqualifying(self.questions, row.answers), "answers": dict(row.answers),
                "submitted_at": iso(row.submitted_at), "waitlist_position": row.waitlist_position,
                "offer_expires": iso(row.offer_expires), "message": row.message,
                "files": [{**uploads.file_json(f), "url": downloads.download_url(
                    kind="application_file", usage_key=self.usage_key_string, course_key=self.course_key_string,
                    user_id=self.current_user.user_id, filename=f.name, applicant=data["user_id"],
                    question=f.question_id)} for f in stored],
                **reviews.summary(row, self.current_user.user_id or 0)}

    @json_handler({"user_id": Int(minimum=1, maximum=2**31), "scores": AnswerMap(max_keys=50),
                   "note": Str(max_length=5000, required=False, default="")}, staff=True)
    def review(self, data):
        scores = clean_scores(self.criteria, data["scores"])
        return reviews.review(self.call_row(), data["user_id"], self.current_user.user_id or 0,
                              self.current_user.full_name or self.current_user.username, scores, data["note"])

    @json_handler({"user_ids": ListOf(Int(minimum=1, maximum=2**31), max_items=2000),
                   "decision": Choice(selection.DECISIONS), "message": Str(max_length=5000, required=False, default="")},
                  staff=True)
    def decide(self, data):
        if not data["user_ids"]:
            raise BadRequest("required", N_("“{field}” is required."), field="user_ids")
        return selection.decide(self.call_row().pk, data["user_ids"], data["decision"], data["message"], now_utc(),
                                self.after_commit())

    @request_handler(staff=True, methods=("GET",))
    def export_applications(self, request):
        self.call_row()
        return downloads.redirect(self, "applications_csv", "applications.csv",
                                  questions=[question["id"] for question in self.questions])

    @request_handler(staff=True, methods=("GET",))
    def download_files(self, request):
        self.call_row()
        return downloads.redirect(self, "application_files_zip", "application-files.zip")

