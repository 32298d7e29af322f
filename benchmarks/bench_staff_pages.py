"""Queries each staff page makes on our tables (issue 13: at most 3 per page, whatever the cohort).

Every staff list of the six blocks is called as the instructor on the demo's seeded scenario,
then on the same block with a crowd of extra learners known to the course, and the queries on
the package's tables (`blended_xblocks_*`) are counted beside all the queries of the call (the
workbench's own field reads and session are the platform's). The test
tests/test_staff_page_queries.py asserts the bound; this prints the figures and the time of a
page.

Run: `.venv/bin/python -m benchmarks bench_staff_pages`.
"""
import time

from django.db import connection
from django.test.utils import CaptureQueriesContext

from blended_xblocks.platform.models import Learner
from tests.harness import Workbench, forget_demo_scenarios, load_demo_scenarios
from tests.test_api_shapes import usage_in
from tests.test_staff_page_queries import OURS, PAGES, PLATFORM_STAND_INS, STAFF

CROWD = 2000


def _call(workbench, usage, handler, data):
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        result = workbench.call(usage, handler, data, student=STAFF)
        elapsed = time.perf_counter() - started
    assert result.status == 200, (handler, result.status, result.body[:200])
    ours = sum(OURS in query["sql"].replace(PLATFORM_STAND_INS, "") for query in captured.captured_queries)
    return ours, len(captured.captured_queries), elapsed * 1000


def run(report, measure):
    scenarios = load_demo_scenarios()
    try:
        workbench = Workbench()
        usages = [(usage_in(workbench, scenarios[scenario].usage_id, block_type), block_type, handler, data)
                  for block_type, scenario, handler, data in PAGES]
        for usage, _, handler, data in usages:
            _call(workbench, usage, handler, data)  # a first call may record the course's known learners
        before = [_call(workbench, usage, handler, data) for usage, _, handler, data in usages]
        course_keys = {workbench.block(usage, STAFF).course_key_string for usage, *_ in usages}
        for course_key in course_keys:
            Learner.objects.bulk_create([Learner(course_key=course_key, anonymous_user_id=f"crowd{n}",
                                                 user_id=900_000 + n, username=f"crowd{n}") for n in range(CROWD)],
                                        batch_size=1000)
        for (usage, block_type, handler, data), (ours, total, _) in zip(usages, before, strict=True):
            ours_crowd, total_crowd, elapsed = _call(workbench, usage, handler, data)
            name = f"{block_type.removeprefix('blended_')}.{handler}"
            report(f"{name}: queries on our tables (target ≤ 3), demo / +{CROWD} learners", f"{ours} / {ours_crowd}")
            report(f"{name}: all queries, demo / +{CROWD} learners", f"{total} / {total_crowd}")
            report(f"{name}: time with +{CROWD} learners", elapsed, "ms")
    finally:
        forget_demo_scenarios()
