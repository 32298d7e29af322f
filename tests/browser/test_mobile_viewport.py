"""Learner views fit a phone (issue 8, fix 10): at 360 px wide no page scrolls sideways.

The mobile apps show `multi_device` blocks in a web view of about this width.
"""
import pytest

SCENARIOS = {
    "webinar": ("/scenario/blended.10-webinar-two-seats/", ".bw-learner button"),
    "webinar live": ("/scenario/blended.10-webinar-live-checkin/", ".bw-learner"),
    "group assignment": ("/scenario/blended.20-group-assignment-community-plan/", ".blended-block h2"),
    "supervisor agreement": ("/scenario/blended.30-supervisor-agreement/", ".blended-block h2"),
    "experience sharing": ("/scenario/blended.40-experience-sharing-iom/", ".blended-block h2"),
}
NO_SIDEWAYS_SCROLL = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [...document.querySelectorAll('.blended-block *')].filter((node) => {
    const box = node.getBoundingClientRect();
    return box.width > 0 && (box.right > width + 1 || box.left < -1);
  }).map((node) => node.tagName + '.' + node.className + ' ' + Math.round(node.getBoundingClientRect().right));
  return {scroll: document.documentElement.scrollWidth, width: width, wide: wide.slice(0, 5)};
}"""


@pytest.mark.parametrize("language", ["en", "ar"])
@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_learner_view_has_no_horizontal_scroll_at_360_px(demo, new_page, name, language):
    path, ready = SCENARIOS[name]
    page = new_page(language=language, viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    page.goto(f"{demo}{path}?student=amina&lang={language}")
    page.wait_for_selector(ready)
    page.wait_for_load_state("networkidle")
    result = page.evaluate(NO_SIDEWAYS_SCROLL)
    assert result["scroll"] <= result["width"] and result["wide"] == [], result
