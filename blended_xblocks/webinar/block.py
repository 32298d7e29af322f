"""`blended_webinar`: one live session — schedule, seats and waitlist, join link, check-in, attendance.

The block is thin: its fields are what authors edit, `WebinarSession` mirrors them for locking
and reporting, and the rules live in `webinar_seats`, `webinar_attendance`, `webinar_calendar`,
`webinar_content`, `webinar_state` and `webinar_time`. Learners' state is in
`WebinarRegistration`, never in XBlock user state, so staff can act on other learners and
reports need no runtime.
"""
from __future__ import annotations

import hashlib
import json
import logging
import math
import secrets
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from webob import Response
from xblock.completable import CompletableXBlockMixin, XBlockCompletionMode
from xblock.core import XBlock
from xblock.fields import Boolean, Float, Integer, List, Scope, String

from blended_xblocks.core.errors import N_, BadRequest, Conflict
from blended_xblocks.core.html import DESCRIPTION, plain_text, sanitise
from blended_xblocks.core.outcomes import announce
from blended_xblocks.core.schema import PAGINATION, Bool, Choice, ListOf, Obj, Str
from blended_xblocks.core.text import safe_url
from blended_xblocks.core.times import TimeError, iso, learner_zone, local_to_utc, now_utc
from blended_xblocks.platform import gradebook
from blended_xblocks.platform.models import learner_row
from blended_xblocks.webinar import attendance, page, seats, studio
from blended_xblocks.webinar import scores as webinar_scores
from blended_xblocks.webinar.api import join_allowed
from blended_xblocks.webinar.calendar import calendar_file, file_name
from blended_xblocks.webinar.content import (
    export_olx,
    fitting,
    parse_olx,
)
from blended_xblocks.webinar.mail import notify_promoted
from blended_xblocks.webinar.models import WebinarRegistration as Reg
from blended_xblocks.webinar.models import WebinarSession
from blended_xblocks.webinar.seed import apply_seeds
from blended_xblocks.webinar.state import (
    checkin_window_open,
    labels,
    learner_state,
    view_context,
)
from blended_xblocks.xblock import downloads
from blended_xblocks.xblock.base import BlendedBlockMixin, StudioEditorMixin, to_json
from blended_xblocks.xblock.handlers import json_body, json_handler, json_response, request_handler

log = logging.getLogger(__name__)
_UNREAD = object()  # a session read without the learner's registration
_ = N_  # field labels: extracted here, shown by Studio



class WebinarBlock(StudioEditorMixin, BlendedBlockMixin, CompletableXBlockMixin, XBlock):
    """A scheduled live session learners register for, join, check in to and get credit for."""

    i18n_domain = "webinar"
    studio_module = studio
    studio_assets = (("common/studio.js", "webinar/webinar_studio.js"), "webinar/webinar.css", "BlendedWebinarStudio")
    css_prefix = "bw"
    has_score = True
    has_custom_completion = True
    completion_mode = XBlockCompletionMode.COMPLETABLE

    display_name = String(display_name=_("Display name"), default=_("Webinar"), scope=Scope.settings,
                          help=_("The session title learners see."))
    start = String(display_name=_("Start"), default="", scope=Scope.settings,
                   help=_("Wall-clock start in the organiser's time zone, e.g. 2022-05-16T11:00."))
    timezone = String(display_name=_("Time zone"), default="UTC", scope=Scope.settings,
                      help=_("The organiser's IANA time zone, e.g. Africa/Dakar."))
    duration = Integer(display_name=_("Duration (minutes)"), default=90, scope=Scope.settings,
                       help=_("How long the session lasts."))
    capacity = Integer(display_name=_("Seats"), default=0, scope=Scope.settings,
                       help=_("Number of seats; 0 means unlimited."))
    waitlist = Boolean(display_name=_("Waitlist"), default=True, scope=Scope.settings,
                       help=_("When full, learners join a waitlist and move up when someone cancels."))
    registration_closes = String(display_name=_("Registration closes"), default="", scope=Scope.settings,
                                 help=_("Wall-clock time registration closes; empty means at the start."))
    join_url = String(display_name=_("Join link"), default="", scope=Scope.settings,
                      help=_("The meeting link, shown only to registered learners shortly before the start."))
    join_opens = Integer(display_name=_("Join link opens (minutes before)"), default=15, scope=Scope.settings,
                         help=_("How many minutes before the start registered learners see the join link."))
    languages = String(display_name=_("Interpretation languages"), default="", scope=Scope.settings,
                       help=_("Language codes separated by spaces, e.g. “en ar”."))
    checkin = Boolean(display_name=_("Self check-in"), default=False, scope=Scope.settings,
                      help=_("Learners check in during the session with the code the facilitator shows."))
    late_after = Integer(display_name=_("Late after (minutes)"), default=15, scope=Scope.settings,
                         help=_("A check-in this many minutes after the start counts as late."))
    recording_url = String(display_name=_("Recording link"), default="", scope=Scope.settings,
                           help=_("Shown to learners after the session."))
    weight = Float(display_name=_("Weight"), default=1.0, scope=Scope.settings,
                   help=_("Whole points this session is worth in the grade; 0: not graded. Each credit times "
                          "the weight must be whole points (50 % credit needs an even weight)."))
    late_credit = Float(display_name=_("Credit for late arrival"), default=1.0, scope=Scope.settings,
                        help=_("Share of the score (0 to 1) for a late arrival."))
    excused_credit = Float(display_name=_("Credit for excused absence"), default=0.0, scope=Scope.settings,
                           help=_("Share of the score (0 to 1) for an excused absence."))
    description = String(display_name=_("Description"), default="", scope=Scope.content,
                         help=_("What the session covers (simple HTML)."))
    speakers = List(display_name=_("Speakers"), default=[], scope=Scope.content,
                    help=_("Facilitators and experts: name and affiliation."))
    seed_registrations = List(default=[], scope=Scope.content,
                              help="Demo only: registrations created with the session (see webinar_seed).")
    olx_url_name = String(default="", scope=Scope.settings,
                          help="The OLX url_name (kept because the workbench drops it).")

    # Scores --------------------------------------------------------------------------------------
    def max_score(self):
        """Whole points (the gradebook's possible before and after a score); 0: not graded."""
        return self.points_possible()

    def points_possible(self) -> int:
        return gradebook.whole_weight(self.weight, 1, where=f"blended_webinar {self.usage_key_string}")

    # Session mirror ------------------------------------------------------------------------------
    def session_values(self) -> dict:
        try:
            start = local_to_utc(self.start, self.timezone)
            closes = local_to_utc(self.registration_closes, self.timezone)
        except TimeError:
            start = closes = None
        return {
            "course_key": self.course_key_string, "url_name": self.platform.url_name(),
            "title": self.display_name[:255], "start": start,
            "end": start + timedelta(minutes=max(self.duration, 1)) if start else None,
            "timezone": fitting("timezone", self.timezone, "UTC"), "registration_closes": closes,
            "join_url": fitting("join_url", self.join_url), "join_opens": max(self.join_opens, 0),
            "capacity": max(self.capacity, 0), "waitlist": self.waitlist, "checkin": self.checkin,
            "recording_url": fitting("recording_url", self.recording_url),
            "languages": fitting("languages", " ".join(self.languages.split())),
        }

    def session(self, shared=False, learner=None) -> WebinarSession:
        """The mirror row, refreshed when the fields changed (one query when they did not; with
        `shared`, the learner's page, none: the page's webinars read their rows together, with the
        `learner`'s registrations when there is one)."""
        values = self.session_values()
        fingerprint = hashlib.sha256(json.dumps(values, default=str, sort_keys=True).encode()).hexdigest()
        if shared:
            session = self.page_read("webinar_sessions", lambda keys: page.sessions(keys, learner)).get(
                self.usage_key_string)  # a runtime serves one learner
        else:
            session = WebinarSession.objects.filter(usage_key=self.usage_key_string).first()
        if session is None or session.fingerprint != fingerprint:
            self._forget_page_reads()  # seeds, promotions: the seats and registrations read before are stale
            if session is not None:
                vars(session).pop("seats_taken", None)
                vars(session).pop("learner_registration", None)
        if session is None:
            try:
                with transaction.atomic():
                    session = WebinarSession.objects.create(usage_key=self.usage_key_string, fingerprint=fingerprint,
                                                            **values)
                    apply_seeds(session, self.seed_registrations, self.platform)
                    return session
            except IntegrityError:
                session = WebinarSession.objects.get(usage_key=self.usage_key_string)
        if session.fingerprint != fingerprint:
            moved = (session.start, session.end) != (values["start"], values["end"])
            more_room = values["capacity"] == 0 or values["capacity"] > session.capacity
            for key, value in values.items():
                setattr(session, key, value)
            session.fingerprint = fingerprint
            session.sequence += 1 if moved else 0
            session.save()
            if more_room:
                seats.refill_after_change(session.pk, on_promoted=self._tell_promoted)
        return session

    def draft_session(self) -> WebinarSession:
        """What Studio shows: the draft schedule, never saved. Studio and the LMS share the usage key,
        so writing the mirror from a draft would move the live session, promote waitlisted learners
        and mail them before the author publishes anything."""
        draft = WebinarSession(usage_key=self.usage_key_string, **self.session_values())
        live = WebinarSession.objects.filter(usage_key=self.usage_key_string).only("pk", "sequence").first()
        if live is not None:
            draft.pk, draft.sequence = live.pk, live.sequence  # counts read the live registrations
        return draft

    def mobile_settings(self) -> dict:
        values = self.session_values()
        return {"start": iso(values["start"]), "end": iso(values["end"]), "timezone": values["timezone"],
                "registration_closes": iso(values["registration_closes"] or values["start"]),
                "capacity": values["capacity"], "waitlist": values["waitlist"], "checkin": values["checkin"],
                "languages": values["languages"].split(), "recording_url": safe_url(values["recording_url"]) or None}

    def mobile_learner(self) -> dict:
        """The learner's registration, read from the live row; the join link only in its window."""
        session = WebinarSession.objects.filter(usage_key=self.usage_key_string).first()
        learner = self.known_learner()
        registration = self.registration(session, learner) if session and learner else None
        return {"registration": registration.status if registration else "none",
                "waitlist_position": registration.waitlist_position if registration else None,
                "attendance": registration.attendance if registration else Reg.UNMARKED,
                "join_url": safe_url(session.join_url) if session and join_allowed(session, registration) else None}

    def registration(self, session, learner):
        return Reg.objects.filter(session=session, learner=learner).select_related("learner").first()

    def _page_registration(self, session, learner):
        """(the learner's registration, seats taken) from what the page's webinars read together: the
        seats come with the sessions' rows (`page.sessions`), read afresh only for a row just written."""
        registration = getattr(session, "learner_registration", _UNREAD)  # read with the sessions
        if registration is _UNREAD:  # a session row written by this request: read the learner's rows again
            registration = self.page_read("webinar_registrations",  # a runtime serves one learner
                                          lambda keys: page.registrations(keys, learner)).get(session.pk)
        if session.unlimited:
            return registration, None
        taken = getattr(session, "seats_taken", None)
        if taken is None:
            taken = self.page_read("webinar_seats", page.seats_taken).get(session.pk, 0)
        return registration, taken

    def _read_learner_with_sessions(self, **where):
        """`current_learner`'s read on a learner's page: the learner's row with the page's sessions, their
        seats and the learner's registrations, one query, kept as the page's read of the sessions
        (`session(shared=True)`); the learner's row alone when the page has no session rows yet."""
        learner, found = page.learner_with_sessions(sorted(self.page_usage_keys()), **where)
        self.keep_page_read("webinar_sessions", found or {})  # none found: `page.sessions` would find none
        return learner_row(**where) if found is None else learner

    def _forget_page_reads(self):
        keys = self.page_usage_keys()
        for name in ("webinar_seats", "webinar_registrations"):
            self.forget_per_request((name, keys))

    # Views ---------------------------------------------------------------------------------------
    @XBlock.supports("multi_device")
    def student_view(self, context=None):
        """In a preview (Studio, or the LMS's draft preview) the draft schedule is shown, never saved:
        the live session, its waitlist and its learners' mail are left alone."""
        preview = self.in_preview(context)
        user = self.current_user
        # The learner's row is recorded by looking, as every block does: staff lists of other
        # blocks (the supervisor agreement's "not requested") know whoever opened one of ours.
        learner = self.current_learner(read=self._read_learner_with_sessions) \
            if user.is_authenticated and not preview else None
        session = self.draft_session() if preview else self.session(shared=True, learner=learner)
        state = None
        if learner is not None:
            registration, taken = self._page_registration(session, learner)
            state = self._state(session, registration, taken)
        return self.build_fragment(
            "blended_xblocks/webinar/student.html",
            view_context(self, session, state) | {"state_json": to_json(state), "preview": preview},
            js=("webinar/webinar.js", "webinar/webinar_staff.js") if self.is_staff else "webinar/webinar.js",
            css="webinar/webinar.css", init_fn="BlendedWebinarStaff" if self.is_staff else "BlendedWebinar",
            preview=preview, init_args={"userTimezone": learner_zone(user.time_zone),
                                        "labels": labels(self) if self.is_staff else {}})

    has_author_view = True
    author_fields = ("start", "timezone", "duration", "registration_closes", "capacity", "waitlist", "join_url",
                     "join_opens", "languages", "checkin", "late_after", "recording_url", "weight", "late_credit",
                     "excused_credit")

    def author_sections(self) -> list:
        sections = []
        speakers = [speaker for speaker in self.speakers or [] if isinstance(speaker, dict) and speaker.get("name")]
        if speakers:
            sections.append((self.gettext("Speakers"), format_html_join(
                "", "<p>{}</p>", ((" — ".join(filter(None, (s.get("name"), s.get("affiliation")))),) for s in speakers))))
        if self.description:
            sections.append((self.gettext("Description"), mark_safe(sanitise(self.description, DESCRIPTION))))
        return sections

    # OLX -----------------------------------------------------------------------------------------
    @classmethod
    def parse_xml(cls, node, runtime, keys):
        block = runtime.construct_xblock_from_class(cls, keys)
        parse_olx(block, node)
        weight = importable_weight(block)
        if weight != block.weight:
            block.weight = float(weight)
        return block

    def add_xml_to_node(self, node):
        export_olx(self, node)

    # Learner handlers ----------------------------------------------------------------------------
    @json_handler()
    def get_state(self, data):
        learner = self.current_learner()
        session = self.session()
        return self._state(session, self.registration(session, learner))

    def _state(self, session, registration, taken=None):
        """The learner's state; a pending "you moved up" notice is shown this once."""
        state = learner_state(self, session, registration, taken=taken)
        if registration is not None and registration.promotion_unseen:
            Reg.objects.filter(pk=registration.pk).update(promotion_unseen=False)
            registration.promotion_unseen = False
        return state

    def _tell_promoted(self, registration_ids):
        """After commit: mail the learners who moved up (failures are logged, never raised)."""
        try:
            notify_promoted(self.platform, registration_ids)
        except Exception:
            log.exception("webinar: could not send promotion notices")

    @json_handler({"language": Str(max_length=16, required=False)})
    def register(self, data):
        learner = self.current_learner()
        session = self.session()
        if session.start is None:
            raise Conflict("not_scheduled", N_("This session has no date yet."))
        language = data["language"] or ""
        offered = session.language_list
        if language and language not in offered:
            raise BadRequest("invalid_language", N_("Choose one of the session's languages."), field="language")
        if not language and len(offered) == 1:
            language = offered[0]
        if not language and len(offered) > 1:
            raise BadRequest("language_required", N_("Choose the language you will follow."), field="language")
        registration = seats.register(session.pk, learner, language, now_utc(),
                                      site_language=self.translator.language)
        return learner_state(self, session, registration, taken=registration.seats_taken)

    @json_handler()
    def cancel(self, data):
        learner = self.current_learner()
        session = self.session()
        registration = seats.cancel(session.pk, learner, now_utc(), on_promoted=self._tell_promoted)
        return learner_state(self, session, registration)

    @json_handler({"code": Str(max_length=16)})
    def check_in(self, data):
        learner = self.current_learner()
        session = self.session()
        now = now_utc()
        if not session.checkin:
            raise Conflict("checkin_disabled", N_("This session has no self check-in."))
        with transaction.atomic():
            registration = Reg.objects.select_for_update().filter(session=session, learner=learner).first()
            if registration is None or registration.status != Reg.REGISTERED:
                raise Conflict("not_registered", N_("You are not registered for this session."))
            if not checkin_window_open(session, now):
                raise Conflict("checkin_closed", N_("Check-in is closed."))
            if registration.checkin_failures >= 10:
                raise Conflict("too_many_attempts", N_("Too many wrong codes. Ask the facilitator to mark you."))
            given = data["code"].upper().encode("utf-8")
            if not session.checkin_code or not secrets.compare_digest(given, session.checkin_code.encode()):
                Reg.objects.filter(pk=registration.pk).update(checkin_failures=registration.checkin_failures + 1)
                return self._refuse(BadRequest("invalid_code", N_("This code is not right. Check it and try again.")))
            if registration.attendance == Reg.UNMARKED:
                late = now > session.start + timedelta(minutes=self.late_after)
                registration.attendance = Reg.LATE if late else Reg.PRESENT
                registration.checked_in_at = now
                # The score goes the way staff marks go (one store, edx-submissions): a later mark wins.
                registration.score_earned, registration.score_possible = self._attendance_score(registration.attendance)
                registration.score_version += 1  # the row is locked
                registration.save(update_fields=["attendance", "checked_in_at", "score_earned", "score_possible",
                                                 "score_version", "updated"])
                announce(session.course_key, [registration.learner_id], "attendance")
        self._push_scores()
        return learner_state(self, session, registration)

    def _refuse(self, error):
        """Answer an error but keep the transaction (the failed-attempt counter must stick)."""
        from blended_xblocks.xblock.handlers import error_response
        return error_response(self, error)

    @request_handler()
    def calendar(self, request):
        learner = self.current_learner()
        session = self.session()
        if session.start is None:
            raise Conflict("not_scheduled", N_("This session has no date yet."))
        registration = self.registration(session, learner)
        holds_seat = registration is not None and registration.status == Reg.REGISTERED
        body = calendar_file(session, description=plain_text(self.description),
                             join_url=safe_url(session.join_url) if holds_seat else None)
        response = Response(body=body, content_type="text/calendar", charset="utf-8")
        response.content_disposition = f'attachment; filename="{file_name(session.title)}"'
        return response

    # Instructor handlers -------------------------------------------------------------------------
    @json_handler(PAGINATION | {"status": Choice(Reg.STATUSES, required=False)}, staff=True)
    def roster(self, data):
        session = self.session()
        rows, shown, counts = attendance.roster_page(session, data["page"], data["page_size"], data["status"])
        pending = counts.pop("scores_pending")
        return shown.json("learners", [attendance.roster_row(row) for row in rows], counts=counts,
                          seats_left=seats.seats_left(session, counts[Reg.REGISTERED]),
                          scores_pending=pending, scores_pending_text=self._pending_text(pending))

    @json_handler({"records": ListOf(Obj({"user_id": Str(max_length=64, min_length=1),
                                          "attendance": Choice(Reg.ATTENDANCE)}), max_items=1000)}, staff=True)
    def set_attendance(self, data):
        changes = {record["user_id"]: record["attendance"] for record in data["records"]}
        changed = attendance.apply_attendance(self.session(), changes, self._attendance_score)
        return {"updated": len(changed), **self._push_scores()}

    @request_handler(staff=True)
    def export_roster(self, request):
        """Redirects to the CSV, streamed by our own view (downloads.py)."""
        session = self.session()
        return downloads.redirect(self, "webinar_roster_csv", file_name(session.title)[:-4] + "-roster.csv")

    @request_handler(staff=True, methods=("POST",), before_body=attendance.check_import_size)
    def import_attendance(self, request):
        upload = request.POST.get("file") if request.content_type == "multipart/form-data" else None
        if upload is None or not hasattr(upload, "file"):
            raise BadRequest("file_required", N_("Choose a CSV file to import."))
        name = (upload.filename or "").lower()
        if not name.endswith((".csv", ".txt")):
            raise BadRequest("invalid_file", N_("Upload a CSV file saved as UTF-8."))
        content = upload.file.read(attendance.MAX_IMPORT_BYTES + 1)
        session = self.session()
        changes = attendance.match_import(session, attendance.parse_import(content))
        changed = attendance.apply_attendance(session, changes, self._attendance_score)
        return Response(json.dumps({"updated": len(changed), "rows": len(changes), **self._push_scores()}),
                        content_type="application/json", charset="utf-8")

    @json_handler({"regenerate": Bool(required=False)}, staff=True)
    def checkin_code(self, data):
        session = self.session()
        if data["regenerate"] or not session.checkin_code:
            session.checkin_code = "".join(secrets.choice("ABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(6))
            WebinarSession.objects.filter(pk=session.pk).update(checkin_code=session.checkin_code)
        return {"code": session.checkin_code}

    # Studio --------------------------------------------------------------------------------------
    @request_handler(methods=("POST",), preview_safe=True)
    def studio_submit(self, request):
        """The editor's save under its first name (handler names are a contract): the form's values are
        the body and `{"saved": true}` the answer; `submit_studio_edits` takes `{"values": …}` and runs
        the same checks (studio.py). Rights are checked before the body is even read."""
        self.require_author()
        self.apply_studio_edits(json_body(request))  # the live session follows when the LMS next shows the block
        return json_response({"saved": True})

    # Scores and completion -----------------------------------------------------------------------
    def _attendance_score(self, status):
        """(earned, possible) in whole points for an attendance (staff's mark or the learner's check-in);
        earned None for "unmarked": the score is withdrawn, never a 0."""
        possible = self.points_possible()
        share = attendance.credit(self, status)
        if share is None:
            return None, possible
        return gradebook.share_points(possible, share, where=f"blended_webinar {self.usage_key_string}"), possible

    def _pending_text(self, count: int) -> str:
        text = self.ngettext("{count} attendance score is still on its way to the gradebook.",
                             "{count} attendance scores are still on their way to the gradebook.", count)
        return text.format(count=count) if count else ""

    def _push_scores(self) -> dict:
        """Marked attendance reaches the gradebook now when few learners changed, else in the background."""
        usage_key = self.usage_key_string  # the key the session row mirrors
        queued = webinar_scores.dispatch(usage_key)
        return {"scores_queued": queued, "scores_pending": webinar_scores.pending_count(usage_key)}


def importable_weight(block) -> int:
    """The weight an imported course gets: whole points (the nearest, at least 1 if it was positive), raised
    to the next multiple that scores each credit exactly (weight 1 with 50 % late credit: 2), so a
    half-credit learner gets exactly half in the gradebook. Logged when it changes; Studio refuses such
    values outright."""
    weight = block.points_possible()
    if not weight:
        return weight
    try:
        step = math.lcm(*(gradebook.fraction(credit).denominator for credit in (block.late_credit, block.excused_credit)
                          if credit is not None))
    except (TypeError, ValueError, OverflowError):  # not a number: the credit itself is refused elsewhere
        return weight
    scored = -(-weight // step) * step
    if scored != weight and scored <= 100:
        log.warning("blended_webinar OLX: weight %s cannot score %s/%s credit in whole points; counted as %s",
                    block.weight, block.late_credit, block.excused_credit, scored)
        return scored
    return weight
