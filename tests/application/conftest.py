"""Fixtures of the call for applications: the Open edX host."""
from tests.openedx.conftest import openedx  # noqa: F401 - the host fixture
