"""blended_application figures: the staff list over 2,000 applicants with reviews (time and queries),
its sorts and search, get_application, the CSV export and the learner's view.

Run: `.venv/bin/python -m benchmarks bench_application` (add DATABASE_URL for MariaDB/PostgreSQL).
"""
import time

from django.db import connection
from django.test.utils import CaptureQueriesContext

from blended_xblocks.application.models import Application, ApplicationCall, ApplicationReview
from blended_xblocks.platform.models import Learner
from tests.harness import GOOD_ANSWERS as GOOD
from tests.harness import Workbench
from tests.harness import application_call as call

APPLICANTS = 2000


def run(report, measure):
    workbench = Workbench()
    usage = workbench.load(call(places=20))
    workbench.render(usage, student="instructor")
    row = ApplicationCall.objects.get(usage_key=usage)
    learners = Learner.objects.bulk_create(
        [Learner(course_key=row.course_key, anonymous_user_id=f"bench{n}", user_id=500_000 + n, username=f"bench{n}",
                 full_name=f"Applicant {n}", email=f"bench{n}@learners.example.org") for n in range(APPLICANTS)],
        batch_size=1000)
    applications = Application.objects.bulk_create(
        [Application(call=row, learner=learner, status="submitted", answers=GOOD, eligible=n % 10 != 0)
         for n, learner in enumerate(learners)], batch_size=1000)
    ApplicationReview.objects.bulk_create(
        [ApplicationReview(application=application, reviewer_id=reviewer, scores={"exp": n % 6, "plan": 3},
                           total=n % 6 + 3, reviewer_name=f"Reviewer {reviewer}")
         for n, application in enumerate(applications) for reviewer in (1, 2)], batch_size=1000)
    report("applicants (two reviews each)", APPLICANTS)

    for sort in ("submitted", "-score", "name"):
        with measure(f"list_applications page 1 of 50, sort {sort}"):
            result = workbench.call(usage, "list_applications", {"page_size": 50, "sort": sort}, student="instructor")
        assert result.status == 200 and result.json["total"] == APPLICANTS
    with measure("list_applications, search 'Applicant 19'"):
        workbench.call(usage, "list_applications", {"search": "Applicant 19"}, student="instructor")
    for page in (1, 40):
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as captured:
            workbench.call(usage, "list_applications", {"page": page, "page_size": 50, "sort": "-score"}, student="instructor")
        own = sum("blended_xblocks_" in query["sql"] for query in captured)
        report(f"list_applications page {page}: queries on the package's tables", own)
    started = time.perf_counter()
    for page in range(1, 21):
        workbench.call(usage, "list_applications", {"page": page, "page_size": 50, "sort": "-score"}, student="instructor")
    report("list_applications page of 50, mean of 20 calls without memory tracing",
           (time.perf_counter() - started) * 50, "ms")
    with measure("get_application"):
        workbench.call(usage, "get_application", {"user_id": 500_007}, student="instructor")
    with measure(f"export_applications CSV ({APPLICANTS} rows)"):
        body = workbench.call(usage, "export_applications", method="GET", student="instructor").body
    report("export_applications CSV size", len(body) // 1024, "KiB")
    with measure("learner view render (student_view)"):
        workbench.render(usage, student="amina")
    with measure("instructor view render (student_view)"):
        workbench.render(usage, student="instructor")
