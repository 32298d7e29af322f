"""Staff views cost the same number of queries for 30 or 3,000 registrations."""
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.harness import crowd, webinar

COURSE = "course-v1:IOM+REINT+2022"


def ours(captured):
    """Queries on the package's tables (the workbench adds a constant ~18 reads of block fields)."""
    return [query for query in captured if "blended_xblocks_" in query["sql"]]


def queries(workbench, usage, handler, data):
    with CaptureQueriesContext(connection) as captured:
        result = workbench.call(usage, handler, data, student="instructor")
    assert result.status == 200, result.body
    return len(captured), len(ours(captured)), result


def test_roster_queries_do_not_grow_with_learners(workbench, django_assert_max_num_queries):
    small, large = crowd(workbench, 30), crowd(workbench, 3000)
    small_count, small_ours, _ = queries(workbench, small, "roster", {"page": 1, "page_size": 50})
    large_count, large_ours, result = queries(workbench, large, "roster", {"page": 20, "page_size": 50})
    assert small_count == large_count and small_ours == large_ours <= 3
    assert result.json["total"] == 3000 and len(result.json["learners"]) == 50
    with django_assert_max_num_queries(small_count):
        workbench.call(large, "roster", {"page": 3, "page_size": 200, "status": "waitlisted"}, student="instructor")


def test_learner_state_queries_do_not_grow_with_learners(workbench):
    small, large = crowd(workbench, 30), crowd(workbench, 3000)
    assert queries(workbench, small, "get_state", {})[:2] == queries(workbench, large, "get_state", {})[:2]


def test_export_is_one_query_for_the_rows(workbench):
    usage = crowd(workbench, 2000)
    with CaptureQueriesContext(connection) as captured:
        result = workbench.call(usage, "export_roster", method="GET", student="instructor")
    assert result.body.decode("utf-8-sig").count("\n") == 2001
    assert len(ours(captured)) == 2  # the session, then every row in one query


def test_a_registration_decides_in_one_read_under_the_session_lock(workbench):
    """A class registering together waits on the session's lock once per query inside it: the lock,
    one read of what the decision needs, the new row (issue 13's seat race)."""
    usage = workbench.load(webinar(capacity="1", waitlist="true"))
    workbench.call(usage, "register", {}, student="first")
    workbench.render(usage, student="newcomer")  # the learner's row exists, as after a page view
    with CaptureQueriesContext(connection) as captured:
        result = workbench.call(usage, "register", {}, student="newcomer")
    assert result.json["registration"] == "waitlisted" and result.json["seats_left"] == 0
    sql = [query["sql"] for query in ours(captured)]
    assert len([text for text in sql if "blended_xblocks_webinarregistration" in text]) == 2  # no recount after
    assert len(sql) <= 5  # the learner, the session, the session locked, the read, the new row


def test_opening_a_webinar_page_makes_the_learner_known_to_the_course(workbench):
    """Staff lists of other blocks (the supervisor agreement's "not requested") list whoever opened
    one of our blocks: a page view records the learner."""
    from blended_xblocks.platform.models import Learner

    usage = workbench.load(webinar())
    workbench.render(usage, student="newcomer")
    assert Learner.objects.filter(course_key=COURSE, username="newcomer").exists()
