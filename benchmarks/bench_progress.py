"""Programme progress over a cohort: 1,000 learners × 10 requirements (10 webinars, 6 assignments,
an agreement, experience sharing), judged for the instructor's cohort page and its CSV export.

The cohort page judges every learner (its filters and counts are exact), in a fixed number of
queries; the figures show the time that costs and that the queries do not grow with the page.
"""
import random

from django.utils import timezone

COURSE = "course-v1:IOM+BENCH+2022"
LEARNERS = 1_000


def populate():
    from blended_xblocks.experience_sharing.models import SharingParticipation
    from blended_xblocks.group_assignment.models import AssignmentGroup, GroupSubmission, SubmissionMember
    from blended_xblocks.platform.models import Learner
    from blended_xblocks.progress.models import ProgrammeDefinition
    from blended_xblocks.supervisor_agreement.models import SupervisorAgreement
    from blended_xblocks.webinar.models import WebinarRegistration, WebinarSession

    rng = random.Random(7)
    now = timezone.now()
    Learner.objects.bulk_create([Learner(course_key=COURSE, anonymous_user_id=f"b{n}", username=f"b{n:05d}",
                                         user_id=n + 1, full_name=f"Learner {n:05d}") for n in range(LEARNERS)])
    learners = list(Learner.objects.filter(course_key=COURSE).order_by("pk"))
    webinars = [f"block-v1:bench+type@blended_webinar+block@w{n}" for n in range(10)]
    sessions = WebinarSession.objects.bulk_create([WebinarSession(course_key=COURSE, usage_key=key, url_name=key[-3:],
                                                                  start=now, end=now) for key in webinars])
    WebinarRegistration.objects.bulk_create([
        WebinarRegistration(session=session, learner=learner, attendance=rng.choice(["present", "late", "absent"]))
        for session in sessions for learner in learners], batch_size=2000)
    assignments = [f"block-v1:bench+type@blended_group_assignment+block@a{n}" for n in range(6)]
    for key in assignments:
        groups = AssignmentGroup.objects.bulk_create([AssignmentGroup(course_key=COURSE, usage_key=key, name=f"g{n}",
                                                                      source="learner") for n in range(LEARNERS)])
        submissions = GroupSubmission.objects.bulk_create([
            GroupSubmission(course_key=COURSE, usage_key=key, group=group, status="graded", points=rng.randint(0, 10),
                            possible=10, released=now) for group in groups], batch_size=2000)
        SubmissionMember.objects.bulk_create([SubmissionMember(usage_key=key, submission=submission, learner=learner)
                                              for submission, learner in zip(submissions, learners, strict=True)], batch_size=2000)
    agreement = "block-v1:bench+type@blended_supervisor_agreement+block@agreement"
    SupervisorAgreement.objects.bulk_create([SupervisorAgreement(learner=learner, course_key=COURSE, usage_key=agreement,
                                                                 status=rng.choice(["approved", "pending"]))
                                             for learner in learners], batch_size=2000)
    sharing = "block-v1:bench+type@blended_experience_sharing+block@s1"
    SharingParticipation.objects.bulk_create([SharingParticipation(course_key=COURSE, usage_key=sharing, learner=learner,
                                                                   completed=now if rng.random() < .7 else None)
                                              for learner in learners], batch_size=2000)
    refs = {f"blended_webinar/w{n}": key for n, key in enumerate(webinars)}
    refs |= {f"blended_group_assignment/a{n}": key for n, key in enumerate(assignments)}
    refs |= {"blended_supervisor_agreement/agreement": agreement, "blended_experience_sharing/s1": sharing}
    requirements = [{"id": "webinars", "kind": "attendance", "blocks": [f"blended_webinar/w{n}" for n in range(10)],
                     "min": 8}]
    requirements += [{"id": f"a{n}", "kind": "assignment", "blocks": [f"blended_group_assignment/a{n}"], "min_score": .5}
                     for n in range(6)]
    requirements += [{"id": "supervisor", "kind": "approval", "blocks": ["blended_supervisor_agreement/agreement"]},
                     {"id": "sharing", "kind": "participation", "blocks": ["blended_experience_sharing/s1"]},
                     {"id": "webinars-early", "kind": "attendance", "blocks": [f"blended_webinar/w{n}" for n in range(3)]}]
    return ProgrammeDefinition.objects.create(course_key=COURSE, usage_key="block-v1:bench+type@blended_progress+block@p",
                                              requirements=requirements, resolved_blocks=refs)


def run(report, measure):
    from blended_xblocks.progress.cohort import cohort_csv, cohort_page
    from blended_xblocks.progress.programme import NoPlatformOutcomes, requirements_of

    definition = populate()
    report("learners", LEARNERS)
    report("requirements", len(definition.requirements))
    for name, options in [("first page of 50", {"page": 1}), ("last page of 50", {"page": LEARNERS // 50}),
                          ("at-risk filter, page 1", {"page": 1, "status": "at_risk"}),
                          ("search, page 1", {"page": 1, "search": "0042"})]:
        with measure(f"cohort page, {name}"):
            page = cohort_page(definition, COURSE, status=options.get("status", "all"), search=options.get("search", ""),
                               page=options["page"], page_size=50, reader=NoPlatformOutcomes())
        assert page["total"] and page["learners"]
    report("learners who met every requirement", page["counts"]["met"] if "counts" in page else 0)
    with measure("cohort CSV of 1,000 learners"):
        text = cohort_csv(definition, COURSE, requirements_of(definition), NoPlatformOutcomes(), "yes", "no")
    report("CSV size", len(text.encode()) / 1024, "KiB")
