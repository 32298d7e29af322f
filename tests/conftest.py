"""Shared fixtures: a workbench to load OLX into, a real database for concurrency tests, and a course
in the Open edX host (tests/openedx/host.py) with the LMS adapter configured."""
import os
import sys
import types

import pytest
from django.db import connection

from blended_xblocks.platform.models import Learner
from tests.harness import COURSE, Workbench
from tests.openedx.host import OpenEdxHost

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop


@pytest.fixture
def workbench(db):
    return Workbench()


@pytest.fixture
def real_db(transactional_db):
    """Concurrency tests: SQLite serialises writers and would hide races."""
    if connection.vendor == "sqlite":
        pytest.skip("needs MariaDB/MySQL or PostgreSQL (set DATABASE_URL); CI runs it on both")
    return Workbench()


@pytest.fixture
def learners(db):
    """`learners("amina", "yusuf")`: one Learner row each in the workbench's course, for tests that
    call rule modules directly."""
    def make(*names):
        return [Learner.objects.create(course_key=COURSE, anonymous_user_id=f"anon-{name}", username=name)
                for name in names]
    return make


class FakeQueue:
    """Stands in for the Celery task that pushes scores: records what the LMS would queue."""

    def __init__(self):
        self.queued = []

    def delay(self, block_type, usage_key):
        self.queued.append((block_type, usage_key))


@pytest.fixture
def queue(monkeypatch):
    """Scores to push are queued (as with Celery in the LMS), not pushed in the request."""
    from blended_xblocks.platform import gradebook

    fake = FakeQueue()
    monkeypatch.setattr(gradebook, "push_scores_task", fake)
    return fake


class BlockCompletionStandIn:
    """edx-completion's model API (`BlockCompletion.objects.submit_completion`), which the adapter
    uses where the LMS gives no completion service: workers, commands, no-login requests."""

    def __init__(self, host):
        self.host = host
        self.objects = self

    def submit_completion(self, user, block_key, completion):
        self.host.completions[(user.id, str(block_key))] = completion


@pytest.fixture
def openedx(db, settings, monkeypatch):
    """A fresh course; blocks talk to it through `OpenEdxPlatform`, the adapter the LMS uses."""
    settings.BLENDED_XBLOCKS_PLATFORM = "blended_xblocks.platform.adapter.OpenEdxPlatform"
    settings.BLENDED_XBLOCKS_OUTCOME_READER = "blended_xblocks.platform.adapter.OpenEdxOutcomeReader"
    host = OpenEdxHost()
    package = types.ModuleType("completion")
    package.models = types.SimpleNamespace(BlockCompletion=BlockCompletionStandIn(host))
    monkeypatch.setitem(sys.modules, "completion", package)
    monkeypatch.setitem(sys.modules, "completion.models", package.models)
    return host


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.browser)
