"""Junk a stranger can send to the programme's handlers: refused, never a server error."""
from tests.harness import programme


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


def test_a_release_at_the_edge_of_the_calendar_is_refused_or_reported_not_a_server_error(course):
    editor = course.studio_editor(course.person("instructor", "Joy Paone"))
    key = programme(course)
    answer = editor.call(key, "submit_studio_edits",
                         {"values": {"release": "9999-12-31T23:59", "timezone": "America/Los_Angeles"}})
    assert answer.status == 400 and answer.error_code == "invalid_time"  # the code every block answers (core/times.py)
    imported = course.import_olx('<blended_progress url_name="early" release="0001-01-01T00:00" timezone="Asia/Tokyo">'
                                 '<requirement id="a" kind="attendance" blocks="blended_webinar/w1"/></blended_progress>')
    state = course.lms(course.person("amina", "Amina Diallo")).call(imported, "get_state")
    assert state.status == 200 and state.json["certificate"]["status"] == "not_yet"
    page = course.lms(course.person("instructor", "Joy Paone"), staff=True).call(imported, "cohort", {}).json
    assert any("0001-01-01T00:00" in problem for problem in page["problems"])


def test_an_imported_weight_that_is_not_a_whole_number_is_reported_to_staff(course):
    key = course.import_olx('<blended_progress url_name="odd-weight" weight="1.5">'
                            '<requirement id="a" kind="attendance" blocks="blended_webinar/w1"/></blended_progress>')
    staff = course.lms(course.person("instructor", "Joy Paone"), staff=True)
    assert "The weight “1.5” is not a whole number from 0 to 100: 1 is used." in staff.render(key)
    assert staff.call(key, "cohort", {}).json["problems"] == ["The weight “1.5” is not a whole number from 0 to 100: 1 is used."]
    assert course.gradebook_score(key, course.person("amina")).possible == 1
