"""`blended_progress`: the programme's rules, a learner's progress, the cohort and the certificate.

Authors list requirements over blocks of the course (k of n, minimum shares); learners see what
is done and what is left; instructors see the cohort matrix and who is at risk; meeting every
requirement earns a certificate, verifiable by anyone with its code, and lets the platform's own
certificate through the gate (certificate_gate.py). Rules live in the modules beside this one.
"""
from __future__ import annotations

import hashlib
import json
import logging
from datetime import timedelta
from functools import lru_cache

from django.db import IntegrityError, transaction
from webob import Response
from xblock.completable import XBlockCompletionMode
from xblock.core import XBlock
from xblock.fields import Integer, List, Scope, String

from blended_xblocks.core.errors import N_, ApiError, Conflict, NotFound
from blended_xblocks.core.schema import PAGINATION, Choice, Int, Str, validate
from blended_xblocks.core.times import iso, now_utc
from blended_xblocks.platform.adapter import outcome_reader
from blended_xblocks.platform.models import Learner
from blended_xblocks.progress import awards, certificates, studio
from blended_xblocks.progress.cohort import STATUSES, cohort_csv, cohort_page
from blended_xblocks.progress.dashboard import KIND_NAMES, learner_state
from blended_xblocks.progress.models import ProgrammeDefinition
from blended_xblocks.progress.olx import add_requirements_to_node, requirements_from_node
from blended_xblocks.progress.programme import Person, judge
from blended_xblocks.progress.release import release_moment
from blended_xblocks.progress.requirements import build_programme
from blended_xblocks.progress.studio import COURSE_BLOCKS_SCHEMA, pickable_blocks
from blended_xblocks.xblock.base import BlendedBlockMixin, StudioEditorMixin
from blended_xblocks.xblock.handlers import json_body, json_handler, json_response, request_handler

log = logging.getLogger(__name__)
_ = lambda text: text  # marks field labels for extraction; Studio translates them
_UNREAD = object()
RESOLVE_EVERY = timedelta(minutes=10)  # a block deleted from the course shows as missing within this


@lru_cache(maxsize=256)
def _parsed_programme(requirements_json: str) -> tuple:
    """(requirements, their stored form as JSON) of a programme's field value, given as JSON."""
    requirements = tuple(build_programme(json.loads(requirements_json), strict=False).requirements)
    return requirements, json.dumps([requirement.to_json() for requirement in requirements])


class ProgressBlock(StudioEditorMixin, BlendedBlockMixin, XBlock):
    """One programme's progress, for learners, instructors and the certificate."""

    i18n_domain = "progress"
    studio_module = studio
    studio_assets = (("common/studio.js", "progress/progress_studio.js"), "progress/progress.css", "BlendedProgressStudio")
    has_score = True
    has_author_view = True
    has_custom_completion = True
    completion_mode = XBlockCompletionMode.COMPLETABLE

    display_name = String(display_name=_("Display name"), default=_("Your programme"), scope=Scope.settings,
                          help=_("The heading learners see."))
    certificate_title = String(display_name=_("Certificate title"), default="", scope=Scope.settings,
                               help=_("The programme's name as printed on the certificate; empty: the display name."))
    issuer = String(display_name=_("Issuer"), default="", scope=Scope.settings,
                    help=_("Who awards the certificate, e.g. “EU-IOM Knowledge Management Hub”."))
    release = String(display_name=_("Certificates available from"), default="", scope=Scope.settings,
                     help=_("Local date and time (YYYY-MM-DDTHH:MM) from which earned certificates can be printed; "
                            "empty: at once."))
    timezone = String(display_name=_("Time zone"), default="UTC", scope=Scope.settings,
                      help=_("The time zone of the release time."))
    weight = Integer(display_name=_("Weight"), default=1, scope=Scope.settings, values={"min": 0, "max": 100},
                     help=_("Points the programme is worth in the grade when every requirement is met; 0: not graded."))
    requirements = List(display_name=_("Requirements"), default=[], scope=Scope.settings,
                        help=_("What learners must do, requirement by requirement."))
    import_problems = List(default=[], scope=Scope.settings,
                           help=_("Requirements an import could not use, and why (shown to authors and staff)."))

    # OLX ----------------------------------------------------------------------------------------
    @classmethod
    def parse_xml(cls, node, runtime, keys):
        """Attributes are fields; each `<requirement>` child is one requirement. Unusable ones
        are left out and recorded in `import_problems` instead of failing the import."""
        block = runtime.construct_xblock_from_class(cls, keys)
        for name in ("display_name", "certificate_title", "issuer", "release", "timezone"):
            if node.get(name) is not None:
                setattr(block, name, node.get(name)[:255])
        block.requirements, block.import_problems = requirements_from_node(node)
        weight = (node.get("weight") or "1").strip()
        if weight.isdigit() and int(weight) <= 100:
            block.weight = int(weight)
        else:
            log.warning("blended_progress: weight %r is not a whole number from 0 to 100; 1 is used", weight)
            block.import_problems = [*block.import_problems, {
                "code": "invalid_weight", "requirement_id": "", "params": {"weight": weight[:20]},
                "message": N_("The weight “{weight}” is not a whole number from 0 to 100: 1 is used.")}]
        if not release_moment(block.release, block.timezone)[1]:
            log.warning("blended_progress: release %r in %r cannot be read", block.release, block.timezone)
            block.import_problems = [*block.import_problems, {
                "code": "invalid_release", "requirement_id": "", "params": {"release": block.release, "zone": block.timezone},
                "message": N_("The release time “{release}” in “{zone}” cannot be read: certificates stay unreleased "
                              "until it is corrected.")}]
        return block

    def add_xml_to_node(self, node):
        node.tag = self.scope_ids.block_type
        for name in ("display_name", "certificate_title", "issuer", "release", "timezone"):
            value = getattr(self, name)
            if value:
                node.set(name, value)
        node.set("weight", str(self.weight))
        add_requirements_to_node(node, self.parsed_requirements())

    def max_score(self):
        return self.weight

    # Programme -----------------------------------------------------------------------------------
    def parsed_requirements(self):
        return self._programme()[1]

    def _programme(self) -> tuple:
        """(the field's value as parsed, its requirements, their stored form), parsed once while the
        field keeps its value: a render asks for them several times. The parse itself is kept per
        process for each programme (ADR 0012: authored content), as its JSON."""
        raw = self.requirements or []
        cached = self.__dict__.get("_parsed_programme")
        if cached is None or cached[0] != raw:
            as_json = json.dumps(raw, sort_keys=True)
            requirements, stored = _parsed_programme(as_json)
            cached = (json.loads(as_json), requirements,  # a copy: an edit in place (a nested list) is seen
                      json.loads(stored))  # the caller's own: it may be written to the published copy
            self.__dict__["_parsed_programme"] = cached
        return cached

    def release_instant(self):
        """When certificates can be printed (None: at once); see release.py for an unreadable one."""
        return release_moment(self.release, self.timezone)[0]

    def released(self, now) -> bool:
        instant, readable = release_moment(self.release, self.timezone)
        return readable and (instant is None or now >= instant)

    def resolve_blocks(self, requirements) -> dict:
        """{"type/url_name": usage key, or "" when the course has no such block}."""
        wanted = {str(ref): self.platform.usage_key_for(ref.block_type, ref.url_name)
                  for requirement in requirements for ref in requirement.blocks}
        existing = self.platform.existing_blocks([key for key in wanted.values() if key])
        return {text: key if key in existing else "" for text, key in wanted.items()}

    def programme_definition(self, *, refresh=True, learner=None) -> ProgrammeDefinition:
        """The published copy of this programme (what the gate and workers read), brought up to
        date when the settings changed or its block list is older than RESOLVE_EVERY. With a
        `learner`, the row read carries `learner_certificate`, the id of theirs (see `certificate_for`)."""
        _, requirements, stored = self._programme()
        values = {"course_key": self.course_key_string, "title": self.display_name[:255],
                  "certificate_title": (self.certificate_title or self.display_name)[:255],
                  "issuer": self.issuer[:255], "release": self.release_instant(), "weight": self.weight,
                  "requirements": stored}
        row = certificates.definition_of(self.usage_key_string, learner)
        stale = row is None or any(getattr(row, key) != value for key, value in values.items()) or (
            row.updated < now_utc() - RESOLVE_EVERY)
        if row is not None and (not stale or not refresh):
            return row
        if not refresh:
            return ProgrammeDefinition(usage_key=self.usage_key_string, resolved_blocks=self.resolve_blocks(requirements),
                                       **values)
        return self._write_definition({**values, "resolved_blocks": self.resolve_blocks(requirements)})

    def _write_definition(self, fields: dict) -> ProgrammeDefinition:
        """Update, else create (a twin request's row wins): no `update_or_create`, whose locking
        read of a missing row takes gap locks that deadlock a cohort opening the page on MySQL."""
        rows = ProgrammeDefinition.objects.filter(usage_key=self.usage_key_string)
        if not rows.update(**fields, updated=now_utc()):
            try:
                with transaction.atomic():
                    return ProgrammeDefinition.objects.create(usage_key=self.usage_key_string, **fields)
            except IntegrityError:
                rows.update(**fields, updated=now_utc())
        return rows.get()

    def publish_settings(self):
        """On a course publish (receivers.py): the published copy the gate, the awards on other
        blocks' outcomes and the periodic command read, even before anyone opens this block."""
        return self.programme_definition()

    def judge_learner(self, definition, learner):
        person = Person(learner_id=learner.id, user_id=learner.user_id, anonymous_id=learner.anonymous_user_id) if learner \
            else Person(learner_id=None, user_id=None)
        _, requirements, stored = self._programme()
        parsed = requirements if definition.requirements == stored else None  # else the published copy's own
        return judge(definition, [person], outcome_reader(), parsed)[person]

    def certificate_for(self, definition, learner):
        """The learner's certificate; nothing more is read when `definition` was read with them and
        found none (`programme_definition(learner=…)`)."""
        if learner is None or getattr(definition, "learner_certificate", _UNREAD) is None:
            return None
        return certificates.certificate_of(self.usage_key_string, learner)

    def certificate_state(self, certificate, met: bool, now) -> dict:
        release = self.release_instant()
        state = {"status": "not_yet", "available_from": iso(release), "url": None, "verify_url": None, "code": None}
        if certificate is None:
            return state
        if certificate.revoked_at:
            return {**state, "status": "revoked", "reason": certificate.revoked_reason}
        available = self.released(now)
        state.update(status="available" if available else "earned", code=certificate.code,
                     verify_url=self.verify_url(certificate.code))
        if available:
            state["url"] = self.platform.handler_url("certificate")
        return state

    def verify_url(self, code: str) -> str:
        return self.platform.handler_url("verify", thirdparty=True, query=f"code={code}")

    def state_for(self, learner, now=None, *, preview=False) -> dict:
        """The learner's programme. A preview (`in_preview`) reads and never writes: no published
        copy refreshed, no certificate issued."""
        now = now or now_utc()
        definition = self.programme_definition(refresh=not preview, learner=learner)
        requirements = self.parsed_requirements()
        status = self.judge_learner(definition, learner)
        certificate = self.certificate_for(definition, learner)
        if learner and not preview and certificate is None and status.met:
            certificate, _issued = awards.award(self.platform, definition, learner, self.current_user.full_name, now)
        return learner_state(translator=self.translator, requirements=requirements, status=status,
                             resolved=definition.resolved_blocks, link_for=self.platform.block_url,
                             titles_for=self.platform.block_titles,
                             certificate=self.certificate_state(certificate, status.met, now),
                             course_key=self.course_key_string, now=now)

    # Views --------------------------------------------------------------------------------------
    @XBlock.supports("multi_device")
    def student_view(self, context=None):
        preview = self.in_preview(context)
        learner = None
        if self.current_user.is_authenticated and not preview and not self.is_staff:
            learner = self.current_learner()  # staff see the cohort, and are not counted in it
        state = self.state_for(learner, preview=preview) if learner or self.is_staff else None
        uid = "bpg-" + hashlib.sha1(self.usage_key_string.encode("utf-8")).hexdigest()[:10]
        requirements = self.parsed_requirements()
        context = {"block": self, "state": state, "uid": uid, "is_staff": self.is_staff,
                   "signed_in": learner is not None, "kind_names": {k: self.gettext(v) for k, v in KIND_NAMES.items()},
                   "requirements": requirements, "problems": self.problem_messages(),
                   "missing": self.missing_blocks(preview) if self.is_staff else []}
        staff = self.is_staff
        return self.build_fragment("blended_xblocks/progress/student.html", context,
                                   js=("progress/progress.js", "progress/progress_staff.js") if staff else "progress/progress.js",
                                   css="progress/progress.css", init_fn="BlendedProgressStaff" if staff else "BlendedProgress",
                                   init_args={"state": state,
                                              "requirements": [{"id": r.id, "label": r.label} for r in requirements]},
                                   preview=preview)

    # Mobile apps --------------------------------------------------------------------------------
    def mobile_settings(self) -> dict:
        """The programme's requirements (the same for everyone) and when certificates come out."""
        return {"certificate_title": self.certificate_title or self.display_name, "issuer": self.issuer,
                "release": iso(self.release_instant()),
                "requirements": [{"id": r.id, "label": r.label, "kind": r.kind, "needed": r.needed}
                                 for r in self.parsed_requirements()]}

    def mobile_learner(self) -> dict:
        """The learner's progress, read only (nothing issued from here): done/needed per requirement,
        overall progress and the certificate's status."""
        learner = self.known_learner()
        definition = self.programme_definition(refresh=False)
        user = self.current_user  # a learner who never opened one of our blocks has outcomes in the platform
        person = Person(learner_id=learner.id if learner else None, user_id=user.user_id, anonymous_id=user.anonymous_id)
        status = judge(definition, [person], outcome_reader())[person]
        certificate = certificates.certificate_of(self.usage_key_string, learner) if learner else None
        return {"met": status.met, "progress": round(status.share_done, 4),
                "requirements": {r.requirement_id: r.to_json() for r in status.requirements},
                "certificate": self.certificate_state(certificate, status.met, now_utc())["status"]}

    def author_view(self, context=None):
        """Studio's preview: the programme's settings, read from the block alone (no database)."""
        context = {"block": self, "requirements": self.parsed_requirements(), "problems": self.problem_messages(),
                   "kind_names": {k: self.gettext(v) for k, v in KIND_NAMES.items()}}
        return self.build_fragment("blended_xblocks/progress/author.html", context, js="progress/progress.js",
                                   css="progress/progress.css", init_fn="BlendedProgress", init_args={"author": True})

    def problem_messages(self) -> list[str]:
        messages = []
        for problem in self.import_problems or []:
            text = self.gettext(problem.get("message", ""))
            try:
                text = text.format(**problem.get("params", {}))
            except (KeyError, IndexError, ValueError):
                pass
            prefix = f"{problem.get('requirement_id')}: " if problem.get("requirement_id") else ""
            messages.append(prefix + text)
        return messages

    def missing_blocks(self, preview=False) -> list[str]:
        definition = self.programme_definition(refresh=not preview)
        return sorted(text for text, key in definition.resolved_blocks.items() if not key)

    # Learner handlers ---------------------------------------------------------------------------
    @json_handler()
    def get_state(self, data):
        return self.state_for(self.current_learner())

    @request_handler(methods=("GET",))
    def certificate(self, request):
        learner = self.current_learner()
        row = certificates.certificate_of(self.usage_key_string, learner)
        release = self.release_instant()
        if row is None or row.revoked_at:
            raise NotFound("no_certificate", N_("You have no certificate for this programme yet."))
        if not self.released(now_utc()):
            raise Conflict("not_released", N_("Certificates can be printed from {date}."), date=iso(release) or "?")
        definition = self.programme_definition(refresh=False)
        html = self.render_template("blended_xblocks/progress/certificate.html", {
            "certificate": row, "definition": definition, "verify_url": self.verify_url(row.code)})
        return Response(html, content_type="text/html", charset="utf-8")

    @request_handler(methods=("GET",))
    def verify(self, request):
        """The public verify page (a no-login handler): the code is the only key."""
        row = certificates.find_by_code(request.GET.get("code", ""))
        definition = ProgrammeDefinition.objects.filter(usage_key=row.usage_key).first() if row else None
        html = self.render_template("blended_xblocks/progress/verify.html", {"certificate": row, "definition": definition})
        return Response(html, status=200 if row else 404, content_type="text/html", charset="utf-8")

    # Staff handlers ------------------------------------------------------------------------------
    @json_handler({**PAGINATION, "status": Choice(STATUSES, required=False, default="all"),
                   "search": Str(max_length=100, required=False, default="")}, staff=True)
    def cohort(self, data):
        definition = self.programme_definition()
        result = cohort_page(definition, self.course_key_string, status=data["status"], search=data["search"].strip(),
                             page=data["page"], page_size=data["page_size"], reader=outcome_reader())
        result["requirements"] = [{"id": r.id, "label": r.label, "kind": r.kind} for r in self.parsed_requirements()]
        result["missing"] = sorted(text for text, key in definition.resolved_blocks.items() if not key)
        result["problems"] = self.problem_messages()
        return result

    @request_handler(staff=True, methods=("GET",))
    def export_cohort(self, request):
        definition = self.programme_definition()
        text = cohort_csv(definition, self.course_key_string, self.parsed_requirements(), outcome_reader(),
                          self.gettext("yes"), self.gettext("no"))
        return Response(text, content_type="text/csv", charset="utf-8",
                        content_disposition='attachment; filename="programme-cohort.csv"')

    @json_handler({"user_id": Int(minimum=1, maximum=2**31), "reason": Str(max_length=500, min_length=1)}, staff=True)
    def revoke_certificate(self, data):
        learner = Learner.objects.filter(course_key=self.course_key_string, user_id=data["user_id"]).first()
        row = certificates.certificate_of(self.usage_key_string, learner) if learner else None
        if row is None:
            raise NotFound("unknown_user", N_("This learner has no certificate for this programme."))
        if not certificates.revoke(row, data["reason"], self.current_user.username or "staff", now_utc()):
            raise Conflict("already_revoked", N_("This certificate was already revoked."))
        awards.publish_outcome(self.platform, learner, self.weight, met=False)
        return {"user_id": data["user_id"], "revoked": True}

    # Studio ---------------------------------------------------------------------------------------
    @request_handler(methods=("POST",), preview_safe=True)
    def course_blocks(self, request):
        """The editor's block picker: the course's blocks a requirement (of `kind`) may name, for
        course authors only. It reads the course and writes nothing, so Studio may call it."""
        self.require_author()
        data = validate(COURSE_BLOCKS_SCHEMA, json_body(request))
        try:
            found = self.platform.course_blocks()
        except Exception as error:  # noqa: BLE001 - the store failing: the editor falls back to names
            log.exception("blended_progress: the course's blocks could not be listed")
            raise ApiError("blocks_unavailable", N_("The course's blocks could not be listed."), 503) from error
        return json_response(pickable_blocks(found, data["kind"]))
