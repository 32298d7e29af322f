"""What every blended block shares: identity, staff check, i18n, templates, static files, Studio editor.

Blocks stay thin (fields, views, handlers); everything here is the same for all of them.
"""
from __future__ import annotations

import json
import weakref
from functools import cached_property, lru_cache

from django.utils.safestring import mark_safe
from web_fragments.fragment import Fragment
from xblock.core import XBlock
from xblock.exceptions import DisallowedFileError
from xblock.fields import JSONField
from xblock.utils.studio_editable import FutureFields, StudioEditableXBlockMixin
from xblock.validation import Validation

from blended_xblocks.core.errors import N_, BadRequest, Conflict, Forbidden
from blended_xblocks.core.i18n import Translator, js_catalogue
from blended_xblocks.core.rendering import render, render_in
from blended_xblocks.core.resources import static_path
from blended_xblocks.core.schema import STUDIO_EDITS, validate
from blended_xblocks.platform import published_settings
from blended_xblocks.platform.adapter import platform_for
from blended_xblocks.xblock.handlers import json_body, json_response, request_handler

# A runtime lives for one request (the LMS and the demo make one per request): what it has read dies with it.
_READ_BY_RUNTIME = weakref.WeakKeyDictionary()
# Static files' URLs by (runtime class, block type, file): a few dozen in all (`static_url`).
_STATIC_URLS = {}
NOT_READ = object()  # a read argument the caller leaves to the callee (None may be what was read)

# Every service the adapter (platform.py) asks the runtime for. XBlock's `Runtime.service`
# refuses an undeclared service, so each block must declare all of them; Studio preview and
# no-login requests lack some, hence "wants" for everything but the user and i18n services.
NEEDED_SERVICES = ("user", "i18n")
WANTED_SERVICES = ("settings", "completion", "teams", "teams_configuration", "studio_user_permissions")


# What `render_authored` keeps: at most 256 pages' parts of at most 64 KiB of content each (a rubric,
# a form: a few KiB), some 30 MiB in the worst case, a few hundred KiB for a real course.
LARGEST_KEPT_CONTENT = 64 * 1024


@lru_cache(maxsize=256)
def _render_authored(name: str, content_json: str, domain: str, language: str) -> str:
    return mark_safe(render_in(language, domain, name, json.loads(content_json)))  # escaped by its template


@XBlock.needs(*NEEDED_SERVICES)
@XBlock.wants(*WANTED_SERVICES)
class BlendedBlockMixin(XBlock):
    """The base of every block class: services declared once, identity, i18n, rendering.

    Subclasses set `i18n_domain`.
    """

    i18n_domain = "common"
    i18n_js_namespace = "BlendedXBlocksI18N"
    block_settings_key = "BlendedXBlocks"
    public_dir = "static"
    resources_dir = "."

    # Platform and identity ---------------------------------------------------------------------
    @cached_property
    def platform(self):
        return platform_for(self)

    @cached_property
    def current_user(self):
        return self.platform.current_user()

    @property
    def is_staff(self) -> bool:
        return self.current_user.is_staff

    def require_staff(self):
        if not self.is_staff:
            raise Forbidden("staff_only", N_("Only course staff can do this."))

    def require_author(self):
        if not self.platform.can_author():
            raise Forbidden("staff_only", N_("Only course staff can do this."))

    def require_learner(self):
        if not self.current_user.is_authenticated:
            raise Forbidden("sign_in_required", N_("Sign in to take part."))

    # Never `usage_key`, `course_key`, `location`, `url_name`, `course_id`, `category`,
    # `context_key`: XBlock and the platform's XModuleMixin own those names (OPENEDX.md).
    @property
    def course_key_string(self) -> str:
        """The course key as text, the form our tables store."""
        return self.platform.course_key()

    @property
    def usage_key_string(self) -> str:
        """The block's usage key as text, the form our tables store."""
        return self.platform.usage_key()

    def current_learner(self, read=None):
        """This course's `Learner` row for the requesting user (created or refreshed), read once per
        request: a unit of ten blocks shares one runtime, and so one read of the row.

        `read`: how this block reads the row with its own rows for the learner (`Learner.objects.record`),
        used when this block is the first of the request to ask, so that its page's first read is
        also its own. `read` keeps what it read (`keep_with_learner`); a block that finds nothing kept
        (`kept_with_learner`: the learner was read by another block, or created now) reads its rows itself."""
        from blended_xblocks.platform.models import Learner
        self.refuse_in_preview()
        self.require_learner()
        user = self.current_user
        return self.per_request(("learner", self.course_key_string, user.anonymous_id),
                                lambda: Learner.objects.record(self.course_key_string, user, read=read))

    # Reads shared by the blocks of one page --------------------------------------------------------
    def per_request(self, key, read):
        """`read()`, done once per request for `key`: the blocks of a unit share one runtime, so a page
        of ten webinars reads the learner's registrations once, not ten times. Nothing outlives the
        request: the next page (after a handler changed something) reads afresh."""
        known = _READ_BY_RUNTIME.setdefault(self.runtime, {})
        if key not in known:
            known[key] = read()
        return known[key]

    def forget_per_request(self, key):
        """Drop what `per_request` kept for `key` (this request changed the rows it read)."""
        _READ_BY_RUNTIME.get(self.runtime, {}).pop(key, None)

    def page_usage_keys(self) -> frozenset:
        """The usage keys (as text) of the blocks shown with this one: its parent's children, the
        unit the page renders, and always this block (alone when rendered or called on its own)."""
        # Only a parent that loaded this block as its child (`for_parent`, as a unit renders its
        # children): reading the `parent` field would cost a query per block in some runtimes.
        parent = getattr(self, "_parent_block", None)
        if parent is None:
            return frozenset((self.usage_key_string,))
        return self.per_request(("page", str(parent.scope_ids.usage_id)), lambda: frozenset(
            [str(child) for child in getattr(parent, "children", None) or ()] + [self.usage_key_string]))

    def page_read(self, name, read_for_keys):
        """What `read_for_keys(keys)` answers for the page's blocks (a dict by usage key, say), read
        once per request: the first block of the page pays one query for all of them."""
        keys = self.page_usage_keys()
        return self.per_request((name, keys), lambda: read_for_keys(sorted(keys)))

    def keep_page_read(self, name, value):
        """Keep `value` as what `page_read(name, …)` answers for the rest of the request: the caller read
        it for the page's blocks with another read (the learner's row with a page's webinar sessions).
        Called before any `page_read(name, …)` of the request (a read answered already is kept)."""
        keys = self.page_usage_keys()
        self.per_request((name, keys), lambda: value)

    def mirror_settings(self, values: dict):
        """Mirror the settings other packages judge outcomes by (`platform.published_settings`). The
        block's stored copy came with the learner's row when the block read it so
        (`_read_learner_with_settings`); else the stored copies of the page's blocks are read
        together, once per request."""
        stored = self.kept_with_learner("stored_settings")
        if stored is NOT_READ:
            page = self.page_read("published_settings", published_settings.stored_in_bulk)
            stored = page.get(self.usage_key_string)
            page[self.usage_key_string] = (self.course_key_string, values)  # what `publish` below leaves stored
        published_settings.publish(self.course_key_string, self.usage_key_string, self.scope_ids.block_type, values,
                                   stored=stored)

    def _read_learner_with_settings(self, **where):
        """`current_learner`'s read for a block whose settings are mirrored: the learner's row with the
        block's stored copy, one query (kept for `mirror_settings`)."""
        row = published_settings.LEARNER_WITH_STORED.first(usage_key=self.usage_key_string, **where)
        if row is not None:
            self.keep_with_learner(stored_settings=published_settings.take_stored(row))
        return row

    def keep_with_learner(self, **rows):
        """For a `current_learner` read: keep what it read with the learner's row for this block's view."""
        self.__dict__.setdefault("_kept_with_learner", {}).update(rows)

    def kept_with_learner(self, name: str):
        """What the learner's read kept under `name` (handed out once), or NOT_READ: another block of
        the page read the learner, the learner was created now, or the view read no learner."""
        return self.__dict__.get("_kept_with_learner", {}).pop(name, NOT_READ)

    # Previews ------------------------------------------------------------------------------------
    def in_preview(self, context=None, request=None) -> bool:
        """Is this a preview, whose draft fields share the usage key with the live block?

        Studio preview: its runtime (`platform.is_studio_preview`). The LMS's draft preview for staff
        (`render_xblock?preview=1`): the LMS passes the page's query to `student_view` as its context,
        and the shared JavaScript adds `preview=1` to every handler call made from such a page.
        """
        if context and str(context.get("preview", "")) == "1":
            return True
        if request is not None and request.GET.get("preview") == "1":
            return True
        return self.platform.is_studio_preview()

    def refuse_in_preview(self, request=None):
        if self.in_preview(request=request):
            raise Conflict("preview_read_only",
                           N_("This is a preview: nothing is saved here. Learners use the published course."))

    def author_view(self, context=None):
        """Studio's preview of the block: its settings, read from the fields only (no database)."""
        rows = [(self.gettext(self.fields[name].display_name), self.author_value(name)) for name in self.author_fields]
        context = {"title": self.display_name, "rows": rows, "sections": self.author_sections()}
        fragment = Fragment(self.render_template("blended_xblocks/common/author.html", context))
        fragment.add_css_url(self.static_url("common/blended.css"))
        fragment.add_css_url(self.static_url("common/author.css"))
        return fragment

    author_fields: tuple = ()

    def author_value(self, name: str) -> str:
        value = getattr(self, name)
        if isinstance(value, bool):
            return self.gettext("Yes") if value else self.gettext("No")
        if value in ("", None, []):
            return self.gettext("Not set")
        if isinstance(value, float):
            return f"{value:g}"
        return str(value)

    def author_sections(self) -> list:
        """[(heading, safe HTML)] shown under the settings (a description, a prompt, a rubric)."""
        return []

    # Mobile apps (Course Blocks API) -------------------------------------------------------------
    def student_view_data(self, context=None) -> dict:
        """JSON for the mobile apps (documented in docs/api.md); database reads only, never a write.

        The Course Blocks API collects this once per publish, from blocks bound to no learner, and
        caches it for everyone: so `learner` is filled only for a block bound to a signed-in
        learner, and is null there (the apps show the learner's own state in `student_view`).
        """
        return {"block_type": self.scope_ids.block_type, "display_name": self.display_name,
                **self.mobile_settings(), "learner": self.mobile_learner() if self.bound_to_learner() else None}

    def bound_to_learner(self) -> bool:
        return (self.scope_ids.user_id is not None and self.current_user.is_authenticated
                and not self.in_preview())

    def known_learner(self):
        """The requesting learner's `Learner` row, read only: None if they never used a block of the course."""
        from blended_xblocks.platform.models import Learner
        return Learner.objects.filter(course_key=self.course_key_string,
                                      anonymous_user_id=self.current_user.anonymous_id).first()

    def mobile_settings(self) -> dict:
        return {}

    def mobile_learner(self) -> dict:
        return {}

    # i18n ------------------------------------------------------------------------------------
    @cached_property
    def translator(self) -> Translator:
        return Translator(self.i18n_domain)

    def gettext(self, message: str) -> str:
        return self.translator.gettext(message)

    def ngettext(self, singular: str, plural: str, count: int) -> str:
        return self.translator.ngettext(singular, plural, count)

    # Rendering -------------------------------------------------------------------------------
    def render_template(self, name: str, context: dict) -> str:
        return render(name, context, self.translator)

    def render_authored(self, name: str, **content) -> str:
        """Template `name` over authored content only (a rubric: no learner, no clock), rendered once per
        process for each content, domain and language (ADR 0012); an edit is new content, shown at once.
        Content past LARGEST_KEPT_CONTENT (a call of fifty long questions, say) is rendered each time."""
        as_json = json.dumps(content, sort_keys=True)
        if len(as_json) > LARGEST_KEPT_CONTENT:
            return mark_safe(self.render_template(name, content))  # escaped by its template
        return _render_authored(name, as_json, self.i18n_domain, self.translator.language)

    def static_url(self, relative: str) -> str:
        """The runtime's URL of one of our static files, asked once per process, runtime class, block type
        and file (ADR 0012: what depends on no learner is kept per process). In the platforms we target
        the LMS, Studio and the SDK answer from the block type, the file and their settings (the LMS's
        `xblock_local_resource_url`: a `reverse` or the static files storage), not from the learner;
        a site served under several script names, or whose theme overrides our files, would get the
        first one's. Asking costs a `reverse` (some 35 µs) per file, four or five files a view."""
        key = (type(self.runtime), self.scope_ids.block_type, relative)  # URLs name the block type
        url = _STATIC_URLS.get(key)
        if url is None:
            url = _STATIC_URLS[key] = self.runtime.local_resource_url(self, f"{self.public_dir}/{relative}")
        return url

    def build_fragment(self, template: str, context: dict, *, js: str | tuple, css: str | tuple,
                       init_fn: str, init_args: dict | None = None, preview: bool = False) -> Fragment:
        """A fragment with the shared JS and CSS, the block's files (`js`, `css`: one or a tuple, in
        load order) and the strings of all its scripts translated.

        A page loads only what its viewer needs: a learner's never gets the staff script
        (`<block>_staff.js`) nor Studio's helpers (`common/studio.js`), each page stays within its
        20 KiB (tests/test_page_budgets.py).
        In a preview, a notice comes first; its `data-blended-preview` marker makes the shared
        JavaScript add `preview=1` to every handler call, which the server then refuses."""
        html = self.render_template(template, context)
        if preview:
            html = self.render_template("blended_xblocks/common/preview_notice.html", {}) + html
        fragment = Fragment(html)
        scripts = ("common/blended.js", *((js,) if isinstance(js, str) else js))
        for name in ("common/blended.css", *((css,) if isinstance(css, str) else css)):
            fragment.add_css_url(self.static_url(name))
        for name in scripts:
            fragment.add_javascript_url(self.static_url(name))
        args = dict(init_args or {})
        args["i18n"] = js_catalogue(self.translator, *scripts)
        args["language"] = self.translator.language
        fragment.initialize_js(init_fn, json_args=args)
        return fragment

    @classmethod
    def open_local_resource(cls, uri):
        """Serve files from the package's static/ folder only (never templates or code)."""
        if isinstance(uri, bytes):
            uri = uri.decode("utf-8")
        prefix = cls.public_dir + "/"
        if not uri.startswith(prefix) or ".." in uri or "/." in uri:
            raise DisallowedFileError(uri)
        try:
            return static_path(uri[len(prefix):]).open("rb")
        except FileNotFoundError as error:
            raise DisallowedFileError(uri) from error


class StudioEditorMixin(StudioEditableXBlockMixin):
    """One Studio editor for every block: one `studio_view`, one `submit_studio_edits`.

    A block with its own form sets `studio_module` (its studio.py: `studio_context(block)` for the
    template, `clean(block, values, reset)` returning the fields to set or raising BadRequest naming
    the field; `reset` names the editable fields going back to their default) and `studio_assets`
    (js, css, init function); its template is `blended_xblocks/<block>/studio.html`. A block without one keeps XBlock's generic form over
    `editable_fields`, checked by the fields' types and the block's `validate_field_data`, whose
    messages come back as `{"error": {"code": "invalid_settings", "message", "messages": [...]}}`.

    Only authors open or save the editor; a save changes nothing unless every value passes. It writes
    the draft's fields, no table, so previews allow it.
    """

    studio_module = None
    studio_assets: tuple = ()  # (js, css, init function) of the block's own form

    def studio_view(self, context=None):
        self.require_author()
        if self.studio_module is None:
            return super().studio_view(context)
        js, css, init_fn = self.studio_assets
        return self.build_fragment(f"blended_xblocks/{self.studio_package()}/studio.html",
                                   self.studio_module.studio_context(self), js=js, css=css, init_fn=init_fn)

    def studio_package(self) -> str:
        return self.studio_module.__name__.split(".")[-2]

    @request_handler(methods=("POST",), preview_safe=True)
    def submit_studio_edits(self, request):
        self.require_author()
        data = json_body(request)
        if self.studio_module is None:
            self.apply_studio_edits(*self.generic_values(data))
        else:
            data = validate(STUDIO_EDITS, data)
            self.apply_studio_edits(data["values"], data["defaults"])
        return json_response({"result": "success"})

    def apply_studio_edits(self, values: dict, defaults=()):
        """Check every value (the block's studio.py `clean`, or the generic rules), then set them all;
        `defaults` names editable fields to reset (XBlock's editor protocol)."""
        if self.studio_module is None:
            cleaned, to_reset = self.clean_generic(values, defaults)
        else:
            to_reset = self.studio_resets(values, defaults)
            cleaned = self.studio_module.clean(self, values, to_reset)
        for name, value in cleaned.items():
            setattr(self, name, value)
        for name in to_reset:
            self.fields[name].delete_from(self)
        self.save()

    def studio_resets(self, values: dict, defaults: list) -> list:
        unknown = sorted({str(name) for name in defaults} - set(self.editable_fields))
        if unknown:
            raise BadRequest("unknown_field", N_("Unknown field “{field}”."), field=unknown[0])
        return [name for name in defaults if name not in values and self.fields[name].is_set_on(self)]

    @staticmethod
    def generic_values(data) -> tuple:
        values = data.get("values") if isinstance(data, dict) else None
        defaults = data.get("defaults", []) if isinstance(data, dict) else None
        if not isinstance(values, dict) or not isinstance(defaults, list):
            raise BadRequest("invalid_json", N_("The request body must be a JSON object."))
        return values, defaults

    def clean_generic(self, values: dict, defaults: list) -> tuple:
        unknown = sorted({str(name) for name in [*values, *defaults]} - set(self.editable_fields))
        if unknown:
            raise BadRequest("unknown_field", N_("Unknown field “{field}”."), field=unknown[0])
        cleaned = {}
        for name, raw in values.items():
            field = self.fields[name]
            try:
                if not isinstance(field, JSONField):
                    raise TypeError(name)
                cleaned[name] = field.from_json(raw)
            except (TypeError, ValueError) as error:
                raise BadRequest("invalid_field", N_("“{field}” is not in the expected format."), field=name) from error
        to_reset = [name for name in defaults if name not in values and self.fields[name].is_set_on(self)]
        self.clean_studio_edits(cleaned)
        validation = Validation(self.scope_ids.usage_id)
        try:
            self.validate_field_data(validation, FutureFields(cleaned, to_reset, self))
        except (TypeError, ValueError, AttributeError) as error:
            raise BadRequest("invalid_settings", N_("These settings cannot be saved.")) from error
        if not validation:
            messages = validation.to_json()["messages"]
            refusal = BadRequest("invalid_settings", messages[0]["text"])
            refusal.extra["messages"] = messages
            raise refusal
        return cleaned, to_reset


def to_json(value) -> str:
    """JSON for embedding in an HTML attribute (the template escapes it)."""
    return json.dumps(value, separators=(",", ":"))
