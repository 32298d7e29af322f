"""The calendar file learners add to Outlook, Google or Apple (webinar/calendar.py), called directly."""
from datetime import UTC, datetime

from icalendar import Calendar

from blended_xblocks.webinar.calendar import calendar_file, event_uid, file_name


def event_of(data: bytes):
    events = Calendar.from_ical(data).walk("VEVENT")
    assert len(events) == 1
    return events[0]


def test_downloading_again_updates_the_same_event_and_a_moved_session_replaces_it(session):
    first = event_of(calendar_file(session, description="", join_url=None))
    session.sequence = 3
    moved = event_of(calendar_file(session, description="", join_url=None))
    assert str(first["UID"]) == str(moved["UID"]) == event_uid(session.usage_key)
    assert (first["SEQUENCE"], moved["SEQUENCE"]) == (0, 3)
    assert event_uid(session.usage_key) != event_uid(session.usage_key.replace("kmh3", "kmh4"))


def test_times_are_utc_instants(session):
    data = calendar_file(session, description="", join_url=None, now=datetime(2022, 5, 1, tzinfo=UTC))
    assert b"DTSTART:20220516T090000Z" in data
    assert b"DTEND:20220516T103000Z" in data
    event = event_of(data)
    assert event.decoded("DTSTART") == session.start and event.decoded("DTEND") == session.end
    assert str(event["SUMMARY"]) == "Webinar 3: Reintegration at community level"


def test_only_a_learner_with_a_seat_gets_the_join_link(session):
    seated = event_of(calendar_file(session, description="Community level", join_url=session.join_url,
                                    page_url="https://lms.example.org/webinar"))
    assert str(seated["LOCATION"]) == str(seated["URL"]) == "https://meet.example.org/kmh-3"
    assert str(seated["DESCRIPTION"]) == "Community level\n\nhttps://meet.example.org/kmh-3"
    waiting = calendar_file(session, description="Community level", join_url=None,
                            page_url="https://lms.example.org/webinar")
    assert b"meet.example.org" not in waiting
    event = event_of(waiting)
    assert str(event["URL"]) == "https://lms.example.org/webinar" and "LOCATION" not in event
    assert str(event["DESCRIPTION"]) == "Community level"


def test_the_file_name_is_ascii_whatever_the_title():
    assert file_name("Webinar 3: Reintegration at community level") == "Webinar-3-Reintegration-at-community-level.ics"
    assert file_name("ندوة عبر الإنترنت 3") == "3.ics"
    assert file_name("ندوة") == "webinar.ics"
    assert len(file_name("x" * 200)) == 60 + len(".ics")
