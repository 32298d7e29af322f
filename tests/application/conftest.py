"""Fixtures of the call for applications. The Open edX host (`openedx`) comes from tests/conftest.py;
here, the rows the selection rules read, without any host."""
from datetime import UTC, datetime

import pytest
from lxml import etree

from blended_xblocks.application.models import Application, ApplicationCall
from blended_xblocks.platform.models import Learner
from tests.harness import COURSE, application_call


@pytest.fixture
def now():
    return datetime(2022, 4, 20, 9, 0, tzinfo=UTC)


@pytest.fixture
def call_node():
    """The IOM call's <blended_application> element (tests.harness.APPLICATION_CALL)."""
    return etree.fromstring(application_call())


@pytest.fixture
def call_row(db):
    """The call's row: 2 places, a waitlist, offers open for 7 days."""
    return ApplicationCall.objects.create(course_key=COURSE, usage_key="block-v1:IOM+REINT+2022+type@blended_application+block@call",
                                          title="Apply for the training", places=2, waitlist=True, offer_days=7)


@pytest.fixture
def applicants(call_row):
    """`applicants("amina", "yusuf", status="submitted")`: one submitted application each, user ids 1, 2, …"""
    made = []

    def make(*names, status=Application.SUBMITTED, **fields):
        rows = []
        for name in names:
            made.append(name)
            learner = Learner.objects.create(course_key=COURSE, anonymous_user_id=f"anon-{name}", username=name,
                                             user_id=len(made))
            rows.append(Application.objects.create(call=call_row, learner=learner, status=status, **fields))
        return rows
    return make
