"""Authoring: OLX import/export round-trip, the Studio editor, time zones and the description's safety."""
from datetime import UTC, datetime

import pytest
from lxml import etree

from blended_xblocks.core.html import DESCRIPTION, sanitise
from blended_xblocks.core.times import TimeError, local_to_utc
from blended_xblocks.webinar.api import find_session, has_attended, session_summary
from blended_xblocks.webinar.content import ATTRIBUTES
from blended_xblocks.webinar.models import WebinarRegistration, WebinarSession
from tests.harness import WEBINAR_EDIT as EDIT
from tests.harness import WEBINAR_FULL as FULL_OLX
from tests.harness import webinar


def export(workbench, usage):
    block = workbench.block(usage)
    node = etree.Element("root")
    block.add_xml_to_node(node)
    return block, etree.tostring(node, encoding="unicode")


def test_olx_round_trip_keeps_every_field(workbench):
    usage = workbench.load(FULL_OLX)
    block, xml = export(workbench, usage)
    again = workbench.block(workbench.load(xml))
    for name in list(ATTRIBUTES) + ["description", "speakers", "olx_url_name"]:
        assert getattr(again, name) == getattr(block, name), name
    assert block.olx_url_name == "kmh3" and len(block.speakers) == 2
    assert "<strong>Joy Paone</strong>" in block.description and block.late_credit == 0.5


def test_wall_clock_time_becomes_the_right_utc_instant(workbench):
    usage = workbench.load(FULL_OLX)
    workbench.render(usage)
    session = WebinarSession.objects.get(usage_key=usage)
    assert session.start == datetime(2022, 5, 16, 8, 0, tzinfo=UTC)  # Amman was GMT+3
    assert session.url_name == "kmh3" and session.end.hour == 9 and session.end.minute == 30


def test_dst_gap_and_ambiguous_times():
    with pytest.raises(TimeError) as error:
        local_to_utc("2026-03-29T02:30", "Europe/Paris")  # clocks jump from 02:00 to 03:00
    assert error.value.code == "nonexistent_time"
    assert local_to_utc("2026-10-25T02:30", "Europe/Paris").hour == 0  # first 02:30 (summer time)
    assert local_to_utc("2026-07-01T11:00", "America/New_York").hour == 15
    assert local_to_utc("2026-12-01T11:00", "America/New_York").hour == 16
    with pytest.raises(TimeError):
        local_to_utc("2026-12-01T11:00", "Mars/Olympus")


# The editor's save under its first name (the form's values as the body) and under XBlock's.
SAVES = {"studio_submit": lambda values: values, "submit_studio_edits": lambda values: {"values": values, "defaults": []}}


@pytest.mark.parametrize("handler", sorted(SAVES))
def test_studio_edit_saves_every_field_and_the_published_block_updates_the_session(workbench, handler):
    usage = workbench.load(FULL_OLX)
    result = workbench.call(usage, handler, SAVES[handler](EDIT), student="instructor")
    assert result.status == 200, result.body
    assert result.json == ({"saved": True} if handler == "studio_submit" else {"result": "success"})
    block = workbench.block(usage)
    assert block.display_name == "Webinar 4: Monitoring" and block.languages == "en ar"
    assert block.late_credit == 0.5 and block.speakers == [{"name": "Joy Paone", "affiliation": "IOM"}]
    workbench.call(usage, "get_state", {}, student="amina")  # the LMS shows the (published) block
    session = WebinarSession.objects.get(usage_key=usage)
    assert session.title == "Webinar 4: Monitoring" and session.capacity == 2
    assert session.start == datetime(2026, 3, 29, 0, 30, tzinfo=UTC)


@pytest.mark.parametrize("change,code", [
    ({"start": "2026-03-29T02:30"}, "nonexistent_time"), ({"start": "tomorrow"}, "invalid_time"),
    ({"timezone": "Moon/Base"}, "invalid_timezone"), ({"languages": "english!"}, "invalid_field"),
    ({"join_url": "javascript:alert(1)"}, "invalid_url"), ({"capacity": -1}, "out_of_range"),
    ({"start": ""}, "required"), ({"speakers": [{"name": 1}]}, "invalid_field"),
])
@pytest.mark.parametrize("handler", sorted(SAVES))
def test_studio_edit_refuses_bad_values(workbench, change, code, handler):
    usage = workbench.load(FULL_OLX)
    result = workbench.call(usage, handler, SAVES[handler](EDIT | change), student="instructor")
    assert result.status == 400 and result.error_code == code
    assert workbench.block(usage).display_name.startswith("Webinar 3")


def test_raising_capacity_lets_the_waitlist_in(workbench):
    usage = workbench.load(webinar(capacity="1"))
    for student in ("amina", "yusuf", "fatou"):
        workbench.call(usage, "register", {}, student=student)
    block = workbench.block(usage, "instructor")
    block.capacity = 2
    block.save()
    workbench.render(usage, student="instructor")
    assert workbench.call(usage, "get_state", {}, student="yusuf").json["registration"] == "registered"
    assert workbench.call(usage, "get_state", {}, student="fatou").json["waitlist_position"] == 1


def test_description_allowlist():
    cleaned = sanitise('<p onclick="x()">Hi<script>alert(1)</script> <a href="javascript:x">a</a>'
                               ' <a href="https://iom.int">IOM</a></p><img src=x onerror=alert(1)>', DESCRIPTION)
    assert "script" not in cleaned and "onclick" not in cleaned and "javascript" not in cleaned
    assert "<img" not in cleaned and 'href="https://iom.int"' in cleaned


def test_user_text_is_escaped_in_the_view(workbench):
    usage = workbench.load(webinar(display_name="&lt;script&gt;alert(1)&lt;/script&gt;",
                                   body='<speaker name="&lt;b&gt;Eve" affiliation="x"/>'))
    html = workbench.render(usage)
    assert "<script>alert(1)" not in html and "&lt;b&gt;Eve" in html


def test_api_for_other_blocks(workbench):
    usage = workbench.load(FULL_OLX.replace("2022-05-16T11:00", "2099-05-16T11:00")
                           .replace("2022-05-15T23:59", ""))
    workbench.call(usage, "register", {"language": "ar"})
    session = find_session("course-v1:IOM+REINT+2022", "kmh3")
    assert session is not None and find_session("course-v1:IOM+REINT+2022", "nope") is None
    registration = WebinarRegistration.objects.get()
    assert not has_attended(session, registration.learner)
    summary = session_summary(session, registration.learner)
    assert summary["registration"] == "registered" and summary["join_url"] is None
    assert summary["start"] == "2099-05-16T08:00:00Z"
    early = session_summary(session, registration.learner, now=session.start.replace(minute=50, hour=7))
    assert early["join_url"] == "https://meet.example.org/kmh-3"
    registration.attendance = "late"
    registration.save()
    assert has_attended(session, registration.learner)


def test_a_studio_draft_never_changes_the_live_session(workbench, django_capture_on_commit_callbacks):
    """Studio and the LMS share the usage key: previewing or saving a draft must not move learners."""
    from django.core import mail

    from blended_xblocks.webinar.models import WebinarRegistration, WebinarSession

    usage = workbench.load(webinar(capacity="1"))
    for student in ("amina", "yusuf", "fatou"):
        workbench.call(usage, "register", {}, student=student)
    live = WebinarSession.objects.get(usage_key=usage)
    draft = workbench.block(usage, "instructor")
    draft.capacity, draft.start = 3, "2031-01-05T10:00"
    with django_capture_on_commit_callbacks(execute=True):
        html = draft.render("author_view", {}).content
    assert "2031" in html  # the author sees the draft schedule
    after = WebinarSession.objects.get(usage_key=usage)
    assert (after.capacity, after.start, after.sequence) == (live.capacity, live.start, live.sequence)
    assert WebinarRegistration.objects.filter(session=after, status="registered").count() == 1
    assert mail.outbox == []


@pytest.mark.parametrize("attribute", ['capacity="abc"', 'duration="x"', 'weight="x"', 'capacity="-1"', 'late_credit="7"'])
def test_an_imported_course_with_a_broken_number_keeps_the_default(workbench, attribute):
    usage = workbench.load(webinar(**dict([attribute.replace('"', "").split("=")])))
    block = workbench.block(usage)
    name = attribute.split("=")[0]
    assert getattr(block, name) == block.fields[name].default
    assert workbench.call(usage, "get_state", {}).status == 200


def test_escaped_text_in_an_imported_description_stays_text(workbench):
    usage = workbench.load(webinar(body="<description>Tom &amp; Jerry &lt;b&gt;bold&lt;/b&gt;</description>"))
    block = workbench.block(usage)
    assert block.description == "Tom &amp; Jerry &lt;b&gt;bold&lt;/b&gt;"
    assert "&lt;b&gt;bold" in workbench.render(usage) and "<b>bold" not in workbench.render(usage)
    assert "<b>" not in export(workbench, usage)


def test_an_imported_fractional_weight_counts_as_the_nearest_whole_points_and_studio_asks_for_whole_points(workbench):
    usage = workbench.load(webinar(weight="1.5"))  # an old course: the gradebook counts whole points now
    assert workbench.block(usage).weight == 2 and workbench.block(usage).max_score() == 2
    assert 'value="2"' in workbench.render(usage, student="instructor", view="studio_view")
    refused = workbench.call(usage, "studio_submit", EDIT | {"weight": 2.5}, student="instructor")
    assert (refused.status, refused.error_code) == (400, "invalid_settings")
    assert refused.json["error"]["message"] == "The weight must be a whole number of points (0: not graded)."
    assert workbench.block(usage).weight == 2


LONG_IMPORTS = {"join_url": "https://meet.example.org/" + "x" * 1000, "recording_url": "https://video.example.org/" + "x" * 1000,
                "timezone": "Africa/" + "x" * 64, "languages": " ".join(["en", "ar"] * 90)}


@pytest.mark.parametrize("name", sorted(LONG_IMPORTS))
def test_an_imported_value_longer_than_its_column_is_ignored_and_logged(workbench, name, caplog):
    """Values too long for the session row keep the default (and are logged): no view or handler fails."""
    olx = webinar(capacity="2", **({} if name == "timezone" else {name: LONG_IMPORTS[name]}))
    usage = workbench.load(olx.replace('timezone="Africa/Dakar"', f'timezone="{LONG_IMPORTS[name]}"')
                           if name == "timezone" else olx)
    block = workbench.block(usage)
    assert getattr(block, name) == block.fields[name].default
    assert f"ignoring {name}=" in caplog.text
    assert "Webinar 3" in workbench.render(usage) and "Webinar 3" in workbench.render(usage, student="instructor")
    assert workbench.call(usage, "get_state", {}).status == 200
    assert workbench.call(usage, "register", {}).json["registration"] == "registered"
    assert workbench.call(usage, "roster", {}, student="instructor").status == 200
    assert workbench.call(usage, "calendar", method="GET").status == 200


@pytest.mark.parametrize("name", sorted(LONG_IMPORTS))
def test_a_stored_value_longer_than_its_column_never_reaches_the_session_row(workbench, name, caplog):
    """A block whose field already holds such a value (imported before this check) still works."""
    usage = workbench.load(webinar(capacity="2"))
    block = workbench.block(usage, "instructor")
    setattr(block, name, LONG_IMPORTS[name])
    block.save()
    assert workbench.call(usage, "get_state", {}).status == 200
    session = WebinarSession.objects.get(usage_key=usage)
    column = WebinarSession._meta.get_field(name)
    assert getattr(session, name) == column.default if name == "timezone" else getattr(session, name) == ""
    assert f"{name} is longer than" in caplog.text
