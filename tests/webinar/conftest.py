"""Fixtures of the webinar's rule modules: a session row, without the workbench."""
from datetime import UTC, datetime, timedelta

import pytest

from blended_xblocks.webinar.models import WebinarSession
from tests.harness import COURSE


@pytest.fixture
def now():
    return datetime(2022, 5, 10, 9, 0, tzinfo=UTC)


@pytest.fixture
def session(db, now):
    """Webinar 3 in six days, 2 seats and a waitlist, as publishing the course stores it."""
    start = now + timedelta(days=6)
    return WebinarSession.objects.create(
        course_key=COURSE, usage_key="block-v1:IOM+REINT+2022+type@blended_webinar+block@kmh3",
        url_name="kmh3", title="Webinar 3: Reintegration at community level", start=start,
        end=start + timedelta(minutes=90), timezone="Africa/Dakar", capacity=2, waitlist=True,
        join_url="https://meet.example.org/kmh-3")

