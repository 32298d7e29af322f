"""An Open edX host for tests: the blocks held exactly where the platform touches them.

Written from the public source of openedx-platform, XBlock and edx-submissions (none of it
copied): real opaque keys, XBlock's own `Runtime` (which refuses undeclared services), the
platform's mixin mixed in after the block class, the modulestore's re-assignment of `location`
on every load, and the service set of each place a block runs (see `places.py`). Scores are read
back with the LMS grades rule (`gradebook_score`).
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from itertools import count

from django.contrib.auth import get_user_model
from lxml import etree
from opaque_keys.edx.keys import UsageKey
from opaque_keys.edx.locator import BlockUsageLocator, CourseLocator
from submissions import api as submissions_api
from webob import Request
from xblock.fields import ScopeIds
from xblock.runtime import DictKeyValueStore, IdGenerator, IdReader, KvsFieldData, Runtime

from tests.openedx.services import Person, Team
from tests.results import Result

COURSE = CourseLocator("IOM", "REINT", "2022")
LMS_ROOT = "https://lms.example.org"


class XModuleStandIn:
    """`xmodule/x_module.py` XModuleMixin: the names the platform adds after the block class.

    `location` is the usage key (its setter accepts only a `UsageKey`), `url_name` is the usage
    key's block id, `category` the block type, `course_id` the context key. A block that shadows
    `usage_key`, `location` or `url_name` with text breaks here as it breaks in the LMS.
    """

    @property
    def location(self):
        return self.usage_key

    @location.setter
    def location(self, value):
        assert isinstance(value, UsageKey), f"location must be a UsageKey, not {value!r}"
        self.scope_ids = self.scope_ids._replace(def_id=value, usage_id=value)

    @property
    def url_name(self):
        return self.usage_key.block_id

    @property
    def category(self):
        return self.scope_ids.block_type

    @property
    def course_id(self):
        return self.context_key


class CourseKeys(IdReader, IdGenerator):
    """Ids as the XML import and the modulestore make them: a `BlockUsageLocator` in the course,
    named by the OLX `url_name` (`xmodule/modulestore/xml.py`), and the usage key doubles as the
    definition id (old-mongo and import style)."""

    def __init__(self, course_key):
        self.course_key = course_key
        self.unnamed = count(1)

    def create_definition(self, block_type, slug=None):
        return BlockUsageLocator(self.course_key, block_type, slug or f"{block_type}_{next(self.unnamed):04d}")

    def create_usage(self, def_id):
        return def_id

    def get_definition_id(self, usage_id):
        return usage_id

    def get_block_type(self, def_id):
        return def_id.block_type

    def create_aside(self, definition_id, usage_id, aside_type):
        raise NotImplementedError("no asides in the host")

    def get_aside_type_from_definition(self, aside_id):
        raise NotImplementedError

    def get_aside_type_from_usage(self, aside_id):
        raise NotImplementedError

    def get_usage_id_from_aside(self, aside_id):
        raise NotImplementedError

    def get_definition_id_from_aside(self, aside_id):
        raise NotImplementedError


class HostRuntime(Runtime):
    """`xmodule/x_module.py` ModuleStoreRuntime as the LMS or Studio prepares it for one request.

    XBlock's `Runtime.service` checks the block's declarations (NoSuchServiceError otherwise);
    a callable service is called with the block (how the platform hands out the i18n service);
    `publish` goes to the `publish` service, and does nothing where there is none (Studio).
    """

    def __init__(self, host, services: dict, *, author_mode=False, handler_base="/courses"):
        services = {"field-data": host.field_data, **services}
        super().__init__(host.keys, host.keys, mixins=(XModuleStandIn,), services=services)
        self.is_author_mode = author_mode
        self.handler_base = handler_base

    def service(self, block, service_name):
        service = super().service(block, service_name)
        return service(block) if isinstance(service, type) else service

    def publish(self, block, event_type, event_data):
        publisher = self._services.get("publish")
        if publisher is not None:
            publisher.publish(block, event_type, event_data)

    def handler_url(self, block, handler_name, suffix="", query="", thirdparty=False):
        usage = block.scope_ids.usage_id
        kind = "handler_noauth" if thirdparty else "handler"
        url = f"{self.handler_base}/{usage.course_key}/xblock/{usage}/{kind}/{handler_name}"
        url = f"{url}/{suffix}" if suffix else url
        url = LMS_ROOT + url if thirdparty and self.handler_base == "/courses" else url
        return f"{url}?{query}" if query else url

    def local_resource_url(self, block, uri):
        return f"/xblock/resource/{block.scope_ids.block_type}/{uri}"

    def resource_url(self, resource):
        raise NotImplementedError("the platform does not serve XBlock runtime resources")


@dataclass(frozen=True)
class GradebookScore:
    """What the learner's progress page shows for one block, and where the LMS found it."""

    earned: float
    possible: float
    source: str  # "submissions", "student_module" or "block"


class OpenEdxHost:
    """One course in an Open edX instance: its content, accounts, teams and learner records.

    `import_olx` puts a block in the course; `lms(person)`, `studio_preview(person)` and the other
    places (places.py) load it the way each part of the platform does.
    """

    def __init__(self, course_key=COURSE):
        self.course_key = course_key
        self.keys = CourseKeys(course_key)
        self.field_data = KvsFieldData(DictKeyValueStore())
        self.people: dict[str, Person] = {}
        self.teams: list[Team] = []
        self.completions: dict = {}  # BlockCompletion: (user_id, block key text) -> completion
        self.student_module: dict = {}  # StudentModule grades: (user_id, block key text) -> (value, max)

    # Content -----------------------------------------------------------------------------------
    def import_olx(self, xml: str) -> UsageKey:
        """`xmodule/modulestore/xml.py`: the usage key is named by `url_name` (a hash of the OLX
        when there is none), which stays on the element the block parses."""
        node = etree.fromstring(xml)
        node.attrib.pop("xblock-family", None)
        if not node.get("url_name"):
            node.set("url_name", f"{node.tag}_{hashlib.sha1(xml.encode()).hexdigest()[:12]}")
        usage_key = self.keys.create_usage(self.keys.create_definition(node.tag, node.get("url_name")))
        runtime = HostRuntime(self, {})
        block_class = runtime.mixologist.mix(runtime.load_block_type(node.tag))
        block = block_class.parse_xml(node, runtime, ScopeIds(None, node.tag, usage_key, usage_key))
        block.save()
        return usage_key

    def export_olx(self, usage_key) -> str:
        """`ModuleStoreRuntime.add_block_as_child_node`: the element is named by `category` and
        carries `url_name`, then the block writes its own fields."""
        block = self.load(usage_key, HostRuntime(self, {}), user_id=None)
        node = etree.Element(block.category)
        node.set("url_name", block.url_name)
        block.add_xml_to_node(node)
        return etree.tostring(node, encoding="unicode")

    def load(self, usage_key, runtime: HostRuntime, user_id):
        """`modulestore().get_item` then binding: a fresh block whose `location` the store sets."""
        block = runtime.construct_xblock(usage_key.block_type, ScopeIds(user_id, usage_key.block_type, usage_key, usage_key))
        block.location = usage_key
        return block

    # Accounts and teams ------------------------------------------------------------------------
    def person(self, username: str, full_name: str = "", time_zone: str = "Africa/Dakar") -> Person:
        """A platform account (an `auth.User` row, so model-level APIs find it by id)."""
        if username not in self.people:
            email = f"{username}@learners.example.org"
            user, _ = get_user_model().objects.get_or_create(username=username, defaults={"email": email})
            self.people[username] = Person(user_id=user.id, username=username,
                                           full_name=full_name or username.title(), email=email, time_zone=time_zone)
        return self.people[username]

    def add_team(self, topic_id: str, name: str, members) -> Team:
        team = Team(team_id=f"team-{len(self.teams) + 1}", name=name, topic_id=topic_id, members=list(members))
        self.teams.append(team)
        return team

    # Places (places.py) -------------------------------------------------------------------------
    def lms(self, person: Person, staff=False):
        from tests.openedx import places
        return places.lms(self, person, staff=staff)

    def lms_noauth(self, person: Person | None = None):
        from tests.openedx import places
        return places.lms_noauth(self, person)

    def lms_draft_preview(self, person: Person):
        from tests.openedx import places
        return places.lms_draft_preview(self, person)

    def studio_preview(self, person: Person, can_write=True):
        from tests.openedx import places
        return places.studio_preview(self, person, can_write=can_write)

    def studio_editor(self, person: Person, can_write=True):
        from tests.openedx import places
        return places.studio_editor(self, person, can_write=can_write)

    # Grades ------------------------------------------------------------------------------------
    def gradebook_score(self, usage_key, person: Person) -> GradebookScore | None:
        """The learner's score for one block by the LMS grades rule (`lms/djangoapps/grades/scores.py`):
        edx-submissions first (taken as already weighted), then the learner's `grade` event
        (scaled to the block's `weight`), then the block itself (nothing earned of `weight`, or of
        `max_score()` without a weight). None when the block has nothing to score."""
        block = self.load(usage_key, HostRuntime(self, {}), user_id=None)
        weight = getattr(block, "weight", None)
        summary = submissions_api.get_scores(str(self.course_key), person.anonymous_id(self.course_key)).get(str(usage_key))
        if summary:
            return GradebookScore(summary["points_earned"], summary["points_possible"], "submissions")
        module = self.student_module.get((person.user_id, str(usage_key)))
        if module and module[1] is not None:
            earned, possible = module
            if weight is not None and possible:
                earned, possible = earned * weight / possible, weight
            return GradebookScore(earned, possible, "student_module")
        possible = weight if weight is not None else (block.max_score() if getattr(block, "has_score", False) else None)
        return None if possible is None else GradebookScore(0.0, possible, "block")


def request(data=None, *, body=None, method="POST", query="", post=None, content_type="application/json") -> Request:
    """A webob request as the platform hands it to `runtime.handle` (JSON unless `post` is a form)."""
    if post is not None:
        return Request.blank("/?" + query, POST=post)
    if body is None:
        body = b"" if data is None and method == "GET" else json.dumps({} if data is None else data).encode()
    return Request.blank("/?" + query, method=method, body=body, content_type=content_type)


def call_handler(block, handler: str, req: Request) -> Result:
    response = block.runtime.handle(block, handler, req)
    return Result(response.status_code, response.body, dict(response.headers))
