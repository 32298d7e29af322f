"""Each place an Open edX instance runs a block, with the services that place gives it.

A `Place` loads a fresh block for every render and handler call, as the platform does per
request. The service sets follow the platform's public source:

- LMS learner view and handlers: `lms/djangoapps/courseware/block_render.py`
  (`prepare_runtime_for_user`): user with the course-specific anonymous id and the staff flag,
  i18n, settings, completion (signed-in users only), teams, teams_configuration, publish,
  rebind_user; no studio_user_permissions.
- LMS `handler_noauth` (`handle_xblock_callback_noauth`): the same services bound to whoever is
  signed in on that browser, or to nobody (no anonymous id, no completion service).
- LMS staff draft preview (`lms/djangoapps/courseware/views/views.py` `render_xblock?preview=1`):
  the LMS services for a staff user, draft content under the same usage key. `render_xblock`
  passes its query string into the `student_view` context, so the view sees `preview: "1"`; the
  handlers its page calls go through the ordinary LMS handler URL and cannot tell.
- Studio preview (`cms/djangoapps/contentstore/views/preview.py`): user with the anonymous id
  "student" for every author and no staff flag, i18n, settings, teams_configuration,
  studio_user_permissions; no completion, teams, rebind_user or publish; author mode; the
  preview shows `author_view` only when the block sets `has_author_view`.
- Studio editor (`load_services_for_studio`, used by `component_handler`): user without
  anonymous id or staff flag, i18n, settings, teams_configuration, studio_user_permissions.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import translation

from tests.openedx.host import HostRuntime, OpenEdxHost, call_handler, request
from tests.openedx.services import (
    HostCompletionService,
    HostI18nService,
    HostPublishService,
    HostRebindUserService,
    HostSettingsService,
    HostStudioPermissions,
    HostTeamsConfigurationService,
    HostTeamsService,
    HostUserService,
    Person,
)
from tests.results import Result


@dataclass
class Place:
    """Where a block runs: `load`, `render` and `call` a handler there."""

    host: OpenEdxHost
    name: str
    person: Person | None
    services: dict = field(default_factory=dict)
    author_mode: bool = False
    handler_base: str = "/courses"
    view_context: dict = field(default_factory=dict)
    handler_query: str = ""  # added to every handler call made from this place (see lms_draft_preview)

    def runtime(self) -> HostRuntime:
        return HostRuntime(self.host, dict(self.services), author_mode=self.author_mode, handler_base=self.handler_base)

    def load(self, usage_key):
        return self.host.load(usage_key, self.runtime(), self.person.user_id if self.person else None)

    def preview_view(self, block) -> str:
        """The view this place shows: Studio preview prefers `author_view` only if the block says so."""
        if self.name == "studio_editor":
            return "studio_view"
        if self.author_mode and getattr(block, "has_author_view", False):
            return "author_view"
        return "student_view"

    def render(self, usage_key, view: str | None = None, language="en") -> str:
        block = self.load(usage_key)
        with translation.override(language):
            return block.render(view or self.preview_view(block), dict(self.view_context)).body_html()

    def call(self, usage_key, handler: str, data=None, *, language="en", **options) -> Result:
        if self.handler_query:
            options["query"] = "&".join(part for part in (self.handler_query, options.get("query", "")) if part)
        block = self.load(usage_key)
        with translation.override(language):
            return call_handler(block, handler, request(data, **options))

    def __str__(self):
        return self.name


def _user(host, person, **options):
    return HostUserService(person, directory=host.people, course_key=host.course_key, **options)


def _lms_services(host, person, *, staff):
    anonymous_id = person.anonymous_id(host.course_key) if person else None
    services = {
        "user": _user(host, person, anonymous_user_id=anonymous_id, user_is_staff=staff,
                      user_role="staff" if staff else "student"),
        "i18n": HostI18nService,
        "settings": HostSettingsService(),
        "teams": HostTeamsService(host.teams, host.course_key),
        "teams_configuration": HostTeamsConfigurationService(host.teams),
        "publish": HostPublishService(person, host.student_module, host.completions),
        "rebind_user": HostRebindUserService(person),
    }
    if person is not None:
        services["completion"] = HostCompletionService(person, host.course_key, host.completions)
    return services


RENDER_XBLOCK_CONTEXT = {"show_bookmark_button": False, "show_title": True}  # render_xblock's defaults


def lms(host: OpenEdxHost, person: Person, staff=False) -> Place:
    return Place(host, "lms_staff" if staff else "lms", person, _lms_services(host, person, staff=staff),
                 view_context=RENDER_XBLOCK_CONTEXT)


def lms_noauth(host: OpenEdxHost, person: Person | None = None) -> Place:
    """A third-party (no-login) handler: bound to whoever is signed in on that browser, or nobody."""
    return Place(host, "lms_noauth", person, _lms_services(host, person, staff=False), view_context=RENDER_XBLOCK_CONTEXT)


def lms_draft_preview(host: OpenEdxHost, person: Person) -> Place:
    """`render_xblock?preview=1`: the view gets the page's query as its context; the LMS runs the
    page's handler calls like any other (nothing marks them), so our shared JavaScript adds
    `preview=1` to every call made from such a page, and so do calls made here."""
    return Place(host, "lms_draft_preview", person, _lms_services(host, person, staff=True),
                 view_context={**RENDER_XBLOCK_CONTEXT, "preview": "1"}, handler_query="preview=1")


def studio_preview(host: OpenEdxHost, person: Person, can_write=True) -> Place:
    services = {
        "user": _user(host, person, anonymous_user_id="student", user_is_staff=False, user_role="instructor"),
        "i18n": HostI18nService,
        "settings": HostSettingsService(),
        "teams_configuration": HostTeamsConfigurationService(host.teams),
        "studio_user_permissions": HostStudioPermissions([host.course_key] if can_write else ()),
    }
    return Place(host, "studio_preview", person, services, author_mode=True, handler_base="/preview")


def studio_editor(host: OpenEdxHost, person: Person, can_write=True) -> Place:
    services = {
        "user": _user(host, person, anonymous_user_id=None, user_is_staff=False, user_role="instructor"),
        "i18n": HostI18nService,
        "settings": HostSettingsService(),
        "teams_configuration": HostTeamsConfigurationService(host.teams),
        "studio_user_permissions": HostStudioPermissions([host.course_key] if can_write else ()),
    }
    return Place(host, "studio_editor", person, services, author_mode=True, handler_base="/xblock")
