"""Every staff page reads our tables at most three times, whatever the cohort (issue 13).

Each staff list handler of the six blocks is called as the instructor on the demo's seeded
scenario, then again after a crowd of learners has joined the course and taken part; the queries
on the package's tables (`blended_xblocks_*`) are counted. The platform's own reads (the
workbench's field store, sessions, users, and the demo's stand-ins for the LMS's completion
`blended_xblocks_demo_*`) are not ours to bound.

The programme's cohort too: its published copy, its members with their certificates, and every
kind of outcome its requirements name with the settings they are judged by in one statement (it
read one query per kind before, seven in all; progress/cohort.py). Two more when a sharing session
requires attendance at a live session, which the demo's programme does not.
"""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.harness import Workbench, forget_demo_scenarios, load_demo_scenarios
from tests.test_api_shapes import usage_in

STAFF = "instructor"
OURS = "blended_xblocks_"
PLATFORM_STAND_INS = "blended_xblocks_demo_"
MOST = 3
# (block type, demo scenario, handler, request)
PAGES = (
    ("blended_webinar", "blended.10-webinar-live-checkin", "roster", {}),
    ("blended_group_assignment", "blended.20-group-assignment-community-plan", "list_submissions", {}),
    ("blended_group_assignment", "blended.20-group-assignment-community-plan", "list_groups", {}),
    ("blended_supervisor_agreement", "blended.30-supervisor-agreement", "list_agreements", {}),
    ("blended_experience_sharing", "blended.40-experience-sharing-iom", "flagged", {}),
    ("blended_experience_sharing", "blended.40-experience-sharing-iom", "participation", {}),
    ("blended_progress", "blended.00-programme", "cohort", {}),
    ("blended_application", "blended.50-iom-call", "list_applications", {}),
)


@pytest.fixture
def scenarios(db):
    yield load_demo_scenarios()
    forget_demo_scenarios()


def our_queries(workbench, usage, handler, data):
    with CaptureQueriesContext(connection) as queries:
        result = workbench.call(usage, handler, data, student=STAFF)
    assert result.status == 200, (handler, result.status, result.body[:300])
    return [query["sql"] for query in queries.captured_queries
            if OURS in query["sql"].replace(PLATFORM_STAND_INS, "")]


@pytest.mark.parametrize("block_type, scenario, handler, data", PAGES, ids=[f"{p[0]}.{p[2]}" for p in PAGES])
def test_a_staff_page_reads_our_tables_at_most_three_times(scenarios, block_type, scenario, handler, data):
    workbench = Workbench()
    usage = usage_in(workbench, scenarios[scenario].usage_id, block_type)
    our_queries(workbench, usage, handler, data)  # the first call may seed the course's known learners
    queries = our_queries(workbench, usage, handler, data)
    assert len(queries) <= MOST, "\n".join(sql[:200] for sql in queries)


def test_a_learners_programme_page_reads_our_tables_four_times(scenarios):
    """The learner's side of the programme: their row, the published copy (with their certificate),
    every kind of outcome with its settings in one statement, and the next live sessions. It read
    our tables eight times when each kind of outcome was a query of its own."""
    workbench = Workbench()
    usage = usage_in(workbench, scenarios["blended.00-programme"].usage_id, "blended_progress")
    workbench.render(usage, student="amina")  # the first view may publish the programme's copy
    with CaptureQueriesContext(connection) as queries:
        html = workbench.render(usage, student="amina")
    ours = [query["sql"] for query in queries.captured_queries if OURS in query["sql"].replace(PLATFORM_STAND_INS, "")]
    assert "bpg-requirement" in html
    assert len(ours) == 4, "\n".join(sql[:200] for sql in ours)
