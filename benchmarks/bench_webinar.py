"""blended_webinar figures: roster paging over 5,000 registrations, learner view, registration, page weight.

Run: `.venv/bin/python -m benchmarks bench_webinar` (add DATABASE_URL for MariaDB/PostgreSQL).
"""
import time
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import connection
from django.test.utils import CaptureQueriesContext

from blended_xblocks.core.resources import static_path
from blended_xblocks.platform.models import Learner
from blended_xblocks.webinar.models import WebinarRegistration, WebinarSession
from tests.harness import Workbench

COURSE = "course-v1:IOM+REINT+2022"
REGISTRATIONS = 5000


def _olx(capacity):
    start = (datetime.now(UTC) + timedelta(days=3)).astimezone(ZoneInfo("Europe/Zurich"))
    return (f'<blended_webinar display_name="Benchmark webinar" start="{start:%Y-%m-%dT%H:%M}" '
            f'timezone="Europe/Zurich" capacity="{capacity}" waitlist="true" languages="en ar" checkin="true"/>')


def run(report, measure):
    workbench = Workbench()
    usage = workbench.load(_olx(0))
    workbench.render(usage, student="instructor")
    session = WebinarSession.objects.get(usage_key=usage)
    learners = Learner.objects.bulk_create(
        [Learner(course_key=COURSE, anonymous_user_id=f"bench{n}", username=f"bench{n}",
                 email=f"bench{n}@learners.example.org") for n in range(REGISTRATIONS)], batch_size=1000)
    WebinarRegistration.objects.bulk_create(
        [WebinarRegistration(session=session, learner=learner, language="ar" if n % 4 == 0 else "en",
                             attendance=("present", "late", "absent", "unmarked")[n % 4])
         for n, learner in enumerate(learners)], batch_size=1000)
    report("registrations in the roster", REGISTRATIONS)

    for page in (1, 50, 100):
        with measure(f"roster page {page} of {REGISTRATIONS // 50} (50 rows)"):
            result = workbench.call(usage, "roster", {"page": page, "page_size": 50}, student="instructor")
        assert result.status == 200 and len(result.json["learners"]) == 50
    for page in (1, 100):
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as captured:
            workbench.call(usage, "roster", {"page": page, "page_size": 50}, student="instructor")
        own = sum("blended_xblocks_" in query["sql"] for query in captured)
        report(f"roster page {page}: queries on the package's tables (rest: workbench field reads)", own)
    started = time.perf_counter()
    for page in range(1, 21):
        workbench.call(usage, "roster", {"page": page * 5, "page_size": 50}, student="instructor")
    report("roster page of 50, mean of 20 calls without memory tracing", (time.perf_counter() - started) * 50, "ms")
    started = time.perf_counter()
    for _ in range(20):
        workbench.call(usage, "get_state", {}, student="bench7")
    report("get_state, mean of 20 calls without memory tracing", (time.perf_counter() - started) * 50, "ms")
    with measure("roster page of 200 rows, filtered by status"):
        workbench.call(usage, "roster", {"page": 1, "page_size": 200, "status": "registered"}, student="instructor")
    with measure(f"export_roster CSV ({REGISTRATIONS} rows)"):
        body = workbench.call(usage, "export_roster", method="GET", student="instructor").body
    report("export_roster CSV size", len(body) // 1024, "KiB")

    with measure("learner view render (student_view)"):
        workbench.render(usage, student="amina")
    with measure("instructor view render (student_view)"):
        workbench.render(usage, student="instructor")
    with measure("get_state"):
        workbench.call(usage, "get_state", {}, student="bench7")

    mark_whole_session(workbench, usage, report, measure)

    small = workbench.load(_olx(100))
    workbench.render(small, student="instructor")
    with measure("200 sequential registrations (100 seats + 100 waitlist)"):
        for n in range(200):
            workbench.call(small, "register", {"language": "en"}, student=f"seq{n}")
    from django.core import mail

    from blended_xblocks.webinar.mail import compose

    sent_before = len(getattr(mail, "outbox", []))
    with measure("cancel one seat (promotes the first of 100 waiting, mails them after commit)"):
        workbench.call(small, "cancel", {}, student="seq0")
    report("promotion e-mails sent by that cancellation", len(getattr(mail, "outbox", [])) - sent_before)
    promoted = WebinarRegistration.objects.select_related("learner", "session").get(
        session__usage_key=small, learner__anonymous_user_id="seq100")
    promoted.site_language = "ar"
    with measure("compose one promotion e-mail in Arabic (text + HTML), first in the process"):
        compose(promoted)
    started = time.perf_counter()
    for _ in range(20):
        compose(promoted)
    report("compose a promotion e-mail, mean of 20 without memory tracing", (time.perf_counter() - started) * 50, "ms")

    sizes = {name: static_path(name).stat().st_size for name in
             ("webinar/webinar.js", "webinar/webinar.css", "common/blended.js", "common/blended.css")}
    for name, size in sizes.items():
        report(f"bytes: {name}", size, "B")
    report("bytes: JS+CSS the block sends (budget 20480)", sum(sizes.values()), "B")


class _Queue:
    """Stands in for Celery (absent here): the marking request only queues the push."""

    def delay(self, block_type, usage_key):
        pass


def mark_whole_session(workbench, usage, report, measure):
    """Marking 1,000 learners present (the handler's batch limit): the request, then the push a worker does."""
    from blended_xblocks.platform import gradebook
    from blended_xblocks.webinar import scores as webinar_scores

    ids = list(WebinarRegistration.objects.filter(session__usage_key=usage, attendance="unmarked")
               .values_list("learner__anonymous_user_id", flat=True)[:1000])
    body = {"records": [{"user_id": user_id, "attendance": "present"} for user_id in ids]}
    real, gradebook.push_scores_task = gradebook.push_scores_task, _Queue()
    try:
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            result = workbench.call(usage, "set_attendance", body, student="instructor")
            elapsed = time.perf_counter() - started
    finally:
        gradebook.push_scores_task = real
    report(f"set_attendance for {len(ids)} learners (push queued): time", elapsed * 1000, "ms")
    report(f"set_attendance for {len(ids)} learners: queries", len(queries))
    pending = result.json["scores_pending"]
    count = [0]

    def counting(execute, sql, params, many, context):  # the query log keeps only 9,000 entries
        count[0] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counting):
        started = time.perf_counter()
        pushed = gradebook.push_pending(webinar_scores.SOURCE, usage)
        elapsed = time.perf_counter() - started
    report(f"push {pending} attendance scores (edx-submissions + completion): time", elapsed * 1000, "ms")
    report("push: time per learner", elapsed * 1000 / max(pushed, 1), "ms")
    report("push: queries per learner", round(count[0] / max(pushed, 1), 1))
