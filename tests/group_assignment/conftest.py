"""Fixtures of the group assignment's rule modules: its authored OLX as the block reads it."""
import pytest
from lxml import etree

from tests.harness import GROUP_ASSIGNMENT


@pytest.fixture
def olx_node():
    """The IOM group assignment's <blended_group_assignment> element (tests.harness.GROUP_ASSIGNMENT)."""
    return etree.fromstring(GROUP_ASSIGNMENT.strip())
