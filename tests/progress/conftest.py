"""A course in the Open edX host with a programme over webinars and an agreement."""
import sys
import types

import pytest
from lxml import etree
from opaque_keys.edx.keys import UsageKey

from tests.harness import SUPERVISOR_AGREEMENT as AGREEMENT
from tests.harness import named as _named
from tests.harness import webinar
from tests.progress import lms_tables


class ModulestoreStandIn:
    """`xmodule.modulestore.django.modulestore()`: which blocks the course has (`has_item`) and
    the course's blocks for Studio (`get_items(course_key, include_orphans=False)`, split's
    signature: blocks bound to the store, each with `location` and `display_name`)."""

    def __init__(self, course_key):
        self.course_key = course_key
        self.keys = set()
        self.titles = {}  # usage key text -> display name, in the order the course got them
        self.get_items_calls = 0

    def has_item(self, usage_key):
        return str(usage_key) in self.keys

    def add(self, usage_key, title=""):
        self.keys.add(str(usage_key))
        self.titles[str(usage_key)] = title

    def get_items(self, course_key, qualifiers=None, include_orphans=True, **kwargs):
        assert course_key == self.course_key and qualifiers is None and not kwargs
        self.get_items_calls += 1
        return [types.SimpleNamespace(location=UsageKey.from_string(key), display_name=self.titles.get(key, ""))
                for key in dict.fromkeys([*self.titles, *sorted(self.keys)])]


@pytest.fixture
def course(openedx, monkeypatch):
    """The host with the progress block installed, a modulestore that knows what was imported,
    two webinars (one in an hour, one in a week) and an agreement."""
    store = ModulestoreStandIn(openedx.course_key)
    django_module = types.ModuleType("xmodule.modulestore.django")
    django_module.modulestore = lambda: store
    for name, module in {"xmodule": types.ModuleType("xmodule"),
                         "xmodule.modulestore": types.ModuleType("xmodule.modulestore"),
                         "xmodule.modulestore.django": django_module}.items():
        monkeypatch.setitem(sys.modules, name, module)
    original = openedx.import_olx

    def import_olx(xml):
        key = original(xml)
        store.add(key, etree.fromstring(xml).get("display_name") or "")
        return key

    openedx.import_olx = import_olx
    openedx.structure = CourseStructure()
    api = types.ModuleType("openedx.core.djangoapps.content.block_structure.api")
    api.get_course_in_cache = lambda course_key: openedx.structure
    for name in ("openedx", "openedx.core", "openedx.core.djangoapps", "openedx.core.djangoapps.content",
                 "openedx.core.djangoapps.content.block_structure"):
        monkeypatch.setitem(sys.modules, name, types.ModuleType(name))
    monkeypatch.setitem(sys.modules, api.__name__, api)
    sys.modules["completion.models"].BlockCompletion = CompletionTable(openedx)
    openedx.store = store
    enrol_people_and_give_staff_their_role(openedx, monkeypatch)
    openedx.w1 = openedx.import_olx(_named(webinar(minutes=60, display_name="Webinar 1"), "w1"))
    openedx.w2 = openedx.import_olx(_named(webinar(minutes=7 * 24 * 60, display_name="Webinar 2"), "w2"))
    openedx.agreement = openedx.import_olx(_named(AGREEMENT.format(weight="0"), "agreement"))
    staff = openedx.lms(openedx.person("instructor", "Joy Paone"), staff=True)
    for key in (openedx.w1, openedx.w2):
        staff.render(key)  # stores the session row, as publishing the course does
    return openedx


def enrol_people_and_give_staff_their_role(host, monkeypatch):
    """The LMS's enrolments and course roles (lms_tables.py): every account the test makes is
    enrolled (as a learner reaching a course is), and whoever opens a block as staff holds the
    course's staff role (`CourseAccessRole`)."""
    lms_tables.install(host, monkeypatch)
    make_person, open_as = host.person, host.lms

    def person(username, *args, **kwargs):
        found = make_person(username, *args, **kwargs)
        host.enrolments.setdefault(found.user_id, True)
        host.profile_names.setdefault(found.user_id, found.full_name)
        return found

    def lms(person, staff=False):
        if staff:
            host.roles.add(("staff", str(host.course_key), person.user_id))
        return open_as(person, staff=staff)

    host.person, host.lms = person, lms


class CompletionTable:
    """edx-completion's `BlockCompletion` model as the progress view reads it: one filter over a
    page of learners and blocks (rows carry `block_key`, `user_id`, `completion`)."""

    def __init__(self, host):
        self.host = host
        self.objects = self

    def submit_completion(self, user, block_key, completion):
        self.host.completions[(user.id, str(block_key))] = completion

    def filter(self, context_key, block_key__in, user_id__in):
        wanted = {str(key) for key in block_key__in}
        return [types.SimpleNamespace(block_key=key, user_id=user_id, completion=value)
                for (user_id, key), value in self.host.completions.items()
                if key in wanted and user_id in set(user_id__in)]


class CourseStructure:
    """The cached course block structure (`get_course_in_cache`): children and completion modes."""

    def __init__(self):
        self.children, self.fields = {}, {}

    def add(self, parent, *children, mode="completable", **fields):
        """Children under `parent`, with their `completion_mode` and other collected fields
        (`has_score`, `weight`)."""
        self.children.setdefault(parent, [])
        for child in children:
            self.children[parent].append(child)
            self.fields[child] = {"completion_mode": mode, **fields}

    def get_children(self, key):
        return self.children.get(key, [])

    def get_xblock_field(self, key, name):
        return self.fields.get(key, {}).get(name)


