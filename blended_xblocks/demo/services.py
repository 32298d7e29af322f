"""The demo's XBlock services, shaped like the LMS's, so the blocks run the adapter code the LMS runs.

`?student=<id>` is the signed-in learner and their anonymous id (the existing tests and the demo
pages rely on that); ids listed in `BLENDED_DEMO_STAFF` are course staff. Completion lands in the
`DemoCompletion` table and scores in edx-submissions, where the demo pages read them.
"""
from __future__ import annotations

from types import SimpleNamespace

from django.conf import settings
from xblock.completable import XBlockCompletionMode
from xblock.reference.user_service import UserService, XBlockUser

from blended_xblocks.demo.people import demo_user_id, full_name

SIGNED_OUT = ("", "none")


def signed_in(student) -> bool:
    return bool(student) and str(student) not in SIGNED_OUT


class DemoUserService(UserService):
    """The LMS user service's `opt_attrs` for the `?student=` learner (nobody for `none`)."""

    def __init__(self, student):
        student = str(student or "")
        known = signed_in(student)
        user = XBlockUser(is_current_user=True, emails=[f"{student}@learners.example.org"] if known else [],
                          full_name=full_name(student) if known else "")
        user.opt_attrs.update({
            "edx-platform.is_authenticated": known,
            "edx-platform.user_id": demo_user_id(student) if known else None,  # the account our views see
            "edx-platform.username": student if known else None,
            "edx-platform.anonymous_user_id": student if known else None,
            "edx-platform.user_is_staff": student in settings.BLENDED_DEMO_STAFF,
            "edx-platform.user_role": "staff" if student in settings.BLENDED_DEMO_STAFF else "student",
            "edx-platform.user_preferences": {},
        })
        super().__init__(user=user)
        self.student = student

    def get_current_user(self):
        return self._user

    def get_user_by_anonymous_id(self, uid=None):
        """Demo anonymous ids are the usernames."""
        return uid or self.student or None

    def get_anonymous_user_id(self, username, course_id):
        return username


class DemoCompletionService:
    """The LMS completion service, recording into the demo's `DemoCompletion` table (keyed by
    anonymous id: demo learners have no account numbers, see platform.py)."""

    def __init__(self, student, course_key: str):
        self.student, self.course_key = student, course_key

    def completion_tracking_enabled(self):
        return True

    def get_completions(self, candidates):
        from blended_xblocks.demo.models import DemoCompletion

        found = dict(DemoCompletion.objects.filter(anonymous_user_id=self.student, usage_key__in=[str(key) for key in candidates])
                     .values_list("usage_key", "completion"))
        return {key: found.get(str(key), 0.0) for key in candidates}

    @staticmethod
    def can_mark_block_complete_on_view(block) -> bool:
        """The LMS's rule: a completable block with no score and no completion of its own; and no
        children (the LMS's containers are aggregators, the SDK's do not say so)."""
        return (XBlockCompletionMode.get_mode(block) == XBlockCompletionMode.COMPLETABLE
                and not getattr(block, "has_children", False)
                and not getattr(block, "has_custom_completion", False) and not getattr(block, "has_score", False))

    def blocks_to_mark_complete_on_view(self, blocks) -> list:
        """Those of a unit's blocks the LMS marks complete once seen and are not complete yet: one
        read for the unit, so a block seen again writes nothing (as edx-completion's service)."""
        blocks = [block for block in blocks if self.can_mark_block_complete_on_view(block)]
        if not blocks:
            return []
        done = self.get_completions([block.scope_ids.usage_id for block in blocks])
        return [block for block in blocks if done.get(block.scope_ids.usage_id, 0.0) < 1.0]

    def submit_completion(self, block_key, completion):
        self.record(block_key, [self.student], completion)

    def submit_group_completion(self, block_key, completion, users=None, user_ids=None):
        """Others' completion by account: demo accounts are their anonymous ids (usernames)."""
        self.record(block_key, [*(user_ids or ()), *(getattr(user, "username", user) for user in users or ())], completion)

    @staticmethod
    def record(block_key, anonymous_ids, completion):
        from blended_xblocks.demo.models import DemoCompletion

        for anonymous_id in anonymous_ids:
            DemoCompletion.objects.update_or_create(usage_key=str(block_key), anonymous_user_id=anonymous_id,
                                                    defaults={"completion": completion})


class DemoPublishService:
    """Where the LMS's `publish` service sends events: a learner's own `grade` becomes their score
    (through edx-submissions, which the demo's pages read), `completion` their completion."""

    def __init__(self, student, course_key: str):
        self.student, self.course_key = student, course_key

    def publish(self, block, event_type, event_data):
        if not signed_in(self.student):
            return  # the LMS ignores grades and completion of visitors who are not signed in
        if event_type == "grade":
            self._score(block, event_data["value"], event_data["max_value"])
            if not getattr(block, "has_custom_completion", False):
                # edx-completion marks a scored block complete (its `scorable_block_completion` handler)
                DemoCompletionService(self.student, self.course_key).submit_completion(block.scope_ids.usage_id, 1.0)
        elif event_type == "completion":
            DemoCompletionService(self.student, self.course_key).submit_completion(
                block.scope_ids.usage_id, event_data["completion"])

    def _score(self, block, earned, possible):
        from submissions import api as submissions_api

        item = {"student_id": self.student, "course_id": self.course_key,
                "item_id": str(block.scope_ids.usage_id), "item_type": block.scope_ids.block_type}
        existing = submissions_api.get_submissions(item, limit=1)
        uuid = existing[0]["uuid"] if existing else submissions_api.create_submission(item, {"blended": "own-grade"})["uuid"]
        submissions_api.set_score(uuid, earned, possible)


class DemoStudioPermissions:
    """Studio's `studio_user_permissions`: demo staff may edit every block."""

    def __init__(self, student):
        self.student = student

    def can_read(self, course_key):
        return self.can_write(course_key)

    def can_write(self, course_key):
        return self.student in settings.BLENDED_DEMO_STAFF


class DemoTeamsService:
    """The LMS teams service over `BLENDED_DEMO_TEAMS` ({teamset: {team name: [students]}})."""

    def __init__(self, teams: dict):
        self.teams = teams

    def get_team(self, user, course_id, topic_id):
        for name, members in self.teams.get(topic_id, {}).items():
            if user in members:
                return self.get_team_by_team_id(f"{topic_id}/{name}")
        return None

    def get_team_by_team_id(self, team_id):
        topic_id, _, name = team_id.partition("/")
        if name not in self.teams.get(topic_id, {}):
            return None
        return SimpleNamespace(team_id=team_id, name=name, topic_id=topic_id, members=list(self.teams[topic_id][name]))

    def get_anonymous_user_ids_for_team(self, user, team):
        return list(team.members)

    def get_team_detail_url(self, team):
        return ""


class DemoTeamsConfigurationService:
    """The course's teams configuration, as the LMS's service answers it."""

    def __init__(self, teams: dict):
        self.teams = teams

    def get_teams_configuration(self, course_id):
        return {"teamsets": [{"id": topic, "name": topic} for topic in sorted(self.teams)]}


def demo_services(student) -> dict:
    """The services the LMS gives a block for this learner (`prepare_runtime_for_user`): no
    completion service for a visitor who is not signed in; teams only where the demo defines some.
    Settings and i18n are the workbench's own (the LMS's equivalents)."""
    course_key = settings.BLENDED_DEMO_COURSE_KEY
    teams = getattr(settings, "BLENDED_DEMO_TEAMS", {}) or {}
    services = {
        "user": DemoUserService(student),
        "teams_configuration": DemoTeamsConfigurationService(teams),
        "studio_user_permissions": DemoStudioPermissions(student),
        "publish": DemoPublishService(str(student or ""), course_key),
    }
    if signed_in(student):
        services["completion"] = DemoCompletionService(str(student), course_key)
    if teams:
        services["teams"] = DemoTeamsService(teams)
    return services
