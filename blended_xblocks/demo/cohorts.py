"""Who may open the IOM programme in the demo: its participants, as the call selected them.

In the LMS, applicants who accept a place are put in the call's course cohort, and authors restrict
the programme's units to that cohort with content groups. The workbench has neither, so the demo
plays that part at the page: the programme's page (00-programme) opens for course staff and for
the cohort's members; anyone else is sent to the call (50-iom-call), where they can apply. The
cohort's members are the training's participants selected before the demo starts (PARTICIPANTS:
the people the programme's own scenarios and stages use) and whoever `add_to_cohort` put there
since (an applicant accepting a place). The blocks themselves are unchanged: this is the demo
standing in for content groups, not a rule of the blocks.
"""
from django.conf import settings
from django.db import IntegrityError, transaction

from blended_xblocks.demo.models import DemoCohortMember
from blended_xblocks.demo.people import demo_user_id, is_course_staff

PROGRAMME = "blended.00-programme"
CALL = "blended.50-iom-call"
COHORT = "IOM reintegration training"  # the call's `cohort` in 50-iom-call.xml
# Selected before the demo starts; Omar and Leila have applied to the call and wait for the decision.
PARTICIPANTS = frozenset({"amina", "yusuf", "fatou", "sara", "kwame", "ibrahim"})


def add(course_key: str, cohort: str, user_id: int) -> None:
    try:
        with transaction.atomic():
            DemoCohortMember.objects.get_or_create(course_key=course_key[:255], cohort=cohort[:255], user_id=user_id)
    except IntegrityError:  # added by a concurrent request: it is there
        pass


def members(cohort: str, course_key: str | None = None) -> set:
    return set(DemoCohortMember.objects.filter(course_key=course_key or settings.BLENDED_DEMO_COURSE_KEY, cohort=cohort)
               .values_list("user_id", flat=True))


def sees_programme(student_id: str) -> bool:
    """Course staff see everything; learners see the programme when they are in its cohort."""
    if is_course_staff(student_id) or student_id in PARTICIPANTS:
        return True
    return DemoCohortMember.objects.filter(course_key=settings.BLENDED_DEMO_COURSE_KEY, cohort=COHORT,
                                           user_id=demo_user_id(student_id)).exists()
