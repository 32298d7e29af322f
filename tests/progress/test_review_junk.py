"""Junk a stranger can send to the programme's handlers: refused, never a server error."""
from tests.progress.conftest import programme


def test_a_verify_address_with_a_query_that_is_not_utf8_is_refused_not_a_server_error(course):
    key = programme(course)
    stranger = course.lms_noauth(None)
    answer = stranger.call(key, "verify", method="GET", query="code=%ff%fe")
    assert answer.status == 400 and answer.error_code == "invalid_form"
    staff = course.lms(course.person("instructor", "Joy Paone"), staff=True)
    assert staff.call(key, "export_cohort", method="GET", query="x=%ff").status == 400


def test_a_programme_without_usable_requirements_does_not_tell_learners_they_are_done(course):
    key = course.import_olx('<blended_progress url_name="empty">'
                            '<requirement id="odd" kind="telepathy" blocks="problem/p1"/></blended_progress>')
    lms = course.lms(course.person("amina", "Amina Diallo"))
    state = lms.call(key, "get_state").json
    assert not state["met"] and state["progress"] == 0
    assert "100 %" not in lms.render(key)
