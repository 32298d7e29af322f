"""Shared fixtures: a workbench to load OLX into, and a real database for concurrency tests."""
import os

import pytest
from django.db import connection

from tests.harness import Workbench

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


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.browser)
