"""The learner's journey: register, waitlist, cancel and promotion, join link, check-in, calendar."""
from icalendar import Calendar

from blended_xblocks.webinar.models import WebinarRegistration, WebinarSession
from tests.harness import webinar


def test_register_until_full_then_waitlist_then_promotion(workbench):
    usage = workbench.load(webinar(capacity="2", waitlist="true"))
    assert workbench.call(usage, "register", {}, student="amina").json["registration"] == "registered"
    assert workbench.call(usage, "register", {}, student="yusuf").json["seats_left"] == 0
    third = workbench.call(usage, "register", {}, student="fatou").json
    assert third["registration"] == "waitlisted" and third["waitlist_position"] == 1
    assert "position 1" in third["messages"]["status"]
    assert workbench.call(usage, "cancel", {}, student="yusuf").json["registration"] == "cancelled"
    promoted = workbench.call(usage, "get_state", {}, student="fatou").json
    assert promoted["registration"] == "registered" and promoted["waitlist_position"] is None


def test_full_session_without_waitlist_refuses(workbench):
    usage = workbench.load(webinar(capacity="1", waitlist="false"))
    workbench.call(usage, "register", {}, student="amina")
    result = workbench.call(usage, "register", {}, student="yusuf")
    assert result.status == 409 and result.error_code == "session_full"
    assert workbench.call(usage, "get_state", {}, student="yusuf").json["registration"] == "none"


def test_leaving_the_waitlist_moves_the_others_up(workbench):
    usage = workbench.load(webinar(capacity="1"))
    for student in ("amina", "yusuf", "fatou", "omar"):
        workbench.call(usage, "register", {}, student=student)
    workbench.call(usage, "cancel", {}, student="yusuf")
    assert workbench.call(usage, "get_state", {}, student="omar").json["waitlist_position"] == 2
    assert workbench.call(usage, "get_state", {}, student="fatou").json["waitlist_position"] == 1


def test_interpretation_language_is_required_and_checked(workbench):
    usage = workbench.load(webinar(languages="en ar"))
    assert workbench.call(usage, "register", {}).error_code == "language_required"
    assert workbench.call(usage, "register", {"language": "fr"}).error_code == "invalid_language"
    state = workbench.call(usage, "register", {"language": "ar"}).json
    assert state["language"] == "ar" and "العربية" in state["messages"]["status"]


def test_registration_closes(workbench):
    usage = workbench.load(webinar(minutes=-5, duration="90"))
    result = workbench.call(usage, "register", {})
    assert result.status == 409 and result.error_code == "registration_closed"
    usage = workbench.load(webinar(minutes=24 * 60, registration_closes="2000-01-01T00:00"))
    assert workbench.call(usage, "register", {}).error_code == "registration_closed"


def test_join_link_only_for_registered_learners_close_to_the_start(workbench):
    later = workbench.load(webinar(minutes=60, join_opens="15"))
    assert workbench.call(later, "register", {}).json["join_url"] is None
    soon = workbench.load(webinar(minutes=10, join_opens="15"))
    assert workbench.call(soon, "get_state", {}).json["join_url"] is None
    assert workbench.call(soon, "register", {}).json["join_url"] == "https://meet.example.org/kmh-3"
    assert "https://meet.example.org/kmh-3" not in workbench.render(soon, student="yusuf")


def test_check_in_during_the_session(workbench):
    usage = workbench.load(webinar(minutes=-2, checkin="true", registration_closes=""))
    assert workbench.call(usage, "check_in", {"code": "X"}).error_code == "not_registered"
    registration_open_late = webinar(minutes=30, checkin="true")
    early = workbench.load(registration_open_late)
    workbench.call(early, "register", {})
    assert workbench.call(early, "check_in", {"code": "X"}).error_code == "checkin_closed"
    # A registration made before the start, then the session runs: move the start into the past.
    session = WebinarSession.objects.get(usage_key=early)
    code = workbench.call(early, "checkin_code", {}, student="instructor").json["code"]
    assert len(code) == 6
    from datetime import timedelta
    WebinarSession.objects.filter(pk=session.pk).update(start=session.start - timedelta(minutes=32),
                                                        end=session.end - timedelta(minutes=32))
    block = workbench.block(early)
    assert workbench.call(early, "check_in", {"code": "WRONG1"}).error_code == "invalid_code"
    state = workbench.call(early, "check_in", {"code": code.lower()}).json
    assert state["attendance"] == "present" and not state["checkin_open"]
    assert block.max_score() == 1.0
    from tests.harness import webinar_score as score_of
    assert score_of(early, "amina") == (1, 1)  # the learner's own grade, published by their check-in
    from blended_xblocks.demo.models import DemoCompletion
    assert DemoCompletion.objects.get(usage_key=early, anonymous_user_id="amina").completion == 1.0


def test_calendar_file(workbench):
    usage = workbench.load(webinar(minutes=24 * 60, tz="Asia/Amman", body="<description><p>Facilitated by Joy</p></description>"))
    workbench.call(usage, "register", {})
    result = workbench.call(usage, "calendar", method="GET")
    assert result.status == 200 and result.headers["Content-Type"].startswith("text/calendar")
    event = Calendar.from_ical(result.body).walk("VEVENT")[0]
    session = WebinarSession.objects.get(usage_key=usage)
    assert event.decoded("dtstart") == session.start
    assert "Facilitated by Joy" in str(event["description"]) and "meet.example.org" in str(event["description"])
    outsider = Calendar.from_ical(workbench.call(usage, "calendar", method="GET", student="omar").body)
    assert "meet.example.org" not in outsider.to_ical().decode()
    assert outsider.walk("VEVENT")[0]["uid"] == event["uid"]


def test_moving_the_session_updates_the_calendar_event(workbench):
    usage = workbench.load(webinar(minutes=24 * 60))
    first = Calendar.from_ical(workbench.call(usage, "calendar", method="GET").body).walk("VEVENT")[0]
    block = workbench.block(usage, "instructor")
    block.start = block.start[:-5] + "23:59"
    block.save()
    second = Calendar.from_ical(workbench.call(usage, "calendar", method="GET").body).walk("VEVENT")[0]
    assert second["uid"] == first["uid"] and second["sequence"] > first["sequence"]


def test_after_the_session_attendance_and_recording(workbench):
    usage = workbench.load(webinar(minutes=-24 * 60, recording_url="https://video.example.org/w1"))
    assert workbench.call(usage, "get_state", {}).json["recording_url"] == "https://video.example.org/w1"
    upcoming = workbench.load(webinar(recording_url="https://video.example.org/w1"))
    assert workbench.call(upcoming, "get_state", {}).json["recording_url"] is None


def test_anonymous_users_must_sign_in(workbench):
    usage = workbench.load(webinar())
    result = workbench.call(usage, "register", {}, student="")
    assert result.status == 403 and result.error_code == "sign_in_required"
    assert not WebinarRegistration.objects.exists()


def test_arabic_view_is_right_to_left_and_translated(workbench):
    usage = workbench.load(webinar(capacity="20"))
    html = workbench.render(usage, language="ar")
    assert 'dir="rtl"' in html and 'lang="ar"' in html
    assert "Your place" not in html


def test_check_in_is_closed_before_the_start_and_after_the_end_even_with_the_right_code(workbench):
    from datetime import timedelta

    usage = workbench.load(webinar(minutes=10, join_opens="15", checkin="true"))
    state = workbench.call(usage, "register", {}).json
    assert state["join_url"] and not state["checkin_open"]  # the link opens early, check-in does not
    code = workbench.call(usage, "checkin_code", {}, student="instructor").json["code"]
    before = workbench.call(usage, "check_in", {"code": code})
    assert before.status == 409 and before.error_code == "checkin_closed"
    session = WebinarSession.objects.get(usage_key=usage)
    WebinarSession.objects.filter(pk=session.pk).update(start=session.start - timedelta(hours=3),
                                                        end=session.end - timedelta(hours=3))
    after = workbench.call(usage, "check_in", {"code": code})
    assert after.status == 409 and after.error_code == "checkin_closed"
    assert workbench.call(usage, "get_state", {}).json["attendance"] == "unmarked"
