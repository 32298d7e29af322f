"""Stand-ins for the XBlock services Open edX gives a block, with the real services' interfaces.

Each class names the platform code it models; none of that code is copied. The host
(tests/openedx/host.py) decides which of them a block gets in each place it runs.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.utils import translation
from xblock.reference.user_service import UserService, XBlockUser


@dataclass(frozen=True)
class Person:
    """A platform account (`auth.User` plus profile and preferences)."""

    user_id: int
    username: str
    full_name: str
    email: str
    time_zone: str = ""

    def anonymous_id(self, course_key) -> str:
        """Course-specific, stable and opaque, as `student.models.anonymous_id_for_user` makes it."""
        return hashlib.md5(f"host-secret|{course_key}|{self.user_id}".encode()).hexdigest()


@dataclass
class Team:
    """A team of one teamset (`lms/djangoapps/teams/models.py` CourseTeam)."""

    team_id: str
    name: str
    topic_id: str
    members: list = field(default_factory=list)


class HostUserService(UserService):
    """`common/djangoapps/xblock_django/user_service.py` DjangoXBlockUserService.

    `anonymous_user_id=None` is what the LMS gives a visitor who is not signed in and what Studio's
    editor gives (it passes none); Studio preview passes the fixed id "student".
    """

    def __init__(self, person: Person | None, *, directory: dict, course_key, anonymous_user_id=None,
                 user_is_staff=False, user_role="student"):
        signed_in = person is not None
        user = XBlockUser(
            is_current_user=True,
            emails=[person.email] if signed_in else [],
            full_name=person.full_name if signed_in else "",
        )
        user.opt_attrs.update({
            "edx-platform.is_authenticated": signed_in,
            "edx-platform.user_id": person.user_id if signed_in else None,
            "edx-platform.username": person.username if signed_in else None,
            "edx-platform.anonymous_user_id": anonymous_user_id,
            "edx-platform.user_is_staff": user_is_staff,
            "edx-platform.user_role": user_role if signed_in else None,
            "edx-platform.user_preferences": {"time_zone": person.time_zone} if signed_in else {},
        })
        super().__init__(user=user)
        self._directory = directory
        self._course_key = course_key
        self.person = person

    def get_current_user(self):
        return self._user

    def get_user_by_anonymous_id(self, uid=None):
        """The account behind a course-specific anonymous id (the current user's when `uid` is None):
        the Django `User` row, as the platform returns it (`.id`, `.username`, `.email`); for a visitor
        not signed in, Django's `AnonymousUser`; None for an id nobody has."""
        if uid is None and self.person is None:
            return AnonymousUser()
        person = self.person if uid is None else next(
            (person for person in self._directory.values() if person.anonymous_id(self._course_key) == uid), None)
        return None if person is None else get_user_model().objects.get(id=person.user_id)

    def get_anonymous_user_id(self, username, course_id):
        person = self._directory.get(username)
        return person.anonymous_id(course_id) if person else None


class HostI18nService:
    """`xmodule/services.py` XBlockI18nService: Django's translation functions for the block
    (with the `ugettext`/`ungettext` names XBlock's Studio editor still calls)."""

    ALIASES = {"ugettext": "gettext", "ungettext": "ngettext"}

    def __init__(self, block=None):
        self.block = block

    def __getattr__(self, name):
        return getattr(translation, self.ALIASES.get(name, name))


class HostSettingsService:
    """`xmodule/services.py` SettingsService: `XBLOCK_SETTINGS[block_settings_key or class name]`."""

    def get_settings_bucket(self, block, default=None):
        bucket = getattr(block, "block_settings_key", None) or block.unmixed_class.__name__
        return getattr(settings, "XBLOCK_SETTINGS", {}).get(bucket, {} if default is None else default)


class HostCompletionService:
    """`completion/services.py` CompletionService, bound to the signed-in learner and course.

    Records into `store` ({(user_id, block key text): completion}), the BlockCompletion table's place.
    """

    def __init__(self, person: Person, course_key, store: dict):
        self.person, self.course_key, self.store = person, course_key, store

    def completion_tracking_enabled(self):
        return True

    def get_completions(self, candidates):
        return {key: self.store.get((self.person.user_id, str(key)), 0.0) for key in candidates}

    def submit_completion(self, block_key, completion):
        self.store[(self.person.user_id, str(block_key))] = completion

    def submit_group_completion(self, block_key, completion, users=None, user_ids=None):
        ids = set(user_ids or ()) | {user.user_id for user in users or ()}
        for user_id in ids:
            self.store[(user_id, str(block_key))] = completion


class HostTeamsService:
    """`lms/djangoapps/teams/services.py` TeamsService over the host's teams."""

    def __init__(self, teams: list, course_key):
        self.teams, self.course_key = teams, course_key

    def get_team(self, user, course_id, topic_id):
        """`user` is the Django `User` the user service gives; members are compared by account id."""
        return next((team for team in self.teams
                     if team.topic_id == topic_id and getattr(user, "id", None) in {member.user_id for member in team.members}), None)

    def get_team_by_team_id(self, team_id):
        return next((team for team in self.teams if team.team_id == team_id), None)

    def get_anonymous_user_ids_for_team(self, user, team):
        return [member.anonymous_id(self.course_key) for member in team.members]

    def get_team_detail_url(self, team):
        return f"/courses/{self.course_key}/teams/#teams/{team.topic_id}/{team.team_id}"


class HostTeamsConfigurationService:
    """`openedx/core/lib/teams_config.py` via TeamsConfigurationService: the course's teamsets."""

    def __init__(self, teams: list):
        self.teams = teams

    def get_teams_configuration(self, course_id):
        topics = sorted({team.topic_id for team in self.teams})
        return {"teamsets": [{"id": topic, "name": topic} for topic in topics]}


class HostStudioPermissions:
    """`cms/djangoapps/contentstore/.../StudioPermissionsService`: course author rights."""

    def __init__(self, writable_courses=(), readable_courses=()):
        self.writable = {str(key) for key in writable_courses}
        self.readable = self.writable | {str(key) for key in readable_courses}

    def can_read(self, course_key):
        return str(course_key) in self.readable

    def can_write(self, course_key):
        return str(course_key) in self.writable


class HostPublishService:
    """`lms/djangoapps/courseware/services.py` EventPublishingService as the LMS handles events.

    A `grade` event becomes the learner's StudentModule grade ({(user_id, block key text): (value,
    max_value)}); a `completion` event a BlockCompletion. Anonymous visitors publish nothing, as in
    the LMS (grades are ignored for users who are not signed in).
    """

    def __init__(self, person: Person | None, student_module: dict, completions: dict):
        self.person, self.student_module, self.completions = person, student_module, completions

    def publish(self, block, event_type, event_data):
        if self.person is None:
            return
        key = (self.person.user_id, str(block.scope_ids.usage_id))
        if event_type == "grade":
            self.student_module[key] = (event_data["value"], event_data["max_value"])
        elif event_type == "completion":
            self.completions[key] = event_data["completion"]


class HostRebindUserService:
    """`lms/djangoapps/courseware/block_render.py` RebindUserService; our blocks never rebind."""

    def __init__(self, person):
        self.person = person

    def rebind_noauth_module_to_user(self, block, real_user):
        raise NotImplementedError("blended blocks do not rebind anonymous blocks to a user")
