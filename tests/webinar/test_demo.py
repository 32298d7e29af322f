"""The demo programme shows every state of a live session on whatever day it is loaded."""
from datetime import UTC, datetime

from workbench.runtime import WorkbenchRuntime

from blended_xblocks.demo.scenarios import demo_scenarios, expand
from blended_xblocks.webinar.models import WebinarRegistration, WebinarSession


def test_placeholders_expand_relative_to_today_and_now():
    now = datetime(2026, 3, 29, 0, 50, tzinfo=UTC)  # the night Europe switches to summer time
    assert expand('start="{{ start:-7d 11:00 }}"', now) == 'start="2026-03-22T11:00"'
    assert expand('{{ start:-20m Europe/Zurich }}', now) == "2026-03-29T01:30"
    assert expand('{{ start:+40m Europe/Zurich }}', now) == "2026-03-29T03:30"
    assert expand("{{ start:+1d 25:00 }}", now) == "{{ start:+1d 25:00 }}"
    assert expand("{{ start:+1m Moon/Base }}", now) == "{{ start:+1m Moon/Base }}"


def test_programme_has_past_live_and_two_seat_webinars(workbench):
    xml = {scenario_id: olx for scenario_id, _, olx in demo_scenarios()}["blended.00-programme"]
    assert "{{" not in xml
    runtime = WorkbenchRuntime("amina")
    runtime.id_generator.set_scenario("tprogramme")
    root = runtime.get_block(runtime.parse_xml_string(xml))
    webinars = [child for child in root.get_children() if child.scope_ids.block_type == "blended_webinar"]
    for block in webinars:
        block.render("student_view", {})
    assert len({block.olx_url_name for block in webinars if block.olx_url_name.startswith("webinar-")}) == 10
    now = datetime.now(UTC)
    sessions = {s.url_name: s for s in WebinarSession.objects.all()}
    assert sessions["webinar-1"].end < now and sessions["webinar-1"].recording_url
    assert sessions["webinar-3"].start < now < sessions["webinar-3"].end and sessions["webinar-3"].checkin
    assert sessions["webinar-4"].capacity == 2 and sessions["webinar-4"].start > now
    assert WebinarRegistration.objects.filter(session=sessions["webinar-1"], attendance="present").count() == 2
