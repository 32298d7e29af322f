"""core.times: the one policy for wall-clock times, and the same refusal in every block's Studio save."""
from datetime import UTC, datetime

import pytest
from django.utils import translation

from blended_xblocks.core.errors import BadRequest
from blended_xblocks.core.times import (
    TimeError,
    check_local,
    learner_zone,
    local_label,
    local_to_utc,
    utc_offset_label,
    zone_name,
)

GAP = ("2026-03-29T02:30", "Europe/Paris")  # clocks jump from 02:00 to 03:00
OVERLAP = ("2026-10-25T02:30", "Europe/Paris")  # 02:00-03:00 happens twice


def test_a_time_the_clocks_skip_is_refused_never_shifted():
    with pytest.raises(TimeError) as error:
        local_to_utc(*GAP)
    assert error.value.code == "nonexistent_time"
    with pytest.raises(TimeError):
        local_to_utc("2026-03-08T02:00", "America/New_York")


def test_an_ambiguous_time_is_its_first_occurrence():
    assert local_to_utc(*OVERLAP) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # still summer time, UTC+2


def test_times_and_zones_as_authors_write_them():
    assert local_to_utc("2022-05-16T11:00", "Asia/Amman") == datetime(2022, 5, 16, 8, 0, tzinfo=UTC)
    assert local_to_utc("2022-05-16T11:00:30", "UTC") == datetime(2022, 5, 16, 11, 0, 30, tzinfo=UTC)
    assert local_to_utc("2022-06-10T23:59", "Europe/Geneva") == datetime(2022, 6, 10, 21, 59, tzinfo=UTC)  # an alias
    assert local_to_utc("", "Asia/Amman") is None
    for value in ("tomorrow", "2022-05-16", "2022-05-16T11:00+02:00", "2022-02-30T10:00", "2022-05-16 11:00"):
        with pytest.raises(TimeError) as error:
            local_to_utc(value, "UTC")
        assert error.value.code == "invalid_time", value
    with pytest.raises(TimeError) as error:
        local_to_utc("2022-05-16T11:00", "Mars/Olympus")
    assert error.value.code == "invalid_timezone"


def test_zone_names_and_learner_preferences():
    assert zone_name("Europe/Geneva") == "Europe/Zurich" and zone_name("") == "UTC" and zone_name(" Africa/Dakar ") == "Africa/Dakar"
    assert zone_name("Mars/Olympus") is None
    assert learner_zone("America/New_York") == "America/New_York" and learner_zone("Mars/Olympus_Mons") == ""


def test_labels_follow_the_zone_and_the_language():
    instant = datetime(2022, 5, 16, 8, 0, tzinfo=UTC)
    with translation.override("en"):
        assert local_label(instant, "Asia/Amman") == "Monday 16 May 2022, 11:00"
    with translation.override("fr"):
        assert local_label(instant, "Asia/Amman") == "lundi 16 mai 2022, 11:00"
    with translation.override("en"):  # labels are kept per process, by language too
        assert local_label(instant, "Asia/Amman") == "Monday 16 May 2022, 11:00"
    assert local_label(None, "UTC") == ""
    assert utc_offset_label(instant, "Asia/Amman") == "GMT+3" and utc_offset_label(instant, "Asia/Kolkata") == "GMT+5:30"


def test_a_studio_refusal_names_the_field():
    with pytest.raises(BadRequest) as error:
        check_local(GAP[0], GAP[1], "deadline")
    assert (error.value.code, error.value.params) == ("nonexistent_time", {"field": "deadline"})
    with pytest.raises(BadRequest) as error:
        check_local("", "Mars/Olympus", "deadline")  # an unknown zone, even with no time set
    assert (error.value.code, error.value.params) == ("invalid_timezone", {"field": "timezone"})


WEBINAR = ('<blended_webinar display_name="W" start="2026-05-16T11:00" timezone="Europe/Paris" capacity="5">'
           '<description><p>x</p></description></blended_webinar>')
WEBINAR_EDIT = {"display_name": "Changed", "start": GAP[0], "timezone": GAP[1], "duration": 90, "capacity": 2,
                "waitlist": True, "registration_closes": "", "join_url": "", "join_opens": 10, "languages": "en",
                "checkin": True, "late_after": 15, "recording_url": "", "weight": 1, "late_credit": 50,
                "excused_credit": 0, "description": "", "speakers": []}
ASSIGNMENT = ('<blended_group_assignment display_name="G" mode="individual" due="2026-05-16T11:00" timezone="Europe/Paris">'
              '<rubric><criterion name="a" label="A"><level points="1" label="Done"/></criterion></rubric>'
              '</blended_group_assignment>')
PROGRAMME = '<blended_progress display_name="P" release="2026-05-16T11:00" timezone="Europe/Paris"/>'
CALL = ('<blended_application display_name="C" opens="2026-03-01T09:00" deadline="2026-05-16T11:00" '
        'timezone="Europe/Paris"/>')
EDITS = {  # block → (OLX, handler, body, field, read back the field)
    "webinar": (WEBINAR, "studio_submit", WEBINAR_EDIT, "start", lambda block: block.start),
    "group_assignment": (ASSIGNMENT, "submit_studio_edits", {"values": {"assignment_due": GAP[0]}, "defaults": []},
                         "assignment_due", lambda block: block.assignment_due),
    "progress": (PROGRAMME, "submit_studio_edits", {"values": {"release": GAP[0]}}, "release",
                 lambda block: block.release),
    "application": (CALL, "submit_studio_edits", {"values": {"deadline": GAP[0]}}, "deadline",
                    lambda block: block.deadline),
}


@pytest.mark.parametrize(("olx", "handler", "body", "field", "read"), EDITS.values(), ids=EDITS)
def test_every_block_refuses_a_time_in_the_dst_gap_with_the_same_code(workbench, olx, handler, body, field, read):
    usage = workbench.load(olx)
    before = read(workbench.block(usage))
    result = workbench.call(usage, handler, body, student="instructor")
    assert (result.status, result.error_code) == (400, "nonexistent_time"), result.body
    assert f"“{field}”" in result.json["error"]["message"]
    assert read(workbench.block(usage)) == before != GAP[0]
