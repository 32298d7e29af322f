"""Blocks load where the platform holds them: opaque keys, its mixin after the block, declared services."""

import pytest
from lxml import etree
from opaque_keys.edx.keys import UsageKey
from xblock.core import XBlock
from xblock.exceptions import NoSuchServiceError
from xblock.fields import Scope

from tests.harness import services_the_adapter_asks_for
from tests.openedx.blocks import BLOCKS
from tests.openedx.host import OpenEdxHost

URL_NAMES = {block_type: etree.fromstring(xml).get("url_name") for block_type, xml in BLOCKS.items()}


def test_the_adapter_asks_for_the_services_the_lms_gives():
    """Keeps the declaration test below from passing on an empty list if the adapter's calls change shape."""
    assert {"user", "settings", "completion", "teams", "studio_user_permissions"} <= set(services_the_adapter_asks_for())


@pytest.mark.parametrize("block_type", sorted(BLOCKS))
def test_every_block_declares_every_service_the_adapter_asks_for(block_type):
    """XBlock's runtime refuses an undeclared service: the adapter would silently see None."""
    block_class = XBlock.load_class(block_type)
    undeclared = [name for name in services_the_adapter_asks_for() if block_class.service_declaration(name) is None]
    assert undeclared == []


@pytest.mark.parametrize("block_type", sorted(BLOCKS))
def test_a_block_loads_through_the_host_with_its_location_a_usage_key(openedx, block_type):
    key = openedx.import_olx(BLOCKS[block_type])
    block = openedx.lms(openedx.person("amina")).load(key)
    assert isinstance(block.location, UsageKey) and block.location == key
    assert block.url_name == URL_NAMES[block_type] and block.category == block_type
    assert block.course_id == openedx.course_key and block.location.course_key == openedx.course_key
    assert block.usage_key_string == str(key) and block.course_key_string == "course-v1:IOM+REINT+2022"


def test_the_host_refuses_a_block_that_shadows_usage_key_with_text(openedx):
    """What fix 8.1 removed: a `usage_key` returning text breaks `location` in the LMS and Studio."""
    webinar_class = XBlock.load_class("blended_webinar")

    class TextKeyWebinar(webinar_class):
        @property
        def usage_key(self):
            return str(self.scope_ids.usage_id)

    key = openedx.import_olx(BLOCKS["blended_webinar"])
    runtime = openedx.lms(openedx.person("amina")).runtime()
    runtime.load_block_type = lambda block_type: TextKeyWebinar
    with pytest.raises((AssertionError, AttributeError)):
        block = openedx.load(key, runtime, user_id=None)
        assert isinstance(block.location, UsageKey)
        assert block.url_name


def test_an_undeclared_service_is_refused_by_the_runtime(openedx):
    key = openedx.import_olx(BLOCKS["blended_webinar"])
    block = openedx.lms(openedx.person("amina")).load(key)
    with pytest.raises(NoSuchServiceError):
        block.runtime.service(block, "credit")


@pytest.mark.parametrize("block_type", sorted(BLOCKS))
def test_olx_export_and_import_keep_the_url_name_and_the_content(openedx, block_type):
    key = openedx.import_olx(BLOCKS[block_type])
    exported = openedx.export_olx(key)
    assert etree.fromstring(exported).get("url_name") == URL_NAMES[block_type]
    other_course = OpenEdxHost()
    again = other_course.import_olx(exported)
    assert again == key and again.block_id == URL_NAMES[block_type]
    before = openedx.lms(openedx.person("amina")).load(key)
    after = other_course.lms(other_course.person("amina")).load(again)
    assert after.location == before.location and after.url_name == before.url_name
    content = [name for name, field in before.fields.items() if field.scope in (Scope.content, Scope.settings)]
    assert {name: getattr(after, name) for name in content} == {name: getattr(before, name) for name in content}
    assert other_course.export_olx(again) == exported
