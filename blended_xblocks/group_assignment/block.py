"""`blended_group_assignment`: group or individual work that instructors grade with a rubric.

Fields, views and thin handlers; the rules live in `group_assignment_*.py` (groups, drafts,
files, grading, exports, OLX). See docs/blended_group_assignment.md for the JSON API.
"""
from __future__ import annotations

import hashlib
import logging

from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from xblock.core import XBlock
from xblock.fields import Boolean, Float, Integer, List, Scope, String
from xblock.validation import ValidationMessage

from blended_xblocks.core import uploads
from blended_xblocks.core.errors import N_, BadRequest, Conflict, NotFound
from blended_xblocks.core.html import PROMPT, sanitise
from blended_xblocks.core.schema import PAGINATION, Choice, Int, ListOf, Obj, Str
from blended_xblocks.core.times import iso, learner_zone
from blended_xblocks.group_assignment import drafts, files, grading, groups, learner_rows, scores, studio
from blended_xblocks.group_assignment.grading import LevelMap
from blended_xblocks.group_assignment.models import (
    GroupSubmission,
    SubmissionFile,
    SubmissionMember,
)
from blended_xblocks.group_assignment.olx import (
    export_children,
    max_points,
    parse_children,
    settings_errors,
)
from blended_xblocks.platform import gradebook
from blended_xblocks.xblock import downloads
from blended_xblocks.xblock.base import BlendedBlockMixin, StudioEditorMixin, to_json
from blended_xblocks.xblock.handlers import json_handler, json_response, request_handler

log = logging.getLogger(__name__)

_ = lambda text: text  # noqa: E731  (marked for extraction; Studio translates field labels)

DEFAULT_RUBRIC = [{"name": "quality", "label": "Quality of the work",
                   "levels": [{"points": 0, "label": "Missing"}, {"points": 2, "label": "Partial"},
                              {"points": 4, "label": "Complete"}]}]
CONTENT_CHILDREN = ("prompt", "rubric", "groups")
OLX_NAMES = {"due": "assignment_due"}
STATUSES = [s for s, _label in GroupSubmission.STATUSES]
MAX_TEXT = 50_000


class GroupAssignmentBlock(StudioEditorMixin, BlendedBlockMixin, XBlock):
    """An individual or group assignment graded on a rubric; grades reach the gradebook once released."""

    i18n_domain = "group_assignment"
    studio_module = studio  # the author's form: settings, the rubric and seeded groups as rows (never raw JSON)
    studio_assets = (("common/studio.js", "group_assignment/group_assignment_studio.js"), "group_assignment/group_assignment_studio.css",
                     "BlendedGroupAssignmentStudio")
    has_score = True
    has_custom_completion = True
    editable_fields = ("display_name", "mode", "teamset", "max_group_size", "self_enrolment", "assignment_due",
                       "timezone", "late_submissions", "max_files", "max_file_mb", "file_types", "weight",
                       "prompt", "rubric", "groups")

    display_name = String(display_name=_("Display name"), default=_("Group assignment"), scope=Scope.settings)
    mode = String(display_name=_("Mode"), help=_("group: one shared submission per group; individual: one per learner."),
                  default="group", values=["group", "individual"], scope=Scope.settings)
    teamset = String(display_name=_("Teamset"), help=_("Open edX teamset whose teams are the groups (LMS only)."),
                     default="", scope=Scope.settings)
    max_group_size = Integer(display_name=_("Maximum group size"), default=5, scope=Scope.settings)
    self_enrolment = Boolean(display_name=_("Learners form their own groups"), default=False, scope=Scope.settings)
    # OLX attribute `due`; stored apart from the LMS's inherited `due` (a date from the subsection).
    assignment_due = String(display_name=_("Due"), help=_("Wall-clock date and time, e.g. 2022-06-10T23:59."),
                            default="", scope=Scope.settings)
    timezone = String(display_name=_("Time zone"), help=_("IANA time zone of the due date, e.g. Europe/Zurich."),
                      default="UTC", scope=Scope.settings)
    late_submissions = Boolean(display_name=_("Accept late submissions"), default=False, scope=Scope.settings)
    max_files = Integer(display_name=_("Maximum number of files"), default=5, scope=Scope.settings)
    max_file_mb = Integer(display_name=_("Maximum file size (MB)"), default=20, scope=Scope.settings)
    file_types = String(display_name=_("Allowed file types"), default=".pdf .docx .xlsx .pptx .jpg .png",
                        scope=Scope.settings)
    weight = Float(display_name=_("Weight"), default=None, scope=Scope.settings,
                   help=_("Empty: the rubric's points count in the grade, as whole points. 0: not graded."))
    prompt = String(display_name=_("Prompt"), default="", scope=Scope.content, multiline_editor="html")
    rubric = List(display_name=_("Rubric"), default=DEFAULT_RUBRIC, scope=Scope.content,
                  help=_('JSON: [{"name", "label", "levels": [{"points", "label"}]}]. Max points = sum of best levels.'))
    groups = List(display_name=_("Seeded groups"), default=[], scope=Scope.content,
                  help=_('JSON: [{"name": "Team Sahel", "members": ["username", ...]}].'))

    # OLX ----------------------------------------------------------------------------------------
    @classmethod
    def parse_xml(cls, node, runtime, keys):
        block = runtime.construct_xblock_from_class(cls, keys)
        for name, value in node.items():
            name = OLX_NAMES.get(name, name)
            if name not in CONTENT_CHILDREN and name in block.fields and name != "due":
                cls._set_field_if_present(block, name, value, {})
        content = parse_children(node)
        block.prompt = content["prompt"]
        block.rubric = content["rubric"] or DEFAULT_RUBRIC
        block.groups = content["groups"]
        weight = block.weight
        if weight is not None and weight != 0 and weight != block.max_score():  # old OLX (e.g. weight="1")
            log.warning("blended_group_assignment OLX: weight %r ignored, the rubric's %s points count", weight,
                        block.max_score())
            block.weight = None
        return block

    def add_xml_to_node(self, node):
        node.tag = self.xml_element_name()
        node.set("xblock-family", self.entry_point)
        for name, field in self.fields.items():
            if name not in CONTENT_CHILDREN + ("children", "parent", "content", "due") and field.is_set_on(self):
                self._add_field(node, name, field)
        if node.get("assignment_due") is not None:
            node.set("due", node.attrib.pop("assignment_due"))
        export_children(node, self.prompt, self.rubric, self.groups)

    def validate_field_data(self, validation, data):
        """Studio refuses settings the block could not work with (checked before they are stored)."""
        for message in settings_errors(data, self.gettext):
            validation.add(ValidationMessage(ValidationMessage.ERROR, message))

    def max_score(self):
        """The rubric's points, whole (the gradebook counts whole points; a decimal rubric from old OLX
        counts as the nearest whole number and its scores are scaled to it)."""
        return gradebook.whole_weight(max_points(self.rubric), 0, where=f"blended_group_assignment {self.usage_key_string}")

    def points_possible(self) -> int:
        """What the gradebook counts: the rubric's points (`max_score`), or 0 when the weight is 0 (not
        graded). Studio accepts no other weight; one stored before this rule is logged and ignored."""
        if self.weight is not None and self.weight <= 0:
            return 0
        maximum = self.max_score()
        if self.weight is not None and self.weight != maximum:
            log.warning("blended_group_assignment %s: weight %r ignored, the rubric's %s points count",
                        self.usage_key_string, self.weight, maximum)
        return maximum

    # Helpers ------------------------------------------------------------------------------------
    @property
    def due_at(self):
        return drafts.due_datetime(self.assignment_due, self.timezone)

    def _group(self, learner):
        """The learner's group (created/mirrored as needed), or None if they have none yet."""
        if self.mode == "individual":
            return groups.individual_group(self.course_key_string, self.usage_key_string, learner)
        if self.teamset and self.platform.teams_available():
            team = self.platform.team_for_current_user(self.teamset)
            return groups.sync_team(self.course_key_string, self.usage_key_string, team,
                                    resolve=self.platform.teammates) if team else None
        groups.seed_groups(self.course_key_string, self.usage_key_string, self.groups)
        membership = groups.membership_of(self.usage_key_string, learner)
        if membership is None and self.groups:
            if groups.place_seeded_learner(self.usage_key_string, learner, self.groups):
                scores.dispatch(self.usage_key_string)  # arrived after the release: the group's grade counts for them
            membership = groups.membership_of(self.usage_key_string, learner)
        return membership.group if membership else None

    @property
    def upload_limit_mb(self) -> int:
        return uploads.effective_max_mb(self.max_file_mb, self.platform.block_settings())

    def _my_submission(self, learner) -> GroupSubmission:
        group = self._group(learner)
        if group is None:
            raise Conflict("no_group", N_("Join a group first."))
        return GroupSubmission.objects.get(group=group)

    def _can_self_enrol(self):
        return self.mode == "group" and self.self_enrolment and not (self.teamset and self.platform.teams_available())

    def _state(self, learner, shared=False) -> dict:
        """`shared`: the learner's page, where the unit's assignments read their rows together
        (`learner_rows`); a group joined or placed in this request reads its own."""
        page = self.page_read("assignment_rows", lambda keys: learner_rows.page_rows(keys, learner)) if shared else None
        group = self._page_group(page)
        known = group is not None or (page is not None and self._team_managed())
        group = group or self._group(learner)
        member = page["counted"].get(self.usage_key_string) if known else grading._UNREAD
        maximum = max_points(self.rubric)
        due = self.due_at
        state = {"mode": self.mode, "due": iso(due), "timezone": drafts.resolve_zone(self.timezone),
                 "past_due": bool(due and drafts.dj_timezone.now() > due),
                 "late_submissions": self.late_submissions, "max_files": self.max_files,
                 "max_file_mb": self.upload_limit_mb, "file_types": uploads.allowed_types(self.file_types),
                 "max_points": maximum, "can_change_group": self._can_self_enrol(), "group": None,
                 "groups": [], "status": None, "draft": None, "files": [], "history": [],
                 "result": grading.learner_result(self.usage_key_string, learner, self.rubric, maximum, member=member)}
        if group is None:
            if state["can_change_group"]:
                state["groups"] = groups.open_groups(self.usage_key_string, self.max_group_size, self.groups)
            return state
        submission, members, visible, events = self._group_rows(group, learner, page)
        state.update(
            group={"id": group.id, "name": grading.group_label(group, None) if self.mode == "group" else "",
                   "members": members, "team": bool(group.team_id)},
            status=drafts.learner_status(submission), late=submission.late, submitted=iso(submission.submitted),
            submitted_by=submission.submitted_by.display_name if submission.submitted_by else None,
            draft=drafts.draft_json(submission), history=drafts.history(submission, self.gettext, learner_view=True, events=events),
            files=[files.file_json(f) for f in visible])
        return state

    def _team_managed(self) -> bool:
        return bool(self.teamset and self.mode == "group" and self.platform.teams_available())

    def _page_group(self, page):
        """The learner's group as the page read it (None: not read, none yet, or an Open edX team,
        which is mirrored on every visit)."""
        if page is None or self._team_managed():
            return None
        row = page["current"].get(self.usage_key_string)
        return row.group if row is not None else None

    def _group_rows(self, group, learner, page):
        """(submission, members' names, files the learner may see, history events or None: read them) of
        the learner's group; from what the page's assignments read together when it has them (never for
        an Open edX team: `_group` has just mirrored it, and the page read its members before)."""
        if page is None or group.pk not in page["rows"] or self._team_managed():
            submission = GroupSubmission.objects.select_related("updated_by", "submitted_by").get(group=group)
            members = [m.learner.display_name for m in group.memberships.select_related("learner").order_by("pk")]
            return submission, members, self._visible_files(submission), None
        submission, members, all_files, events = page["rows"][group.pk]
        return submission, members, [f for f in all_files if f.kind == "work" or submission.released], events

    def mobile_settings(self) -> dict:
        return {"mode": self.mode, "due": iso(self.due_at), "timezone": drafts.resolve_zone(self.timezone),
                "late_submissions": self.late_submissions, "max_points": max_points(self.rubric), "weight": self.weight}

    def mobile_learner(self) -> dict:
        """The learner's submission status and released grade (no group is created or joined here)."""
        learner = self.known_learner()
        membership = groups.membership_of(self.usage_key_string, learner) if learner else None
        submission = getattr(membership.group, "submission", None) if membership else None
        result = grading.learner_result(self.usage_key_string, learner, self.rubric, max_points(self.rubric)) \
            if learner else None
        return {"status": drafts.learner_status(submission) if submission else None,
                "group": membership.group.name if membership and self.mode == "group" else None,
                "grade": {"points": result["points"], "max_points": result["max_points"]} if result else None}

    def _visible_files(self, submission):
        query = SubmissionFile.objects.filter(submission=submission).select_related("uploaded_by").order_by("pk")
        return [f for f in query if f.kind == "work" or submission.released]

    # Views --------------------------------------------------------------------------------------
    @XBlock.supports("multi_device")
    def student_view(self, context=None):
        staff = self.is_staff
        preview = self.in_preview(context)
        learner = None
        if not staff and not preview and self.current_user.is_authenticated:
            learner = self.current_learner(read=self._read_learner_with_settings)  # with the stored copy
        if not preview:
            self.publish_settings()
        uid = "bga-" + hashlib.sha1(self.usage_key_string.encode("utf-8")).hexdigest()[:10]
        context = {"block": self, "uid": uid, "prompt_html": sanitise(self.prompt, PROMPT), "rubric": self.rubric,
                   "rubric_html": self.rubric_html(), "max_points": max_points(self.rubric), "staff": staff,
                   "due": iso(self.due_at)}
        if not staff:  # the upload's limits are settings: the page says them, not its script
            types = uploads.allowed_types(self.file_types)
            context.update(file_types=types, file_types_text=" ".join(types), max_file_mb=self.upload_limit_mb)
        # What `get_state` would answer, in the page (one round trip); null for staff, and for a visitor
        # not signed in (their page asks `get_state`, which explains the refusal).
        context["state_json"] = to_json(self._state(learner, shared=True) if learner else None)
        name = "staff" if staff else "student"
        script = "group_assignment/group_assignment_staff.js" if staff else "group_assignment/group_assignment.js"
        return self.build_fragment(f"blended_xblocks/group_assignment/{name}.html", context, js=script,
                                   css=("group_assignment/group_assignment.css", f"group_assignment/group_assignment_{name}.css"),
                                   init_fn="BlendedGroupAssignmentStaff" if staff else "BlendedGroupAssignment",
                                   preview=preview,
                                   init_args={"due": context["due"], "timezone": drafts.resolve_zone(self.timezone),
                                              "userTimezone": learner_zone(self.current_user.time_zone)})

    def publish_settings(self):
        """Mirror the deadline for the programme, which tells who can no longer submit (group_assignment_api)."""
        self.mirror_settings({"due": iso(self.due_at), "late_submissions": bool(self.late_submissions)})

    def rubric_html(self) -> str:
        return self.render_authored("blended_xblocks/group_assignment/rubric.html", rubric=self.rubric)

    has_author_view = True
    author_fields = ("mode", "teamset", "max_group_size", "self_enrolment", "assignment_due", "timezone",
                     "late_submissions", "max_files", "max_file_mb", "file_types", "weight")

    def author_sections(self) -> list:
        sections = [(self.gettext("Prompt"), mark_safe(sanitise(self.prompt, PROMPT)))] if self.prompt else []
        sections.append((self.gettext("Rubric"), self.rubric_html()))
        seeded = [group for group in self.groups or [] if isinstance(group, dict)]
        if seeded:
            sections.append((self.gettext("Seeded groups"), format_html_join("", "<p>{}: {}</p>", (
                (group.get("name", ""), ", ".join(map(str, group.get("members") or []))) for group in seeded))))
        return sections

    # Learner handlers ---------------------------------------------------------------------------
    @json_handler()
    def get_state(self, data):
        return self._state(self.current_learner())

    @json_handler({"name": Str(min_length=1, max_length=100)})
    def create_group(self, data):
        if self.is_staff:  # staff are not made learners of the course here (the individual list shows learners)
            if self.mode != "group":
                raise Conflict("individual_mode", N_("Individual assignments have no groups."))
            if self.teamset and self.platform.teams_available():
                raise Conflict("team_managed", N_("This group is managed by the course's teams."))
            group = groups.create_group(self.course_key_string, self.usage_key_string, None, data["name"], source="staff",
                                        seeded=self.groups)
            return {"created": True, "group_id": group.id}
        if not self._can_self_enrol():
            raise Conflict("self_enrolment_closed", N_("Your instructor forms the groups for this assignment."))
        learner = self.current_learner()
        groups.create_group(self.course_key_string, self.usage_key_string, learner, data["name"], seeded=self.groups)
        return self._state(learner)

    @json_handler({"group_id": Int(minimum=1)})
    def join_group(self, data):
        learner = self.current_learner()
        if not self._can_self_enrol():
            raise Conflict("self_enrolment_closed", N_("Your instructor forms the groups for this assignment."))
        groups.join_group(self.usage_key_string, learner, data["group_id"], self.max_group_size, self.groups)
        return self._state(learner)

    @json_handler()
    def leave_group(self, data):
        learner = self.current_learner()
        if not self._can_self_enrol():
            raise Conflict("self_enrolment_closed", N_("Your instructor forms the groups for this assignment."))
        groups.leave_group(self.usage_key_string, learner)
        return self._state(learner)

    @json_handler({"text": Str(max_length=MAX_TEXT, strip=False), "version": Int(minimum=0)})
    def save_draft(self, data):
        learner = self.current_learner()
        submission = self._my_submission(learner)
        submission = drafts.save_draft(submission.pk, learner, data["text"], data["version"])
        return {"draft": drafts.draft_json(submission), "status": submission.status}

    @json_handler({"version": Int(minimum=0)})
    def submit(self, data):
        learner = self.current_learner()
        submission = self._my_submission(learner)
        drafts.submit(submission.pk, learner, data["version"], self.due_at, self.late_submissions)
        return self._state(learner)

    @request_handler(methods=("POST",), before_body=files.check_request_size)
    def upload_file(self, request):
        learner = self.current_learner()
        submission = self._my_submission(learner)
        name, content, original = uploads.read_upload(request, self.upload_limit_mb, uploads.allowed_types(self.file_types))
        stored = files.add_file(submission.pk, learner, name, content, self.max_files)
        return json_response(files.upload_json(stored, original))

    @json_handler({"file_id": Int(minimum=1)})
    def delete_file(self, data):
        learner = self.current_learner()
        submission = self._my_submission(learner)
        files.delete_file(submission.pk, learner, data["file_id"])
        return self._state(learner)

    @request_handler()
    def download_file(self, request):
        """GET ?file_id=N: for the group's members (work; feedback once released) and staff; redirects
        to the file, streamed by our own view (downloads.py)."""
        file_id = files.parse_id(request.GET.get("file_id", ""), "file_id")
        stored = SubmissionFile.objects.select_related("submission").filter(
            pk=file_id, submission__usage_key=self.usage_key_string).first()
        if stored is None or not (self.is_staff or self._may_read(stored)):
            raise NotFound("unknown_file", N_("This file does not exist."))
        return downloads.redirect(self, "submission_file", stored.name, file=stored.pk)

    def _may_read(self, stored) -> bool:
        learner = self.current_learner()
        group = self._group(learner)
        mine = (group is not None and stored.submission.group_id == group.id) or SubmissionMember.objects.filter(
            submission=stored.submission, learner=learner).exists()
        return mine and (stored.kind == "work" or stored.submission.released is not None)

    # Staff handlers ----------------------------------------------------------------------------
    @json_handler(PAGINATION | {"status": Choice(STATUSES, required=False)}, staff=True)
    def list_submissions(self, data):
        if self.mode == "group" and not (self.teamset and self.platform.teams_available()):
            if groups.seed_and_place(self.course_key_string, self.usage_key_string, self.groups):
                scores.dispatch(self.usage_key_string)
        pending = scores.pending(self.usage_key_string)
        if self.mode == "individual":
            rows = grading.list_individual_rows(self.course_key_string, self.usage_key_string, data["status"], data["page"],
                                                data["page_size"], max_points(self.rubric), pending)
        else:
            rows = grading.list_rows(self.usage_key_string, data["status"], data["page"], data["page_size"],
                                     max_points(self.rubric), pending)
        return {**rows, **self._pending_scores(rows.pop("scores_pending"))}

    def _pending_scores(self, count=None) -> dict:
        """How many released scores have not reached the gradebook yet (a worker or cron pushes them);
        `count` when the caller has it already."""
        count = scores.pending_count(self.usage_key_string) if count is None else count
        text = self.ngettext("{count} released score is still on its way to the gradebook.",
                             "{count} released scores are still on their way to the gradebook.", count)
        return {"scores_pending": count, "scores_pending_text": text.format(count=count) if count else ""}

    @json_handler({"submission_id": Int(minimum=1)}, staff=True)
    def get_submission(self, data):
        return self.get_submission_data(data["submission_id"])

    def get_submission_data(self, submission_id):
        submission = self._staff_submission(submission_id)
        row = grading.submission_detail(submission, max_points(self.rubric))
        row.update(draft=drafts.draft_json(submission), history=drafts.history(submission, self.gettext),
                   files=[files.file_json(f) for f in SubmissionFile.objects.filter(submission=submission)
                          .select_related("uploaded_by").order_by("pk")], rubric=self.rubric)
        return row

    def _staff_submission(self, submission_id):
        submission = (GroupSubmission.objects.select_related("group", "updated_by", "submitted_by")
                      .filter(usage_key=self.usage_key_string, pk=submission_id).first())
        if submission is None:
            raise NotFound("unknown_submission", N_("This submission does not exist."))
        return submission

    @json_handler({"submission_id": Int(minimum=1), "grade_version": Int(minimum=0),
                   "levels": LevelMap(), "feedback": Str(max_length=10_000, required=False, default=""),
                   "adjustments": ListOf(Obj({"user_id": Str(min_length=1, max_length=64),
                                              "points": Int(minimum=-1000, maximum=1000),
                                              "reason": Str(max_length=500, required=False, default="")}),
                                         max_items=100, required=False, default=[])}, staff=True)
    def grade(self, data):
        adjustments = {a["user_id"]: {"points": a["points"], "reason": a["reason"] or ""} for a in data["adjustments"] or []}
        if len(adjustments) != len(data["adjustments"] or []):
            raise BadRequest("duplicate_user", N_("Each learner can be adjusted only once."))
        submission, _members = grading.grade(
            self.usage_key_string, data["submission_id"], self.rubric, data["levels"], data["feedback"] or "",
            adjustments, data["grade_version"], self.current_user.username or self.current_user.anonymous_id,
            gradebook_possible=self.points_possible())
        data = self.get_submission_data(submission.pk)
        if submission.released:
            scores.dispatch(self.usage_key_string)
            data.update(self._pending_scores())
        return data

    @request_handler(staff=True, methods=("POST",), before_body=files.check_request_size)
    def upload_feedback_file(self, request):
        """Multipart: `file` and `submission_id`; learners see it once the grade is released."""
        limit = self.upload_limit_mb
        submission = self._staff_submission(files.parse_id(request.POST.get("submission_id", ""), "submission_id"))
        name, content, original = uploads.read_upload(request, limit, uploads.allowed_types(self.file_types))
        stored = files.add_file(submission.pk, self.current_learner(), name, content, self.max_files, kind="feedback")
        return json_response(files.upload_json(stored, original))

    @json_handler({"submission_ids": ListOf(Int(minimum=1), max_items=1000, required=False)}, staff=True)
    def release_grades(self, data):
        """Learners see released grades at once; their scores reach the gradebook in the
        request when few, else through Celery or `manage.py lms blended_push_scores`."""
        released = grading.release(self.usage_key_string, data["submission_ids"], self.points_possible())
        queued = scores.dispatch(self.usage_key_string)
        return {"released": len(released), "scores_queued": queued, **self._pending_scores()}

    @json_handler({"user_id": Str(min_length=1, max_length=64, required=False),
                   "username": Str(min_length=1, max_length=150, required=False),
                   "group_id": Int(minimum=1, nullable=True, required=False)}, staff=True)
    def assign_member(self, data):
        """Move a learner (anonymous `user_id` or `username`) into a group, or out (`group_id` null)."""
        if not data["user_id"] and not data["username"]:
            raise BadRequest("required", N_("“{field}” is required."), field="username")
        if self.mode != "group":
            raise Conflict("individual_mode", N_("Individual assignments have no groups."))
        learner, pending = groups.assign_member(self.course_key_string, self.usage_key_string, data["user_id"], data["group_id"],
                                                username=data["username"])
        if pending:
            scores.dispatch(self.usage_key_string)
        return {"assigned": True, "user_id": learner.anonymous_user_id, "name": learner.display_name}

    @json_handler(PAGINATION | {"query": Str(max_length=100, required=False, default="")}, staff=True)
    def list_groups(self, data):
        """The groups a learner can be moved into, a page at a time, optionally filtered by name."""
        if self.mode != "group":
            raise Conflict("individual_mode", N_("Individual assignments have no groups."))
        if not (self.teamset and self.platform.teams_available()):
            groups.seed_groups(self.course_key_string, self.usage_key_string, self.groups)
        return groups.staff_groups(self.usage_key_string, data["query"] or "", data["page"], data["page_size"])

    @request_handler(staff=True)
    def download_all(self, request):
        """Redirects to the zip streamed by our own view (downloads.py): the LMS holds a handler's
        whole response in memory."""
        return self._redirect_to_download("submissions_zip", f"{self._export_name()}.zip")

    @request_handler(staff=True)
    def export_grades(self, request):
        return self._redirect_to_download("grades_csv", f"{self._export_name()}-grades.csv",
                                          max_points=max_points(self.rubric))

    def _redirect_to_download(self, kind, filename, **extra):
        return downloads.redirect(self, kind, filename, **extra)

    def _export_name(self):
        return "".join(c if c.isalnum() else "-" for c in (self.platform.url_name() or "assignment"))[:60]

