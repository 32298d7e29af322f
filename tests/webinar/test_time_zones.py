"""The learner's own time: their LMS `time_zone` preference when they set one, else the browser's."""
import dataclasses
import re

import pytest

from blended_xblocks.demo.platform import WorkbenchPlatform

# Amman is UTC+3 all year; New York is on daylight time (UTC-4) in May.
SESSION = ('<blended_webinar display_name="Webinar 3" start="2030-05-16T11:00" timezone="Asia/Amman" '
           'duration="90"/>')


@pytest.fixture
def preference(monkeypatch):
    """Give the demo's learners an LMS `time_zone` preference, as the LMS user service would."""
    chosen = {}
    original = WorkbenchPlatform.current_user

    def current_user(self):
        user = original(self)
        return dataclasses.replace(user, time_zone=chosen.get(user.anonymous_id, ""))

    monkeypatch.setattr(WorkbenchPlatform, "current_user", current_user)
    return chosen


def local_line(html):
    return re.search(r"<p class=\"bw-when\" data-bw-local[^>]*>.*?</p>", html, re.S).group(0)


def test_the_lms_preference_gives_the_learners_time_on_the_page(workbench, preference):
    preference["amina"] = "America/New_York"
    usage = workbench.load(SESSION)
    line = local_line(workbench.render(usage, student="amina"))
    assert "hidden" not in line.split(">")[0]
    assert "Thursday 16 May 2030, 04:00" in line and "(America/New_York, GMT-4)" in line
    state = workbench.call(usage, "get_state", {}, student="amina").json  # what a mobile app reads
    assert state["learner_timezone"] == "America/New_York" and state["start"] == "2030-05-16T08:00:00Z"


def test_the_preference_in_arabic(workbench, preference):
    preference["amina"] = "Africa/Dakar"
    usage = workbench.load(SESSION)
    line = local_line(workbench.render(usage, student="amina", language="ar"))
    assert "الخميس 16 مايو 2030, 08:00" in line and "(Africa/Dakar, GMT)" in line


def test_without_a_preference_the_browser_zone_is_used(workbench, preference):
    usage = workbench.load(SESSION)
    html = workbench.render(usage, student="yusuf")
    assert "hidden" in local_line(html).split(">")[0]  # filled in by the JavaScript from the browser
    assert "America/New_York" not in html
    assert workbench.call(usage, "get_state", {}, student="yusuf").json["learner_timezone"] is None


def test_an_unknown_preference_is_ignored(workbench, preference):
    preference["amina"] = "Mars/Olympus_Mons"
    usage = workbench.load(SESSION)
    html = workbench.render(usage, student="amina")
    assert "hidden" in local_line(html).split(">")[0] and "Mars" not in html
