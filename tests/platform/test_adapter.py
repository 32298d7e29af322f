"""The Open edX side of the adapter, against stand-ins for the LMS and Studio services."""
from types import SimpleNamespace

import pytest
from submissions import api as submissions_api

from blended_xblocks.platform.adapter import OpenEdxPlatform


class FakeRuntime:
    """Only the services named in `services` exist, like Studio preview versus the LMS."""

    def __init__(self, **services):
        self.services = services
        self.published = []

    def service(self, block, name):
        if name not in self.services:
            raise Exception(f"no service {name}")  # NoSuchServiceError in the real runtime
        return self.services[name]

    def publish(self, block, event, data):
        self.published.append((event, data))


def lms_user(**attrs):
    user = SimpleNamespace(emails=["amina@example.org"], full_name="Amina Diallo", opt_attrs={
        "edx-platform.anonymous_user_id": "anon-1", "edx-platform.user_id": 7,
        "edx-platform.username": "amina", "edx-platform.user_is_staff": False,
        "edx-platform.user_preferences": {"time_zone": "Africa/Dakar"}, **attrs})
    return SimpleNamespace(get_current_user=lambda: user)


def block_with(runtime):
    usage_key = SimpleNamespace(context_key="course-v1:IOM+REINT+2022", block_id="webinar-3")
    return SimpleNamespace(runtime=runtime, scope_ids=SimpleNamespace(usage_id=usage_key, block_type="blended_webinar"))


def test_current_user_comes_from_the_user_service():
    platform = OpenEdxPlatform(block_with(FakeRuntime(user=lms_user())))
    user = platform.current_user()
    assert (user.anonymous_id, user.user_id, user.username, user.email, user.time_zone, user.is_staff) == (
        "anon-1", 7, "amina", "amina@example.org", "Africa/Dakar", False)
    assert platform.course_key() == "course-v1:IOM+REINT+2022"
    assert platform.url_name() == "webinar-3"


def test_staff_flag_is_read_from_the_user_service_only():
    platform = OpenEdxPlatform(block_with(FakeRuntime(user=lms_user(**{"edx-platform.user_is_staff": True}))))
    assert platform.current_user().is_staff


def test_anonymous_visitor_has_no_identity():
    runtime = FakeRuntime(user=lms_user(**{"edx-platform.anonymous_user_id": None}))
    assert not OpenEdxPlatform(block_with(runtime)).current_user().is_authenticated


def test_studio_preview_without_completion_or_teams_service_is_harmless():
    platform = OpenEdxPlatform(block_with(FakeRuntime(user=lms_user())))
    platform.complete_for([SimpleNamespace(user_id=7)])
    assert platform.team_for_current_user("reintegration-teams") is None
    assert not platform.teams_available()


def test_completion_for_others_goes_to_the_completion_service():
    calls = []
    completion = SimpleNamespace(submit_group_completion=lambda **kwargs: calls.append(kwargs))
    platform = OpenEdxPlatform(block_with(FakeRuntime(user=lms_user(), completion=completion)))
    platform.complete_for([SimpleNamespace(user_id=7), SimpleNamespace(user_id=None), SimpleNamespace(user_id=9)])
    assert calls[0]["user_ids"] == [7, 9] and calls[0]["completion"] == 1.0


def test_a_no_login_request_records_completion_through_the_model_api(monkeypatch):
    """A supervisor's link: the LMS gives an anonymous request no completion service."""
    recorded = []
    monkeypatch.setattr(OpenEdxPlatform, "_complete_detached", lambda self, ids, value: recorded.append((ids, value)))
    anonymous = FakeRuntime(user=lms_user(**{"edx-platform.anonymous_user_id": None}))
    OpenEdxPlatform(block_with(anonymous)).complete_for([SimpleNamespace(user_id=7)], 1.0)
    assert recorded == [([7], 1.0)]
    OpenEdxPlatform(block_with(FakeRuntime(user=lms_user()))).complete_for([SimpleNamespace(user_id=7)], 1.0)
    assert recorded == [([7], 1.0)]  # Studio preview: signed in, no service, nothing recorded


@pytest.mark.django_db
def test_staff_set_scores_reach_edx_submissions_and_update():
    platform = OpenEdxPlatform(block_with(FakeRuntime(user=lms_user())))
    platform.set_scores({"anon-1": (3, 4), "anon-2": (4, 4)})
    platform.set_scores({"anon-1": (2, 4)})
    item = {"student_id": "anon-1", "course_id": "course-v1:IOM+REINT+2022",
            "item_id": platform.usage_key(), "item_type": "blended_webinar"}
    score = submissions_api.get_score(item)
    assert (score["points_earned"], score["points_possible"]) == (2, 4)
    assert len(submissions_api.get_submissions(item)) == 1


def test_own_grade_is_kept_in_edx_submissions_for_the_current_learner(db):
    """Not the `grade` event: the LMS reads submissions first, so one store per block (issue 8, fix 6)."""
    runtime = FakeRuntime(user=lms_user())
    platform = OpenEdxPlatform(block_with(runtime))
    platform.publish_own_grade(1, 1)
    assert runtime.published == []
    item = {"student_id": "anon-1", "course_id": platform.course_key(), "item_id": platform.usage_key(),
            "item_type": "blended_webinar"}
    assert submissions_api.get_score(item)["points_earned"] == 1


@pytest.mark.django_db
def test_teammates_who_never_opened_the_block_get_completion_recorded(monkeypatch):
    """The teams service gives anonymous ids only; the user service resolves the ones we do not
    know (once, only those), so completion recorded for the team reaches every member."""
    from blended_xblocks.group_assignment import groups
    from blended_xblocks.group_assignment.models import GroupMembership
    from blended_xblocks.platform.models import Learner

    team = SimpleNamespace(team_id="team-sahel-1", name="Sahel practitioners")
    users = {"anon-1": SimpleNamespace(id=7, username="amina", email="amina@example.org"),
             "anon-2": SimpleNamespace(id=9, username="yusuf", email="yusuf@example.org"),
             "anon-3": None}  # e.g. a retired member: no user any more
    teams = SimpleNamespace(get_team=lambda user, course_id, teamset_id: team,
                            get_anonymous_user_ids_for_team=lambda user, team: sorted(users))
    lookups = []
    user_service = lms_user()
    user_service.get_user_by_anonymous_id = lambda uid=None: lookups.append(uid) or users[uid or "anon-1"]
    submitted = []
    completion = SimpleNamespace(submit_group_completion=lambda **kwargs: submitted.append(kwargs))
    platform = OpenEdxPlatform(block_with(FakeRuntime(user=user_service, teams=teams, completion=completion)))
    course, usage = platform.course_key(), platform.usage_key()
    Learner.objects.record(course, platform.current_user())  # amina opened the block; yusuf never did

    info = platform.team_for_current_user("reintegration-teams")
    lookups.clear()
    group = groups.sync_team(course, usage, info, resolve=platform.teammates)
    assert lookups == ["anon-2", "anon-3"]  # only the unknown teammates
    yusuf = Learner.objects.get(anonymous_user_id="anon-2")
    assert (yusuf.user_id, yusuf.username, yusuf.email) == (9, "yusuf", "yusuf@example.org")

    members = [row.learner for row in GroupMembership.objects.filter(group=group).select_related("learner")]
    platform.complete_for(members)
    assert sorted(submitted[0]["user_ids"]) == [7, 9]
    recorded = []
    monkeypatch.setattr(OpenEdxPlatform, "_complete_detached", lambda self, ids, value: recorded.append(sorted(ids)))
    OpenEdxPlatform.detached(course, usage, "blended_group_assignment").complete_for(members)  # the gradebook's push
    assert recorded == [[7, 9]]

    lookups.clear()
    groups.sync_team(course, usage, info, resolve=platform.teammates)
    assert lookups == ["anon-3"]  # resolved teammates are not looked up again


def test_teammate_lookups_are_bounded_and_survive_a_missing_service():
    user_service = lms_user()
    lookups = []
    user_service.get_user_by_anonymous_id = lambda uid=None: lookups.append(uid)
    platform = OpenEdxPlatform(block_with(FakeRuntime(user=user_service)))
    assert platform.teammates([f"anon-{i}" for i in range(500)]) == {}
    assert len(lookups) == OpenEdxPlatform.MAX_TEAMMATE_LOOKUPS
    assert OpenEdxPlatform(block_with(FakeRuntime())).teammates(["anon-1"]) == {}
