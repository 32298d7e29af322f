"""Group assignment at the scale the issue names: 2,000 learners in 400 groups.

Figures: one page of the staff list, grading one 5-member submission, releasing all grades (the
request, with the score push queued) and pushing the pending scores through edx-submissions, the
CSV export and the streamed zip (peak memory shows the zip is not held whole).
"""
import os
import uuid

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from blended_xblocks.group_assignment.models import (
    AssignmentGroup,
    GroupMembership,
    GroupSubmission,
    SubmissionFile,
    SubmissionMember,
)
from blended_xblocks.platform.models import Learner
from tests.harness import Workbench

OLX = """<blended_group_assignment mode="group" max_group_size="5">
  <rubric><criterion name="plan" label="Plan"><level points="0" label="Missing"/><level points="5" label="Complete"/></criterion></rubric>
</blended_group_assignment>"""
GROUPS, SIZE = 400, 5


def seed(workbench, usage):
    block = workbench.block(usage, "instructor")
    course, key = block.course_key_string, block.usage_key_string
    tag = uuid.uuid4().hex[:6]
    learners = Learner.objects.bulk_create([Learner(course_key=course, anonymous_user_id=f"b{tag}{i}", username=f"b{tag}{i}")
                                            for i in range(GROUPS * SIZE)])
    groups = AssignmentGroup.objects.bulk_create([AssignmentGroup(course_key=course, usage_key=key, name=f"Group {g:03}",
                                                                  source="staff") for g in range(GROUPS)])
    GroupMembership.objects.bulk_create([GroupMembership(usage_key=key, group=groups[i // SIZE], learner=learner)
                                         for i, learner in enumerate(learners)])
    now = timezone.now()
    subs = GroupSubmission.objects.bulk_create([GroupSubmission(course_key=course, usage_key=key, group=group,
                                                                text="Plan " * 200, version=3, status="submitted",
                                                                submitted=now) for group in groups])
    SubmissionMember.objects.bulk_create([SubmissionMember(usage_key=key, submission=subs[i // SIZE], learner=learner)
                                          for i, learner in enumerate(learners)])
    return subs


class Queue:
    """Stands in for Celery (absent here): the release request only queues the push."""

    def delay(self, block_type, usage_key):
        pass


def release_and_push(workbench, usage, report, measure):
    """The release request (scores queued, as in the LMS) and the push a worker or the command does."""
    import time

    from blended_xblocks.group_assignment import scores
    from blended_xblocks.platform import gradebook

    real, gradebook.push_scores_task = gradebook.push_scores_task, Queue()
    try:
        with measure("release 50 graded submissions (250 members), push queued"):
            result = workbench.call(usage, "release_grades", {}, student="instructor")
    finally:
        gradebook.push_scores_task = real
    pending = result.json["scores_pending"]
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as queries:  # timed without memory tracing (it slows the ORM)
        started = time.perf_counter()
        pushed = scores.push_pending(scores_usage_key(workbench, usage))
        elapsed = time.perf_counter() - started
    report(f"push {pending} pending scores (edx-submissions + completion): time", elapsed * 1000, "ms")
    report("push: time per member", elapsed * 1000 / max(pushed, 1), "ms")
    report("push: queries per member", round(len(queries) / max(pushed, 1), 1))


def scores_usage_key(workbench, usage):
    return workbench.block(usage, "instructor").usage_key_string


def run(report, measure):
    workbench = Workbench()
    usage = workbench.load(OLX)
    subs = seed(workbench, usage)
    with measure("list_submissions, page 5 of 400 groups (2,000 learners)"):
        result = workbench.call(usage, "list_submissions", {"page": 5, "page_size": 50}, student="instructor")
    report("list_submissions response size", len(result.body) / 1024, "KiB")
    with measure("grade one 5-member submission with an adjustment"):
        workbench.call(usage, "grade", {"submission_id": subs[0].pk, "grade_version": 0, "levels": {"plan": 5},
                                        "adjustments": [{"user_id": Learner.objects.filter(pk=subs[0].members.first().learner_id)
                                                         .values_list("anonymous_user_id", flat=True)[0],
                                                         "points": -1, "reason": "absent"}]}, student="instructor")
    GroupSubmission.objects.filter(pk__in=[s.pk for s in subs[:50]]).update(status="graded", points=4)
    release_and_push(workbench, usage, report, measure)
    with measure("export_grades CSV, 2,000 rows"):
        # The handler redirects to the streamed file; the harness follows it, as a browser does.
        exported = workbench.call(usage, "export_grades", method="GET", student="instructor")
        assert exported.status == 200, exported.status
        body = exported.body
    report("CSV size", len(body) / 1024, "KiB")
    block = workbench.block(usage, "instructor")
    content = b"%PDF-1.4\n" + os.urandom(512 * 1024)  # incompressible, like real scans
    files = [SubmissionFile(submission=sub, name="plan.pdf", size=len(content), content_type="application/pdf",
                            path=default_storage.save(f"bench/{uuid.uuid4().hex}.pdf", ContentFile(content)))
             for sub in subs[:100]]
    SubmissionFile.objects.bulk_create(files)
    from blended_xblocks.group_assignment.exports import zip_stream

    size = 0
    with measure("zip of 400 submissions with 100 files of 512 KiB, streamed"):
        for piece in zip_stream(block.usage_key_string):
            size += len(piece)
    report("zip size", size / 1024 / 1024, "MiB")
    for stored in files:
        default_storage.delete(stored.path)
    seeded_list(workbench, measure)


def seeded_list(workbench, measure):
    """OLX seeds 400 groups of 5 learners the course already knows: the first staff list places
    them all (once), later lists only check that nothing is left to seed."""
    members = "".join(f'<group name="S{g:03}">' + "".join(f'<member username="s{g}-{i}"/>' for i in range(SIZE))
                      + "</group>" for g in range(GROUPS))
    usage = workbench.load(OLX.replace("</blended_group_assignment>", members + "</blended_group_assignment>"))
    course = workbench.block(usage, "instructor").course_key_string
    Learner.objects.bulk_create([Learner(course_key=course, anonymous_user_id=f"s{g}-{i}-{uuid.uuid4().hex[:6]}",
                                         username=f"s{g}-{i}") for g in range(GROUPS) for i in range(SIZE)])
    with measure("list_submissions, first of a block seeding 2,000 known learners"):
        workbench.call(usage, "list_submissions", {}, student="instructor")
    with measure("list_submissions, same block once seeded"):
        workbench.call(usage, "list_submissions", {}, student="instructor")
