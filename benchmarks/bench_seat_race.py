"""40 learners register at the same moment for 20 seats (the webinar's race, issue 13), and the same
40 one after another; wall time, with the outcome checked (20 seats, waitlist positions 1..20).

The race's time runs from the moment the 40 requests are let go to the last answer; each thread
has opened its database connection before (a server's workers keep theirs), so the figure is the
product's, not the driver's connection set-up.

Meaningful on MariaDB/MySQL and PostgreSQL (`DATABASE_URL=... .venv/bin/python -m benchmarks
bench_seat_race`); SQLite serialises writers, so its figure is printed but says little.
"""
import time

from django.db import connection
from django.test.utils import CaptureQueriesContext

from blended_xblocks.webinar.models import WebinarRegistration
from tests.harness import Workbench, timed_race, webinar

LEARNERS, SEATS = 40, 20


def _outcome(usage):
    rows = WebinarRegistration.objects.filter(session__usage_key=usage)
    seated = rows.filter(status="registered").count()
    positions = sorted(rows.filter(status="waitlisted").values_list("waitlist_position", flat=True))
    return seated == SEATS and positions == list(range(1, LEARNERS - SEATS + 1))


def run(report, measure):
    workbench = Workbench()
    for label, together in (("at once", True), ("one after another", False)):
        usage = workbench.load(webinar(capacity=str(SEATS), waitlist="true"))
        workbench.render(usage, student="instructor")  # the session row exists before the crowd arrives
        calls = [lambda s=f"{label[:4]}{n:02d}", u=usage: workbench.call(u, "register", {}, student=s)
                 for n in range(LEARNERS)]
        if together:
            results, elapsed = timed_race(calls)
        else:
            started = time.perf_counter()
            results = [call() for call in calls]
            elapsed = time.perf_counter() - started
        ok = all(getattr(result, "status", None) == 200 for result in results) and _outcome(usage)
        report(f"{LEARNERS} registrations for {SEATS} seats, {label}: wall time (target < 2000)", elapsed * 1000, "ms")
        report(f"{LEARNERS} registrations, {label}: outcome exact (20 seats, positions 1..20)", "yes" if ok else "NO")
    usage = workbench.load(webinar(capacity=str(SEATS), waitlist="true"))
    workbench.render(usage, student="instructor")
    for label, student in (("first visit", "newcomer"), ("after a page view", "returning")):
        if student == "returning":
            workbench.render(usage, student=student)
        with CaptureQueriesContext(connection) as queries:
            workbench.call(usage, "register", {}, student=student)
        report(f"one registration, {label}: queries", len(queries))
