"""Prepared queries answer what the ORM answers, on every database, and refuse what they cannot prepare."""
import datetime

import pytest
from django.db import connection
from django.db.models import Count, F, Q
from django.db.models.functions import TruncDate
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from blended_xblocks.core import prepared as prepared_module
from blended_xblocks.core.prepared import PreparedQuery
from blended_xblocks.platform.models import Learner, PublishedSettings
from blended_xblocks.webinar.models import WebinarRegistration, WebinarSession

pytestmark = pytest.mark.django_db

COURSE = "course-v1:IOM+REINT+2022"
START = datetime.datetime(2026, 5, 4, 9, 30, tzinfo=datetime.UTC)


@pytest.fixture
def sessions():
    """Three webinars; two learners registered for the first, one waiting, one on the second."""
    made = [WebinarSession.objects.create(course_key=COURSE, usage_key=f"block-v1:IOM+w{number}", title=f"W{number}",
                                          start=START + datetime.timedelta(days=number), capacity=2,
                                          waitlist=bool(number % 2)) for number in range(3)]
    people = [Learner.objects.create(course_key=COURSE, anonymous_user_id=f"anon-{name}", username=name)
              for name in ("amina", "omar", "sara")]
    for session, learner, status in ((made[0], people[0], "registered"), (made[0], people[1], "registered"),
                                     (made[0], people[2], "waitlisted"), (made[1], people[0], "registered")):
        WebinarRegistration.objects.create(session=session, learner=learner, status=status)
    return made, people


def with_seats(usage_keys):
    return WebinarSession.objects.filter(usage_key__in=usage_keys).annotate(
        seats_taken=Count("registrations", filter=Q(registrations__status="registered"))).order_by("usage_key")


def test_model_rows_come_back_as_the_orm_gives_them_with_annotations_and_dates(sessions):
    keys = ["block-v1:IOM+w0", "block-v1:IOM+w2"]
    prepared = PreparedQuery(with_seats)
    expected = list(with_seats(keys))
    for _ in range(2):  # built the first time, run from the kept SQL the second
        found = prepared(usage_keys=keys)
        assert [(row.pk, row.title, row.start, row.waitlist, row.seats_taken) for row in found] == [
            (row.pk, row.title, row.start, row.waitlist, row.seats_taken) for row in expected]
    assert [row.seats_taken for row in found] == [2, 0]
    assert found[0].start == START and found[0].start.tzinfo is not None
    assert found[1].waitlist is False and found[0]._state.db == "default" and not found[0]._state.adding


def test_new_values_reach_the_kept_sql(sessions):
    made, people = sessions
    prepared = PreparedQuery(lambda usage_keys, learner_id: WebinarRegistration.objects.filter(
        session__usage_key__in=usage_keys, learner_id=learner_id).values("session_id", "status").order_by("session_id"))
    keys = [session.usage_key for session in made]
    assert prepared(usage_keys=keys, learner_id=people[0].pk) == [
        {"session_id": made[0].pk, "status": "registered"}, {"session_id": made[1].pk, "status": "registered"}]
    assert prepared(usage_keys=keys, learner_id=people[2].pk) == [{"session_id": made[0].pk, "status": "waitlisted"}]
    assert prepared(usage_keys=keys[1:], learner_id=people[1].pk) == []  # a list of another length
    assert prepared(usage_keys=[keys[1], keys[0], keys[1]], learner_id=people[1].pk) == [  # repeated keys
        {"session_id": made[0].pk, "status": "registered"}]


def test_a_kept_shape_asks_the_database_once_and_the_same_sql(sessions):
    made, people = sessions
    prepared = PreparedQuery(lambda course_key, anonymous_user_id: Learner.objects.filter(
        course_key=course_key, anonymous_user_id=anonymous_user_id).values_list("username", flat=True))
    prepared(course_key=COURSE, anonymous_user_id="anon-amina")
    with CaptureQueriesContext(connection) as queries:
        assert prepared(course_key=COURSE, anonymous_user_id="anon-omar") == ["omar"]
        assert prepared(course_key=COURSE, anonymous_user_id="anon-nobody") == []
    assert len(queries) == 2
    assert "anon-omar" in queries[0]["sql"] and "anon-nobody" in queries[1]["sql"]


def test_only_the_most_recently_used_shapes_are_kept(sessions):
    made, _ = sessions
    builds = []

    def build(usage_keys):
        builds.append(len(usage_keys))
        return WebinarSession.objects.filter(usage_key__in=usage_keys).values_list("title", flat=True).order_by("title")
    prepared = PreparedQuery(build)
    keys = [session.usage_key for session in made] + [f"block-v1:IOM+none{number}" for number in range(30)]
    for length in range(1, prepared_module.SHAPES_KEPT + 2):
        assert prepared(usage_keys=keys[:length]) == ["W0", "W1", "W2"][:length]
    assert builds == [length for length in range(1, prepared_module.SHAPES_KEPT + 2) for _ in (0, 1)]  # twice each
    builds.clear()
    assert prepared(usage_keys=keys[:3]) == ["W0", "W1", "W2"]  # still kept: no build
    assert prepared(usage_keys=keys[:1]) == ["W0"]  # the least recently used was dropped: built again
    assert builds == [1, 1]


@pytest.mark.parametrize("form", ["values", "values_list"])
def test_annotations_and_fields_come_in_the_order_asked_as_the_orm_gives_them(sessions, form):
    def build(usage_keys):
        rows = WebinarSession.objects.filter(usage_key__in=usage_keys).annotate(
            taken=Count("registrations"), title_again=F("title")).order_by("usage_key")
        return getattr(rows, form)("taken", "title", "title_again", "capacity")
    keys = ["block-v1:IOM+w0", "block-v1:IOM+w1"]
    assert PreparedQuery(build)(usage_keys=keys) == list(build(keys))
    assert list(build(keys))[0] in ((3, "W0", "W0", 2), {"taken": 3, "title": "W0", "title_again": "W0", "capacity": 2})


def test_json_and_tuples_are_converted_as_the_orm_converts_them(sessions):
    PublishedSettings.objects.create(course_key=COURSE, usage_key="block-v1:IOM+ga", block_type="blended_group_assignment",
                                     values={"max_points": 10, "title": "Plan"})
    build = lambda usage_keys: PublishedSettings.objects.filter(usage_key__in=usage_keys).values_list(  # noqa: E731
        "usage_key", "values")
    assert PreparedQuery(build)(usage_keys=["block-v1:IOM+ga", "block-v1:IOM+none"]) == list(
        build(["block-v1:IOM+ga"])) == [("block-v1:IOM+ga", {"max_points": 10, "title": "Plan"})]


def test_an_empty_list_asks_nothing_and_a_long_one_goes_through_the_orm(sessions):
    made, _ = sessions
    prepared = PreparedQuery(lambda usage_keys: WebinarSession.objects.filter(usage_key__in=usage_keys).values_list(
        "title", flat=True).order_by("title"))
    with CaptureQueriesContext(connection) as queries:
        assert prepared(usage_keys=[]) == []
    assert len(queries) == 0
    many = [f"block-v1:IOM+other{number}" for number in range(prepared_module.LONGEST_PREPARED_LIST)] + [made[2].usage_key]
    assert prepared(usage_keys=many) == ["W2"]
    assert not getattr(prepared._local, "by_shape", None)  # no SQL kept for a length seen once


def test_constants_of_the_query_stay_and_a_constant_equal_to_a_stand_in_is_no_slot(sessions):
    made, people = sessions
    # The first value's first stand-in is 30_000 (the second build's: 31_000): a constant equal to
    # either must stay a constant in the kept SQL, not take the value's place.
    prepared = PreparedQuery(lambda learner_id, status: WebinarRegistration.objects.filter(
        learner_id=learner_id, status=status).exclude(session_id__in=[30_000, 31_000]).values_list(
        "session_id", flat=True).order_by("session_id"))
    assert prepared(learner_id=people[0].pk, status="registered") == [made[0].pk, made[1].pk]
    assert prepared(learner_id=people[2].pk, status="waitlisted") == [made[0].pk]
    with CaptureQueriesContext(connection) as queries:
        prepared(learner_id=people[1].pk, status="registered")
    assert "30000" in queries[0]["sql"] and "31000" in queries[0]["sql"]


@pytest.mark.parametrize("value", [True, START.replace(tzinfo=None), 1.5, ["text", 1]])
def test_values_a_stand_in_cannot_stand_for_are_refused(value):
    prepared = PreparedQuery(lambda start: WebinarSession.objects.filter(start=start))
    with pytest.raises(TypeError):
        prepared(start=value)


def test_values_that_change_the_sql_itself_go_through_the_orm_on_every_call(sessions):
    made, people = sessions
    Learner.objects.create(course_key=COURSE, anonymous_user_id="anon-nobody", username="nobody", user_id=None)
    people[0].user_id = 7
    people[0].save()
    by_user = PreparedQuery(lambda user_id: Learner.objects.filter(user_id=user_id).values_list("username", flat=True)
                            .order_by("username"))
    assert by_user(user_id=7) == ["amina"]
    assert by_user(user_id=None) == list(Learner.objects.filter(user_id=None).values_list(  # IS NULL, as the ORM asks
        "username", flat=True).order_by("username")) == ["nobody", "omar", "sara"]
    assert by_user(user_id=2**40) == []  # out of the column's range: the ORM knows nothing matches
    others = PreparedQuery(lambda ids: WebinarSession.objects.exclude(pk__in=ids).values_list("title", flat=True)
                           .order_by("title"))
    assert others(ids=[made[0].pk]) == ["W1", "W2"]
    assert others(ids=[]) == ["W0", "W1", "W2"]  # excluding nothing is everything


def test_a_value_the_orm_escapes_is_refused(sessions):
    Learner.objects.create(course_key=COURSE, anonymous_user_id="anon-abc", username="abc")
    Learner.objects.create(course_key=COURSE, anonymous_user_id="anon-a_c", username="A_c")
    build = lambda username: Learner.objects.filter(username__iexact=username).values_list(  # noqa: E731
        "username", flat=True)
    prepared = PreparedQuery(build)
    if connection.vendor == "postgresql":  # UPPER(x) = UPPER(%s): the value is sent as it is
        assert prepared(username="a_c") == list(build("a_c")) == ["A_c"]
        return
    with pytest.raises(ValueError, match="changed"):  # LIKE 'a\_c' ESCAPE '\': `_` would match any letter
        prepared(username="a_c")


def test_ordering_columns_a_distinct_query_adds_are_not_handed_out(sessions):
    build = lambda course_key: WebinarSession.objects.filter(course_key=course_key).order_by(  # noqa: E731
        "start").values_list("title", flat=False).distinct()
    assert PreparedQuery(build)(course_key=COURSE) == list(build(COURSE)) == [("W0",), ("W1",), ("W2",)]


def test_sql_that_depends_on_the_active_time_zone_is_kept_per_zone(sessions):
    made, _ = sessions
    made[2].start = START + datetime.timedelta(days=2, hours=1, minutes=30)  # 11:00 UTC: midnight the next day at UTC+13
    made[2].save()
    build = lambda course_key: WebinarSession.objects.filter(course_key=course_key).order_by(  # noqa: E731
        "start").annotate(day=TruncDate("start")).values_list("day", flat=True)
    prepared = PreparedQuery(build)
    assert prepared(course_key=COURSE)[-1] == datetime.date(2026, 5, 6)
    with timezone.override(datetime.timezone(datetime.timedelta(hours=13))):  # MariaDB: offsets up to +13:00 without zone tables
        shifted = list(build(COURSE))[-1]
        assert prepared(course_key=COURSE)[-1] == shifted
    assert prepared(course_key=COURSE)[-1] == datetime.date(2026, 5, 6)
    # MariaDB without its time-zone tables converts from "UTC" to NULL, for the ORM as for us.
    assert shifted == (None if connection.vendor == "mysql" else datetime.date(2026, 5, 7))


def test_a_query_the_orm_knows_matches_nothing_answers_nothing(sessions):
    prepared = PreparedQuery(lambda course_key: WebinarSession.objects.filter(course_key=course_key, pk__in=[]))
    with CaptureQueriesContext(connection) as queries:
        assert prepared(course_key=COURSE) == [] and prepared(course_key=COURSE) == []
    assert len(queries) == 0


def test_locks_are_refused(sessions):
    prepared = PreparedQuery(lambda course_key: WebinarSession.objects.filter(course_key=course_key).select_for_update())
    with pytest.raises(TypeError):
        prepared(course_key=COURSE)


def test_a_query_whose_sql_would_freeze_a_changing_constant_is_refused(sessions):
    prepared = PreparedQuery(lambda course_key: WebinarSession.objects.filter(course_key=course_key, end__gte=timezone.now()))
    with pytest.raises(ValueError, match="changed"):
        prepared(course_key=COURSE)


def test_a_value_wrapped_for_a_lookup_is_refused_and_one_the_sql_does_not_use_is_ignored(sessions):
    prepared = PreparedQuery(lambda title: WebinarSession.objects.filter(title__icontains=title))
    with pytest.raises(ValueError, match="changed"):  # sent as '%W%'
        prepared(title="W")

    def titles(course_key, author_id, is_staff):
        rows = WebinarSession.objects.filter(course_key=course_key)
        return (rows if is_staff else rows.filter(pk=author_id)).values_list("title", flat=True).order_by("title")
    either = PreparedQuery(titles, shape=("is_staff",))
    made, _ = sessions
    assert either(course_key=COURSE, author_id=made[1].pk, is_staff=True) == ["W0", "W1", "W2"]
    assert either(course_key=COURSE, author_id=made[1].pk, is_staff=False) == ["W1"]


def test_rows_joined_with_select_related_come_filled_in_and_prefetches_are_refused(sessions):
    made, people = sessions
    prepared = PreparedQuery(lambda learner_id: WebinarRegistration.objects.filter(learner_id=learner_id).select_related(
        "session", "learner").order_by("session__start"))
    with CaptureQueriesContext(connection) as queries:
        found = prepared(learner_id=people[0].pk)
        assert [(row.session.title, row.session.start, row.learner.username) for row in found] == [
            ("W0", START, "amina"), ("W1", START + datetime.timedelta(days=1), "amina")]
    assert len(queries) == 1
    with pytest.raises(TypeError):
        PreparedQuery(lambda learner_id: WebinarRegistration.objects.filter(learner_id=learner_id).prefetch_related(
            "session"))(learner_id=people[0].pk)


def test_first_is_the_first_row_or_none(sessions):
    prepared = PreparedQuery(lambda course_key, anonymous_user_id: Learner.objects.filter(
        course_key=course_key, anonymous_user_id=anonymous_user_id).order_by("pk")[:1])
    assert prepared.first(course_key=COURSE, anonymous_user_id="anon-omar").username == "omar"
    assert prepared.first(course_key=COURSE, anonymous_user_id="anon-nobody") is None
