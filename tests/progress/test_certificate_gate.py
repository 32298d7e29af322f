"""The certificate gate, run by the real openedx-filters pipeline as the LMS runs it."""
from types import SimpleNamespace

import pytest
from django.test import override_settings
from django.utils import timezone
from opaque_keys.edx.keys import CourseKey
from openedx_filters.learning.filters import CertificateCreationRequested

from blended_xblocks.platform.models import Learner
from blended_xblocks.progress.certificate_gate import FILTER_TYPE, STEP_PATH
from blended_xblocks.progress.models import ProgrammeDefinition
from blended_xblocks.supervisor_agreement.models import SupervisorAgreement
from blended_xblocks.webinar.models import WebinarRegistration, WebinarSession

pytestmark = pytest.mark.django_db
COURSE = "course-v1:IOM+REINT+2022"
OTHER_COURSE = "course-v1:IOM+OTHER+2022"
GATE = {FILTER_TYPE: {"pipeline": [STEP_PATH], "fail_silently": False}}


def programme():
    ProgrammeDefinition.objects.create(
        course_key=COURSE, usage_key="block-v1:progress", title="Your programme",
        requirements=[
            {"id": "webinars", "kind": "attendance", "blocks": "blended_webinar/w1 blended_webinar/w2", "min": "1"},
            {"id": "supervisor", "kind": "approval", "blocks": "blended_supervisor_agreement/agreement"},
        ],
        resolved_blocks={"blended_webinar/w1": "block-v1:w1", "blended_webinar/w2": "block-v1:w2",
                         "blended_supervisor_agreement/agreement": "block-v1:agreement"})


def certificate_requested(course_key=COURSE, user_id=7):
    return CertificateCreationRequested.run_filter(
        user=SimpleNamespace(id=user_id), course_key=CourseKey.from_string(course_key), mode="verified",
        status="downloadable", grade=SimpleNamespace(percent=0.9, passed=True), generation_mode="batch")


@override_settings(OPEN_EDX_FILTERS_CONFIG=GATE)
def test_the_certificate_waits_for_the_programme_then_goes_through():
    programme()
    amina = Learner.objects.create(course_key=COURSE, anonymous_user_id="anon-7", user_id=7, username="amina")
    with pytest.raises(CertificateCreationRequested.PreventCertificateCreation):
        certificate_requested()
    session = WebinarSession.objects.create(course_key=COURSE, usage_key="block-v1:w1", url_name="w1",
                                            end=timezone.now())
    WebinarRegistration.objects.create(session=session, learner=amina, attendance="present")
    with pytest.raises(CertificateCreationRequested.PreventCertificateCreation):
        certificate_requested()  # the supervisor has not agreed yet
    SupervisorAgreement.objects.create(learner=amina, course_key=COURSE, usage_key="block-v1:agreement",
                                       status="approved")
    user, course_key, mode, *_ = certificate_requested()
    assert (user.id, str(course_key), mode) == (7, COURSE, "verified")


@override_settings(OPEN_EDX_FILTERS_CONFIG=GATE)
def test_a_learner_who_never_opened_a_blended_block_is_held_back():
    programme()
    with pytest.raises(CertificateCreationRequested.PreventCertificateCreation):
        certificate_requested(user_id=99)


@override_settings(OPEN_EDX_FILTERS_CONFIG=GATE)
def test_a_course_without_a_programme_is_untouched():
    programme()
    user, course_key, *_ = certificate_requested(course_key=OTHER_COURSE)
    assert str(course_key) == OTHER_COURSE and user.id == 7


def test_without_the_step_configured_nothing_is_held_back():
    programme()
    user, *_ = certificate_requested()
    assert user.id == 7
