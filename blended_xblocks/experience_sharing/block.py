"""`blended_experience_sharing`: practitioners write up a case, discuss it around a live session,
and keep the accounts as a shared resource (issue 5).

The block is thin: fields, OLX, views and handlers. Rules live in `experience_sharing_posts`
(learners), `experience_sharing_moderation` (staff), `experience_sharing_participation`
(completion, staff views, CSV) and `experience_sharing_text` (how plain text is shown).
"""
import datetime
import hashlib
import json

from django.utils.html import json_script
from django.utils.safestring import mark_safe
from xblock.completable import CompletableXBlockMixin
from xblock.core import XBlock
from xblock.fields import Boolean, Integer, Scope, String
from xblock.validation import ValidationMessage

from blended_xblocks.core.errors import N_, BadRequest
from blended_xblocks.core.html import DESCRIPTION, read_olx_html, sanitise, write_olx_html
from blended_xblocks.core.schema import PAGINATION, Bool, Choice, Int, ListOf, Str, pagination
from blended_xblocks.core.times import iso, learner_zone
from blended_xblocks.experience_sharing import moderation as moderating
from blended_xblocks.experience_sharing import participation, posts
from blended_xblocks.experience_sharing.seed import parse_seeds, seed
from blended_xblocks.experience_sharing.text import invalid_tags, normalise_tags, tag_form
from blended_xblocks.platform.models import Learner
from blended_xblocks.xblock import downloads
from blended_xblocks.xblock.base import NOT_READ, BlendedBlockMixin, StudioEditorMixin
from blended_xblocks.xblock.handlers import json_handler, request_handler

_ = lambda text: text  # marks field labels for extraction; Studio translates them

POST_ID = Int(minimum=1, maximum=2**53)
TAG = Str(max_length=32, min_length=1)
POST_FIELDS = {"title": Str(max_length=200, min_length=3), "body": Str(max_length=10000, min_length=1),
               "tags": ListOf(TAG, max_items=10, required=False), "anonymous": Bool(required=False)}
PAGE = pagination(page_size=20)


def _jsonable(value):
    if isinstance(value, dict):
        return {key: _jsonable(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(item) for item in value]
    if isinstance(value, datetime.datetime):
        return iso(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value if value is None or isinstance(value, (str, int, float, bool)) else str(value)


class _CompactJSON(json.JSONEncoder):
    r"""JSON at its raw size: no spaces, text as UTF-8 (an Arabic letter takes 2 bytes, not a 6-byte escape).

    Every "/" is written "\/" (the same JSON): the LMS rewrites whatever in a block's HTML reads as a
    quoted "/static/…", "/course/…" or "/jump_to_id/…" into a course URL, and learners' words
    (`see '/static/handbook.pdf'`) must reach the page as they wrote them, as `get_state` answers them."""

    def __init__(self, **options):
        super().__init__(**{**options, "ensure_ascii": False, "separators": (",", ":")})

    def encode(self, o):
        return super().encode(o).replace("/", "\\/")


class ExperienceSharingBlock(StudioEditorMixin, CompletableXBlockMixin, BlendedBlockMixin, XBlock):
    """Structured case accounts with replies, "useful" marks, moderation and completion."""

    i18n_domain = "experience_sharing"

    display_name = String(display_name=_("Display name"), default=_("Experience sharing"), scope=Scope.settings,
                          help=_("The title learners see above the activity."))
    prompt = String(display_name=_("Prompt"), default="", scope=Scope.content, multiline_editor="html",
                    help=_("What learners should describe (HTML written by course staff)."))
    session = String(display_name=_("Linked live session"), default="", scope=Scope.settings,
                     help=_("The url_name of the webinar whose time and join link are shown here."))
    min_posts = Integer(display_name=_("Posts required"), default=1, scope=Scope.settings,
                        help=_("How many posts a learner writes to complete the activity."))
    min_replies = Integer(display_name=_("Replies required"), default=2, scope=Scope.settings,
                          help=_("How many replies to others a learner writes to complete the activity."))
    require_attendance = Boolean(display_name=_("Require attendance"), default=False, scope=Scope.settings,
                                 help=_("Completion also needs attendance at the linked live session."))
    anonymous_allowed = Boolean(display_name=_("Allow anonymous posts"), default=True, scope=Scope.settings,
                                help=_("Learners may hide their name from other learners (staff still see it)."))
    moderation = String(display_name=_("Moderation"), default="post", scope=Scope.settings,
                        values=[{"display_name": _("Publish at once"), "value": "post"},
                                {"display_name": _("Hold for approval"), "value": "pre"}],
                        help=_("Whether posts appear at once or after staff approval."))
    tags = String(display_name=_("Tags"), default="", scope=Scope.settings,
                  help=_("Space-separated topics learners can tag their posts with."))

    editable_fields = ("display_name", "prompt", "session", "min_posts", "min_replies", "require_attendance",
                       "anonymous_allowed", "moderation", "tags")

    # OLX ------------------------------------------------------------------------------------------
    @classmethod
    def parse_xml(cls, node, runtime, keys):
        block = runtime.construct_xblock_from_class(cls, keys)
        for name, value in node.items():
            if name in block.fields and name in cls.editable_fields:
                setattr(block, name, block.fields[name].from_string(value))
        prompt = node.find("prompt")
        if prompt is not None:
            block.prompt = read_olx_html(prompt)
        seeds = parse_seeds(node)
        if seeds:  # example posts, written only where the host names their people (seed.py)
            seed(block.board(), seeds, block.platform)
        return block

    def add_xml_to_node(self, node):
        super().add_xml_to_node(node)
        node.attrib.pop("prompt", None)
        if self.prompt:
            write_olx_html(node, "prompt", self.prompt)

    def validate_field_data(self, validation, data):
        if data.moderation not in ("pre", "post"):
            validation.add(ValidationMessage(ValidationMessage.ERROR, self.gettext("Moderation is “pre” or “post”.")))
        if not 0 <= data.min_posts <= 50 or not 0 <= data.min_replies <= 500:
            validation.add(ValidationMessage(ValidationMessage.ERROR,
                                             self.gettext("Posts required is 0–50 and replies required 0–500.")))
        refused = invalid_tags(data.tags)
        if refused:
            validation.add(ValidationMessage(ValidationMessage.ERROR, self.gettext(
                "“{tag}” cannot be a tag. A tag is one word of letters or digits (any language), “-” and “_”, "
                "at most 32 characters; separate tags with spaces.").format(tag=refused[0])))
        if data.require_attendance and not data.session.strip():
            validation.add(ValidationMessage(ValidationMessage.ERROR, self.gettext(
                "Attendance is required but no live session is linked: set “Linked live session” to the "
                "webinar's url_name, or attendance will not count.")))

    # Rules' view of this block ----------------------------------------------------------------------
    def board(self):
        return posts.Board(course_key=self.course_key_string, usage_key=self.usage_key_string, moderation=self.moderation,
                           tags=tuple(normalise_tags(self.tags).split()), anonymous_allowed=self.anonymous_allowed)

    def mobile_settings(self) -> dict:
        return {"min_posts": self.min_posts, "min_replies": self.min_replies, "require_attendance": self.require_attendance,
                "moderation": self.moderation, "tags": list(self.board().tags)}

    def mobile_learner(self) -> dict:
        learner = self.known_learner()
        row = participation.current(self.board(), learner) if learner else None
        return {"posts": row.posts if row else 0, "replies": row.replies if row else 0,
                "completed": bool(row and row.completed)}

    def _attendance(self, learner):
        """(session summary or None, attended: True/False, or None when attendance does not count).

        Attendance counts only when the linked session exists: a url_name naming no stored webinar
        session must not keep learners from completing forever (staff see a warning instead)."""
        summary, attended = participation.linked_session(self.course_key_string, self.session, learner)
        if not (self.require_attendance and self.session) or attended is None:
            return summary, None
        return summary, bool(attended)

    def publish_settings(self):
        """Mirror the linked live session for the programme, which tells who can no longer complete
        (experience_sharing_api): attendance is required and the session is over without them."""
        linked = self.session.strip() if self.require_attendance else ""
        self.mirror_settings({"required_session": linked})

    def _read_learner_with_participation(self, **where):
        """`current_learner`'s read on this block's page: the learner's row with the block's stored
        settings (for `publish_settings`) and their participation (for `student_view`), one query."""
        row, read = participation.learner_with_participation(self.usage_key_string, **where)
        if read is not None:
            self.keep_with_learner(stored_settings=read[0], participation=read[1])
        return row

    def session_warning(self):
        """For staff: the linked session's url_name names no webinar session of this course."""
        if not (self.is_staff and self.session) or participation.session_exists(self.course_key_string, self.session):
            return None
        return self.gettext("No live session named “{session}” was found in this course: it is not shown to "
                            "learners and attendance does not count toward completion.").format(session=self.session)

    def _after_own_change(self, learner):
        """Recount the learner's contribution; completion follows it (see _settle)."""
        row, attended = self._settle(learner, own=True)
        return participation.progress(self.translator, row, self.min_posts, self.min_replies, attended)

    def _settle(self, learner, own: bool):
        """Recount a learner's visible posts and replies and make completion follow them: recorded when
        they meet the thresholds, withdrawn when a hidden or deleted post takes them below (as Moodle's
        automatic completion does), recorded again when staff restore it. Returns (row, attended)."""
        row = participation.refresh(self.board(), learner)
        _, attended = self._attendance(learner)
        met = participation.thresholds_met(row, self.min_posts, self.min_replies, attended)
        completion = participation.settle_completion(row, met)
        if completion is not None:
            if own:
                self.platform.complete_own(completion)
            else:
                self.platform.complete_for([learner], completion)
            row.refresh_from_db()
        return row, attended

    # Views ----------------------------------------------------------------------------------------
    def state(self, learner, page=1, page_size=20, sort="newest", tag=None, status=None, board=None):
        board = board or self.board()
        shown, items = posts.page_of_posts(board, learner, self.is_staff, page=page, page_size=page_size,
                                           sort=sort, tag=tag, status=status)
        summary, attended = self._attendance(learner)
        row = self.kept_with_learner("participation")  # read with the learner's row, on the block's page
        if row is NOT_READ:
            row = participation.current(board, learner) if learner else None
        if row and not row.completed and participation.thresholds_met(row, self.min_posts, self.min_replies, attended):
            progress = self._after_own_change(learner)  # e.g. attendance recorded since the last post
        else:
            progress = participation.progress(self.translator, row, self.min_posts, self.min_replies, attended)
        data = shown.json("posts", items, sort=sort, tag=tag, progress=progress, session=_jsonable(summary),
                          is_staff=self.is_staff, config={"tags": list(board.tags), "anonymous_allowed": board.anonymous_allowed,
                                                          "moderation": board.moderation})
        if self.is_staff:
            data["pending"] = moderating.pending_count(board)
            data["warning"] = self.session_warning()
        return data

    has_author_view = True
    author_fields = ("session", "min_posts", "min_replies", "require_attendance", "anonymous_allowed", "moderation", "tags")

    def author_sections(self) -> list:
        return [(self.gettext("Prompt"), mark_safe(sanitise(self.prompt, DESCRIPTION)))] if self.prompt else []

    @XBlock.supports("multi_device")
    def student_view(self, context=None):
        # The first page of posts is in the page (one round trip), in a JSON <script> element written by
        # Django's json_script (which escapes "<", ">" and "&") at its raw size; never in the init arguments,
        # which the SDK's runtime writes into a <script> with json.dumps, not escaping "</script>". get_state
        # serves every later page, sort and filter.
        signed_in = self.current_user.is_authenticated
        uid = "bes-" + hashlib.sha1(self.usage_key_string.encode("utf-8")).hexdigest()[:10]
        preview = self.in_preview(context)
        learner = self.current_learner(read=self._read_learner_with_participation) if signed_in and not preview else None
        if not preview:
            self.publish_settings()
        board = self.board()
        first = self.state(learner, board=board) if learner else None
        csv_url = self.platform.handler_url("export_csv", query="preview=1" if preview else "") if self.is_staff else ""
        warning = first["warning"] if first and self.is_staff else self.session_warning()
        return self.build_fragment(
            "blended_xblocks/experience_sharing/student.html",
            # The prompt is HTML from the course (possibly imported): only allowlisted tags survive.
            {"block": self, "prompt": mark_safe(sanitise(self.prompt, DESCRIPTION)),
             "signed_in": signed_in, "is_staff": self.is_staff, "uid": uid, "csv_url": csv_url,
             "warning": warning, "state_script": json_script(first, encoder=_CompactJSON),
             "board_html": self.render_authored("blended_xblocks/experience_sharing/board.html", uid=uid,
                                                tags=list(board.tags), anonymous_allowed=bool(self.anonymous_allowed))
             if signed_in else ""},
            # Staff's page adds the moderation code; a learner's never downloads it.
            js=("experience_sharing/experience_sharing.js",) + (("experience_sharing/experience_sharing_staff.js",)
                                                                if self.is_staff else ()),
            css="experience_sharing/experience_sharing.css", preview=preview,
            init_fn="BlendedExperienceSharingStaff" if self.is_staff else "BlendedExperienceSharing",
            init_args={"signed_in": signed_in, "uid": uid, "userTimezone": learner_zone(self.current_user.time_zone)})

    # Learner handlers -------------------------------------------------------------------------------
    @json_handler(PAGE | {"sort": Choice(["newest", "useful"], default="newest"),
                          "tag": Str(max_length=32, required=False),
                          "status": Choice(["published", "pending", "hidden"], required=False)})
    def get_state(self, data):
        learner, board = self.current_learner(), self.board()
        tag = tag_form(data["tag"]) if data["tag"] else None
        if tag and tag not in board.tags:
            raise BadRequest("unknown_tag", N_("“{tag}” is not one of this activity's tags."), tag=data["tag"])
        return self.state(learner, data["page"], data["page_size"], data["sort"], tag, data["status"], board=board)

    @json_handler(POST_FIELDS)
    def create_post(self, data):
        learner = self.current_learner()
        post = posts.create_post(self.board(), learner, self.is_staff, data)
        return {"post": posts.post_json(post, learner, self.is_staff), "progress": self._after_own_change(learner)}

    @json_handler(POST_FIELDS | {"post_id": POST_ID, "version": Int(minimum=1, required=False)})
    def edit_post(self, data):
        learner = self.current_learner()
        post = posts.edit_post(self.board(), learner, self.is_staff, data)
        return {"post": posts.post_json(post, learner, self.is_staff), "progress": self._after_own_change(learner)}

    @json_handler({"post_id": POST_ID, "version": Int(minimum=1, required=False)})
    def delete_post(self, data):
        learner = self.current_learner()
        posts.delete_post(self.board(), learner, data)
        return {"deleted": data["post_id"], "progress": self._after_own_change(learner)}

    @json_handler({"post_id": POST_ID, "body": Str(max_length=5000, min_length=1)})
    def reply(self, data):
        learner = self.current_learner()
        reply = posts.add_reply(self.board(), learner, data)
        return {"reply": posts.reply_json(reply, learner, self.is_staff), "progress": self._after_own_change(learner)}

    @json_handler({"post_id": POST_ID} | PAGE)
    def replies(self, data):
        learner = self.current_learner()
        return posts.replies_page(self.board(), learner, self.is_staff, data["post_id"], data["page"], data["page_size"])

    @json_handler({"post_id": POST_ID, "useful": Bool(required=False)})
    def react(self, data):
        count, useful = posts.react(self.board(), self.current_learner(), data)
        return {"post_id": data["post_id"], "useful_count": count, "useful_by_me": useful}

    @json_handler({"post_id": POST_ID, "reason": Str(max_length=500, required=False, default="")})
    def flag(self, data):
        posts.flag(self.board(), self.current_learner(), data)
        return {"post_id": data["post_id"], "flagged_by_me": True}

    # Staff handlers ---------------------------------------------------------------------------------
    @json_handler({"post_id": Int(minimum=1, maximum=2**53, required=False),
                   "reply_id": Int(minimum=1, maximum=2**53, required=False),
                   "action": Choice(moderating.POST_ACTIONS)}, staff=True)
    def moderate(self, data):
        board, staff = self.board(), self.current_learner()
        if (data["post_id"] is None) == (data["reply_id"] is None):
            raise BadRequest("required", N_("Give either “post_id” or “reply_id”."))
        if data["reply_id"] is not None:
            if data["action"] not in moderating.REPLY_ACTIONS:
                raise BadRequest("invalid_choice", N_("Replies can only be hidden or restored."))
            post_id, author_id = moderating.moderate_reply(board, data["reply_id"], data["action"])
            self._settle(Learner.objects.get(pk=author_id), own=False)
            return {"reply_id": data["reply_id"], "hidden": data["action"] == "hide", "post_id": post_id}
        post = moderating.moderate_post(board, data["post_id"], data["action"])
        self._settle(post.author, own=False)
        return {"post": posts.post_json(post, staff, True), "pending": moderating.pending_count(board)}

    @json_handler(PAGE, staff=True)
    def flagged(self, data):
        return moderating.flagged_page(self.board(), self.current_learner(), data["page"], data["page_size"])

    @json_handler(PAGINATION | {"query": Str(max_length=100, required=False, default="")}, staff=True)
    def participation(self, data):
        return participation.participation_page(self.board(), data["page"], data["page_size"], data["query"])

    @request_handler(staff=True)
    def export_csv(self, request):
        """Redirects to the CSV, streamed by our own view (downloads.py)."""
        return downloads.redirect(self, "sharing_csv", "experience-sharing.csv")
