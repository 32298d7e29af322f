"""Each block's learner view against the SDK's bare `html_demo` page, in the same run (issue 13).

Every page goes through the demo exactly as a browser gets it (Django test client → demo urls →
workbench view → `DemoRuntime`), after warm-ups; the figure is the median of RENDERS renders.
Printed per block: median time, its ratio to the bare page (alone, and with the handler calls its
JavaScript makes after load), the number of those calls, and the block's bytes (its part of the page
+ its own JS/CSS + the after-load responses; the JS/CSS every block shares is printed apart, a page
loads it once). Then the unit issue 13 names (ten webinars, two group assignments, one sharing session)
and the IOM programme page (scenario 00-programme: twelve webinars, six group
assignments, two sharing sessions and more) against one webinar's page.

Run: `.venv/bin/python -m benchmarks bench_learner_views`. Nothing here is asserted: ratios depend on
the machine only through the reference measured beside them.
"""
import os
import re
import statistics
import time

from django.test import Client
from lxml import etree
from workbench import scenarios as workbench_scenarios
from workbench.runtime import ID_MANAGER, WORKBENCH_KVS

from benchmarks.production import as_in_production
from blended_xblocks.demo.scenarios import FOLDER, expand

# Each page alternated with the bare page; at 60 a ratio moved by ±0.05 between runs here (±0.1 at 30).
RENDERS = int(os.environ.get("BLENDED_BENCH_RENDERS", 60))
WARM_UPS = 5
LEARNER = "amina"
BARE = "html_demo.0"
SHARED = ("common/blended.js", "common/blended.css")
BODY = re.compile(r'<main id="main">(.*)<details class="demo-scenario-source">', re.S)
RESOURCE = re.compile(r"""(?:src|href)=['"](/resource/[^'"]+)""")

# (label, demo scenario file, block tag, handler calls its JavaScript makes on load (static/*/…js)).
# None today: the group assignment and experience sharing used to ask `get_state` ((("get_state", {}),)
# and (("get_state", {"page": 1, "sort": "newest", "tag": None}),)); their first state is now in the page.
BLOCKS = (
    ("webinar", "10-webinar-two-seats", "blended_webinar", ()),
    ("group assignment", "20-group-assignment-community-plan", "blended_group_assignment", ()),
    ("supervisor agreement", "30-supervisor-agreement", "blended_supervisor_agreement", ()),
    ("experience sharing", "40-experience-sharing-iom", "blended_experience_sharing", ()),
    ("progress", "00-programme", "blended_progress", ()),
    ("application", "50-iom-call", "blended_application", ()),
)


def _block_only(scenario, tag):
    """The scenario's first `tag` element as a scenario of its own: one block in a vertical, as `html_demo`."""
    root = etree.fromstring(expand((FOLDER / f"{scenario}.xml").read_text(encoding="utf-8")).encode())
    element = next(root.iter(tag))
    element.attrib.pop("session", None)  # a sharing session's webinar is another block on another page
    return f"<vertical_demo>{etree.tostring(element, encoding='unicode')}</vertical_demo>"


# The unit issue 13 names: ten webinars, two group assignments and a sharing session on one page,
# taken from the IOM programme scenario.
UNIT = (("blended_webinar", 10), ("blended_group_assignment", 2), ("blended_experience_sharing", 1))


def _unit():
    root = etree.fromstring(expand((FOLDER / "00-programme.xml").read_text(encoding="utf-8")).encode())
    elements = []
    for tag, count in UNIT:
        for element in list(root.iter(tag))[:count]:
            element.attrib.pop("session", None)
            elements.append(etree.tostring(element, encoding="unicode"))
    return f"<vertical_demo>{''.join(elements)}</vertical_demo>"


# Pages of many blocks, each measured against one webinar's page: (label, scenario).
MANY_BLOCKS = (("unit of 10 webinars, 2 group assignments, 1 sharing session", "bench.unit"),
               ("IOM programme page (00-programme)", "blended.00-programme"))


def _load_scenarios():
    import blended_xblocks.demo.urls  # noqa: F401  (installs the demo's scenario loader and runtime)

    WORKBENCH_KVS.clear()
    ID_MANAGER.clear()
    workbench_scenarios.SCENARIOS.clear()
    workbench_scenarios.get_scenarios.initialized = False
    workbench_scenarios.get_scenarios()
    for label, scenario, tag, _ in BLOCKS:
        workbench_scenarios.add_xml_scenario(f"bench.{tag}", f"bench {label}", _block_only(scenario, tag))
    workbench_scenarios.add_xml_scenario("bench.unit", "bench unit", _unit())


def _medians_ms(*actions):
    """Median time of each action, run in turn (bare page, block, ...) so that a machine busy with
    something else slows them alike and the ratios hold."""
    for _ in range(WARM_UPS):
        for action in actions:
            action()
    times = [[] for _ in actions]
    for _ in range(RENDERS):
        for action, spent in zip(actions, times, strict=True):
            started = time.perf_counter()
            action()
            spent.append(time.perf_counter() - started)
    return [statistics.median(spent) * 1000 for spent in times]


def _page(client, scenario):
    response = client.get(f"/scenario/{scenario}/?student={LEARNER}")
    assert response.status_code == 200, (scenario, response.status_code)
    return response.content.decode()


def _usage_id(page, tag):
    match = re.search(rf"""data-usage=['"]([^'"]*\.{tag}\.[^'"]*)""", page)
    return match.group(1)


def _calls(client, page, tag, handlers):
    """The handler calls the block's JavaScript makes once the page is there; their bytes."""
    usage = _usage_id(page, tag) if handlers else None
    size = 0
    for handler, body in handlers:
        response = client.post(f"/handler/{usage}/{handler}/?student={LEARNER}", body, content_type="application/json")
        assert response.status_code == 200, (tag, handler, response.content[:200])
        size += len(response.content)
    return size


def _resources(client, page):
    own, shared = 0, 0
    for url in sorted(set(RESOURCE.findall(page))):
        response = client.get(url)
        assert response.status_code == 200, url
        size = len(b"".join(response.streaming_content) if response.streaming else response.content)
        if url.endswith(SHARED):
            shared += size
        else:
            own += size
    return own, shared


def run(report, measure):
    with as_in_production():
        _run(report)


def _run(report):
    _load_scenarios()
    client = Client()
    bare_page = _page(client, BARE)
    bare_alone = _medians_ms(lambda: _page(client, BARE))[0]
    report(f"bare html_demo page: median of {RENDERS}", bare_alone, "ms")
    report("bare html_demo page: its part of the page", len(BODY.search(bare_page).group(1).encode()), "B")

    for label, _, tag, handlers in BLOCKS:
        scenario = f"bench.{tag}"
        page = _page(client, scenario)
        bare, render, with_calls = _medians_ms(
            lambda: _page(client, BARE), lambda s=scenario: _page(client, s),
            lambda s=scenario, p=page, t=tag, h=handlers: (_page(client, s), _calls(client, p, t, h)))
        fragment = len(BODY.search(page).group(1).encode())
        own, shared = _resources(client, page)
        calls = _calls(client, page, tag, handlers)
        report(f"{label}: render, median of {RENDERS} (bare page beside it: {bare:.1f} ms)", render, "ms")
        report(f"{label}: render × bare page (target ≤ 1.2)", render / bare, "×")
        report(f"{label}: own cost (render minus the bare page)", render - bare, "ms")
        report(f"{label}: after-load calls", len(handlers))
        report(f"{label}: render + after-load calls × bare page (target ≤ 1.3)", with_calls / bare, "×")
        report(f"{label}: bytes: fragment / own JS+CSS / calls", f"{fragment} / {own} / {calls}", "B")
        report(f"{label}: block bytes (budget 20480; shared JS+CSS {shared} B apart)", fragment + own + calls, "B")

    for label, name in MANY_BLOCKS:
        page = _page(client, name)
        bare, webinar, render = _medians_ms(lambda: _page(client, BARE), lambda: _page(client, "bench.blended_webinar"),
                                            lambda n=name: _page(client, n))
        blocks = len(re.findall(r"data-block-type='blended_", page))
        report(f"{label}, {blocks} blocks: render, median of {RENDERS}", render, "ms")
        report(f"{label}: × bare page", render / bare, "×")
        report(f"{label}: ÷ one webinar's page beside it (target < 10)", render / webinar, "×")
        # Not divided by one webinar's own cost: that is now within the runs' noise of zero.
        report(f"{label}: own cost (minus the bare page; one webinar's: {webinar - bare:.1f} ms)", render - bare, "ms")
        report(f"{label}: own cost per block", (render - bare) / blocks, "ms")
