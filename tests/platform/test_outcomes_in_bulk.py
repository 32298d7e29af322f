"""Each block's outcomes for a whole cohort, read the way the progress view will read them."""
from datetime import timedelta
from itertools import combinations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from blended_xblocks.experience_sharing.api import participation_in_bulk
from blended_xblocks.experience_sharing.models import SharingParticipation
from blended_xblocks.group_assignment.api import results_in_bulk
from blended_xblocks.group_assignment.models import AssignmentGroup, GroupSubmission, SubmissionMember
from blended_xblocks.platform.models import Learner
from blended_xblocks.platform.published_settings import publish
from blended_xblocks.progress.models import ProgrammeDefinition
from blended_xblocks.progress.programme import NoPlatformOutcomes, Person, read_outcomes, requirements_of
from blended_xblocks.progress.requirements import BlockRef
from blended_xblocks.supervisor_agreement.api import agreements_in_bulk
from blended_xblocks.supervisor_agreement.models import SupervisorAgreement
from blended_xblocks.webinar.api import attendance_in_bulk
from blended_xblocks.webinar.models import WebinarRegistration, WebinarSession

pytestmark = pytest.mark.django_db
COURSE = "course-v1:IOM+REINT+2022"


def learners(count):
    Learner.objects.bulk_create([Learner(course_key=COURSE, anonymous_user_id=f"a{n}", username=f"l{n}")
                                 for n in range(count)])
    return list(Learner.objects.filter(course_key=COURSE).order_by("id").values_list("id", flat=True))


def session(name, ends_in_hours):
    end = timezone.now() + timedelta(hours=ends_in_hours)
    return WebinarSession.objects.create(course_key=COURSE, usage_key=f"block-v1:{name}", url_name=name,
                                         start=end - timedelta(hours=1), end=end)


def test_attendance_marks_and_what_can_still_count():
    amina, yusuf, sara = learners(3)
    past, upcoming = session("w1", -2), session("w2", 24)
    WebinarRegistration.objects.create(session=past, learner_id=amina, attendance="late")
    WebinarRegistration.objects.create(session=past, learner_id=yusuf)  # registered, not yet marked
    outcomes = attendance_in_bulk(COURSE, [past.usage_key, upcoming.usage_key, "block-v1:gone"], [amina, yusuf, sara])
    assert outcomes[(past.usage_key, amina)] == {"status": "late", "still_open": False}
    assert outcomes[(past.usage_key, yusuf)] == {"status": "unmarked", "still_open": True}  # staff may still mark
    assert outcomes[(past.usage_key, sara)] == {"status": "unmarked", "still_open": False}  # missed it
    assert outcomes[(upcoming.usage_key, sara)]["still_open"]
    assert not any(key[0] == "block-v1:gone" for key in outcomes)  # a deleted session is told apart


def test_an_assignment_result_shows_only_once_released_with_the_members_adjustment():
    amina, yusuf, sara = learners(3)
    group = AssignmentGroup.objects.create(course_key=COURSE, usage_key="ga-1", name="Team Volta", source="learner")
    submission = GroupSubmission.objects.create(course_key=COURSE, usage_key="ga-1", group=group, status="graded",
                                                points=8, possible=10)
    SubmissionMember.objects.create(usage_key="ga-1", submission=submission, learner_id=amina)
    SubmissionMember.objects.create(usage_key="ga-1", submission=submission, learner_id=yusuf, adjustment=-5)
    before = results_in_bulk(COURSE, ["ga-1"], [amina, yusuf, sara])
    assert before[("ga-1", amina)] == {"status": "graded", "share": None, "still_open": True}
    submission.released = timezone.now()
    submission.save()
    after = results_in_bulk(COURSE, ["ga-1"], [amina, yusuf, sara])
    assert after[("ga-1", amina)] == {"status": "released", "share": 0.8, "still_open": False}
    assert after[("ga-1", yusuf)]["share"] == 0.3
    assert after[("ga-1", sara)]["status"] == "not_started"


def test_agreements_and_participation():
    amina, yusuf = learners(2)
    SupervisorAgreement.objects.create(learner_id=amina, course_key=COURSE, usage_key="sa-1", status="approved")
    SupervisorAgreement.objects.create(learner_id=yusuf, course_key=COURSE, usage_key="sa-1", status="declined")
    agreements = agreements_in_bulk(COURSE, ["sa-1"], [amina, yusuf])
    assert agreements[("sa-1", amina)] == {"status": "approved", "still_open": False}
    assert agreements[("sa-1", yusuf)] == {"status": "declined", "still_open": True}  # may ask someone else
    SharingParticipation.objects.create(course_key=COURSE, usage_key="es-1", learner_id=amina, posts=1,
                                        completed=timezone.now())
    participation = participation_in_bulk(COURSE, ["es-1"], [amina, yusuf])
    assert participation[("es-1", amina)]["completion"] == 1.0
    assert participation[("es-1", yusuf)] == {"completion": 0.0, "posts": 0, "replies": 0, "still_open": True}


def test_a_cohort_of_any_size_costs_the_same_queries():
    def queries(learner_ids):
        keys = [f"block-v1:w{n}" for n in range(10)]
        with CaptureQueriesContext(connection) as captured:
            attendance_in_bulk(COURSE, keys, learner_ids)
            results_in_bulk(COURSE, ["ga-1", "ga-2"], learner_ids)
            agreements_in_bulk(COURSE, ["sa-1"], learner_ids)
            participation_in_bulk(COURSE, ["es-1"], learner_ids)
        return len(captured)

    ids = learners(300)
    for n in range(10):
        session(f"w{n}", -1)
    assert queries(ids[:10]) == queries(ids) == 6


def test_a_session_over_without_the_learner_can_no_longer_count():
    amina, yusuf = learners(2)
    past = session("w1", -2)
    WebinarRegistration.objects.create(session=past, learner_id=amina, attendance="absent")
    WebinarRegistration.objects.create(session=past, learner_id=yusuf, status="waitlisted")
    outcomes = attendance_in_bulk(COURSE, [past.usage_key], [amina, yusuf])
    assert outcomes[(past.usage_key, amina)] == {"status": "absent", "still_open": False}
    assert outcomes[(past.usage_key, yusuf)] == {"status": "unmarked", "still_open": False}  # never held a seat
    during = session("w2", 1)
    WebinarRegistration.objects.create(session=during, learner_id=amina, attendance="absent")
    assert attendance_in_bulk(COURSE, [during.usage_key], [amina])[(during.usage_key, amina)]["still_open"]


def deadline(usage_key, hours_from_now, late):
    due = timezone.now() + timedelta(hours=hours_from_now)
    publish(COURSE, usage_key, "blended_group_assignment",
            {"due": due.isoformat().replace("+00:00", "Z"), "late_submissions": late})


def test_a_passed_deadline_without_a_submission_closes_the_assignment_unless_late_work_is_accepted():
    amina, yusuf = learners(2)
    group = AssignmentGroup.objects.create(course_key=COURSE, usage_key="ga-1", name="Team Volta", source="learner")
    submission = GroupSubmission.objects.create(course_key=COURSE, usage_key="ga-1", group=group, status="submitted")
    SubmissionMember.objects.create(usage_key="ga-1", submission=submission, learner_id=amina)
    deadline("ga-1", -1, late=False)
    deadline("ga-2", -1, late=True)
    deadline("ga-3", 24, late=False)
    outcomes = results_in_bulk(COURSE, ["ga-1", "ga-2", "ga-3", "ga-unpublished"], [amina, yusuf])
    assert outcomes[("ga-1", amina)]["still_open"]  # submitted in time: the grade is still to come
    assert outcomes[("ga-1", yusuf)] == {"status": "not_started", "share": None, "still_open": False}
    assert outcomes[("ga-2", yusuf)]["still_open"]  # late work is accepted
    assert outcomes[("ga-3", yusuf)]["still_open"]  # not due yet
    assert outcomes[("ga-unpublished", yusuf)]["still_open"]  # never shown: nothing known, nothing closed


def test_a_sharing_whose_required_session_is_over_without_the_learner_can_no_longer_complete():
    amina, yusuf, sara = learners(3)
    past = session("w1", -2)
    WebinarRegistration.objects.create(session=past, learner_id=amina, attendance="present")
    WebinarRegistration.objects.create(session=past, learner_id=yusuf, attendance="absent")
    WebinarRegistration.objects.create(session=past, learner_id=sara)  # registered, not marked yet
    publish(COURSE, "es-1", "blended_experience_sharing", {"required_session": "w1"})
    publish(COURSE, "es-2", "blended_experience_sharing", {"required_session": ""})
    outcomes = participation_in_bulk(COURSE, ["es-1", "es-2"], [amina, yusuf, sara])
    assert outcomes[("es-1", amina)]["still_open"] and outcomes[("es-1", sara)]["still_open"]
    assert not outcomes[("es-1", yusuf)]["still_open"]
    assert outcomes[("es-2", yusuf)]["still_open"]  # attendance not required: posts can always come


KINDS = ("attendance", "assignment", "approval", "participation")


@pytest.mark.parametrize("kinds", [combination for size in range(1, 5) for combination in combinations(KINDS, size)],
                         ids="+".join)
@pytest.mark.parametrize("cohort", [3, 40], ids=["prepared", "a long list through the ORM"])
def test_a_programme_reads_its_kinds_and_their_settings_in_one_statement(kinds, cohort):
    """The programme's page, its cohort and the certificate check read the kinds of outcome our blocks
    keep, and the published settings two of them are judged by, as one UNION of the packages' rows
    (core/outcome_rows.py), whichever kinds a programme has (each database types a union's columns
    its own way) and however many learners a page holds (more than 32 are not prepared). Amina was
    late to the session, has a released grade with an adjustment and a completed participation;
    Yusuf's agreement was declined, he missed the session his sharing session requires and the
    assignment's deadline passed without late work; the others did nothing."""
    amina, yusuf, *others = learners(cohort)
    past = session("w1", -2)
    WebinarRegistration.objects.create(session=past, learner_id=amina, attendance="late")
    group = AssignmentGroup.objects.create(course_key=COURSE, usage_key="ga-1", name="Team Volta", source="learner")
    submission = GroupSubmission.objects.create(course_key=COURSE, usage_key="ga-1", group=group, status="graded",
                                                points=8, possible=10, released=timezone.now())
    SubmissionMember.objects.create(usage_key="ga-1", submission=submission, learner_id=amina, adjustment=-0.75)
    publish(COURSE, "ga-1", "blended_group_assignment", {"due": "2020-01-01T00:00:00Z", "late_submissions": False})
    SupervisorAgreement.objects.create(learner_id=yusuf, course_key=COURSE, usage_key="sa-1", status="declined")
    SharingParticipation.objects.create(course_key=COURSE, usage_key="es-1", learner_id=amina, posts=2, replies=3,
                                        completed=timezone.now())
    publish(COURSE, "es-1", "blended_experience_sharing", {"min_posts": 1, "required_session": "w1"})
    blocks = {"attendance": ("blended_webinar/w1", past.usage_key), "assignment": ("blended_group_assignment/ga", "ga-1"),
              "approval": ("blended_supervisor_agreement/sa", "sa-1"),
              "participation": ("blended_experience_sharing/es", "es-1")}
    definition = ProgrammeDefinition(
        course_key=COURSE, usage_key="block-v1:programme", resolved_blocks=dict(blocks[kind] for kind in kinds),
        requirements=[{"id": kind, "label": kind, "kind": kind, "blocks": [blocks[kind][0]]} for kind in kinds])
    people = [Person(learner_id=learner_id, user_id=None) for learner_id in [amina, yusuf, *others]]

    with CaptureQueriesContext(connection) as captured:
        outcomes = read_outcomes(definition, requirements_of(definition), people, NoPlatformOutcomes())
    required_session_reads = 2 if "participation" in kinds else 0  # the session it names and its attendance
    assert len(captured) == 1 + required_session_reads
    assert captured[0]["sql"].upper().count("UNION ALL") == len(kinds) - 1 + bool({"assignment", "participation"} & set(kinds))

    def seen(person, kind):
        outcome = outcomes[people[person]][(kind, BlockRef.parse(blocks[kind][0]))]
        return outcome.status, outcome.share, outcome.completion, outcome.still_open

    expected = {  # (status, share, completion, still_open) for Amina, Yusuf, someone else
        "attendance": [("late", None, 0.0, False), ("unmarked", None, 0.0, False), ("unmarked", None, 0.0, False)],
        "assignment": [("released", 0.725, 0.0, False), ("not_started", None, 0.0, False),
                       ("not_started", None, 0.0, False)],
        "approval": [("not_requested", None, 0.0, True), ("declined", None, 0.0, True), ("not_requested", None, 0.0, True)],
        "participation": [("", None, 1.0, False), ("", None, 0.0, False), ("", None, 0.0, False)],
    }
    for kind in kinds:
        assert [seen(person, kind) for person in (0, 1, -1)] == expected[kind], kind
    assert all(len(outcomes[person]) == len(kinds) for person in people)
