"""The workbench runtime with LMS-shaped services: the demo runs the adapter code the LMS runs.

The XBlock SDK's `WorkbenchRuntime` gives blocks a user service without Open edX's attributes and
logs published events. `DemoRuntime` gives each request the services the LMS would give that
learner (`services.demo_services`), sends published events to the `publish` service as the
platform's runtime does, and makes third-party (no-login) handler URLs absolute, as the LMS does.
The demo's views build it in place of `WorkbenchRuntime` (see `install`).
"""
import json
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Q
from workbench import scenarios as workbench_scenarios
from workbench import views as workbench_views
from workbench.models import XBlockState, shorten_scope_name
from workbench.runtime import WorkbenchDjangoKeyValueStore, WorkbenchRuntime
from xblock.core import XBlockAside
from xblock.fields import Scope
from xblock.runtime import KvsFieldData

from blended_xblocks.demo import course
from blended_xblocks.demo.services import demo_services
from blended_xblocks.platform.adapter import CourseBlock


class RequestKeyValueStore(WorkbenchDjangoKeyValueStore):
    """The workbench's store, reading each (scope, block, user) row once per request.

    The workbench fetches (get-or-create) a row for every read of every field, two queries per field;
    the LMS reads a block's fields in bulk (the modulestore, `FieldDataCache`). A block reading twenty
    fields would otherwise pay forty queries the LMS never makes, and every figure measured in the
    demo would be the workbench's. Writes go through the same row object, so a request reads what it
    wrote; a new request (a new runtime) reads the database again. The first read of a scenario reads
    all its rows for this user in one query (`_in_scenario`).
    """

    def __init__(self, user_id=None):
        super().__init__()
        self._rows = {}
        self._user_id = user_id
        self._scenarios = {}

    def _row(self, key):
        identity = (key.scope, key.block_scope_id, key.user_id)
        row = self._rows.get(identity)
        if row is None:
            row = self._in_scenario(key) or XBlockState.get_for_key(key)
            row.fields = json.loads(row.state)
            self._rows[identity] = row
        return row

    def _in_scenario(self, key):
        """The row, from one read of every row of the key's scenario (its blocks' settings and
        content, and this user's state), as the LMS reads a unit's field data in bulk."""
        scope = key.scope.attr_name if key.scope in (Scope.parent, Scope.children) else key.scope.block.attr_name
        scope = shorten_scope_name(scope)
        if scope in ("type", "all") or key.user_id not in (None, self._user_id):
            return None
        scenario = key.block_scope_id.split(".", 1)[0]
        if scenario not in self._scenarios:
            rows = XBlockState.objects.filter(Q(user_id=None) | Q(user_id=self._user_id), scenario=scenario)
            found = self._scenarios[scenario] = {}
            for row in rows.order_by("-pk"):  # the first row wins, as get_or_create's get
                found[(row.scope, row.scope_id, row.user_id)] = row
        return self._scenarios[scenario].get((scope, key.block_scope_id, key.user_id))

    def get(self, key):
        return self._row(key).fields[key.field_name]

    def has(self, key):
        return key.field_name in self._row(key).fields

    def set(self, key, value):
        row = self._row(key)
        row.fields[key.field_name] = value
        row.state = self._to_json_str(row.fields)
        row.save()

    def delete(self, key):
        row = self._row(key)
        del row.fields[key.field_name]
        row.state = self._to_json_str(row.fields)
        row.save()


class DemoRuntime(WorkbenchRuntime):
    """The SDK workbench runtime with LMS-shaped services, so blocks see what the LMS gives them."""

    def __init__(self, user_id=None):
        super().__init__(user_id)
        self._services["field-data"] = KvsFieldData(RequestKeyValueStore(user_id))
        self._services.update(demo_services(user_id))

    def applicable_aside_types(self, block):
        """The installed asides, found once per process: XBlock's runtime scans every installed
        package's entry points for each block it renders (some 20 ms a block here), a cost the LMS,
        which reads its configured asides, does not pay, and which would make a page of twenty
        blocks in the demo twenty times a bare page's for reasons of the SDK alone."""
        if DemoRuntime._aside_types is None:
            DemoRuntime._aside_types = [aside_type for aside_type, _ in XBlockAside.load_classes()]
        return list(DemoRuntime._aside_types)

    _aside_types = None

    def publish(self, block, event_type, event_data):
        publisher = self._services.get("publish")
        if publisher is not None:
            publisher.publish(block, event_type, event_data)

    def _usage_id_from_node(self, node, parent_id):
        """Parse as the workbench does, and keep what the LMS knows of each block (course.py)."""
        tag, url_name = node.tag, node.get("url_name") or ""  # a block may take url_name off its node
        display_name = node.get("display_name") or ""
        usage_id = super()._usage_id_from_node(node, parent_id)
        course.record(usage_id, tag, url_name, parent_id, display_name)
        return usage_id

    def render_children(self, block, view_name=None, context=None):
        """Load each child as the LMS's units do (`get_children`): the child knows the parent that
        loaded it, and the blocks of one page can read their rows together (`page_usage_keys`).
        A learner's unit marks complete the plain content blocks they see that are not complete
        yet (the LMS's vertical asks `blocks_to_mark_complete_on_view` once, and its page posts
        `publish_completion` for those once seen; the demo records them when it shows them)."""
        children = [block.get_child(child_id) for child_id in block.children]
        unseen = self._not_complete_yet(children, view_name or self._view_name)
        fragments = [self.render_child(child, view_name, context) for child in children]
        self._mark_complete(unseen)
        return fragments

    def render(self, block, view_name, context=None):
        """A block shown by itself, not in a unit (the LMS's `render_xblock`), is marked complete the
        same way: once, if it can be and is not yet."""
        unseen = self._not_complete_yet([block], view_name) if self._view_name is None else []
        fragment = super().render(block, view_name, context)
        self._mark_complete(unseen)
        return fragment

    def _not_complete_yet(self, blocks, view_name) -> list:
        completion = self._services.get("completion")  # none for a visitor who is not signed in
        if view_name != "student_view" or completion is None:
            return []
        return completion.blocks_to_mark_complete_on_view(blocks)

    def _mark_complete(self, blocks):
        for block in blocks:
            self._services["completion"].submit_completion(block.scope_ids.usage_id, 1.0)

    # What the LMS knows from a course key and the modulestore (see platform.OpenEdxPlatform).
    def usage_id_for(self, block, block_type, url_name):
        return course.usage_id_for(block.scope_ids.usage_id, block_type, url_name)

    def block_title(self, usage_id):
        return course.title_of(usage_id)

    def course_blocks(self, block):
        """What Studio's modulestore lists for an author: every named block of the demo course."""
        return [CourseBlock(*entry) for entry in course.blocks_in_course()]

    def block_url(self, usage_id):
        """The page of the scenario holding the block (the LMS's jump_to link). The scenarios are
        looked up once per request: a programme page links every requirement."""
        if getattr(self, "_scenario_names", None) is None:
            self._scenario_names = {}
            for name, found in workbench_scenarios.SCENARIOS.items():
                self._scenario_names.setdefault(course.scenario_of(found.usage_id), name)
            query = urlencode({"student": self.user_id}) if self.user_id not in (None, "") else ""
            self._scenario_query = f"?{query}" if query else ""
        name = self._scenario_names.get(course.scenario_of(usage_id))
        if name is None:
            return None
        return f"/scenario/{name}/{self._scenario_query}"

    def handler_url(self, block, handler_name, suffix="", query="", thirdparty=False):
        url = super().handler_url(block, handler_name, suffix=suffix, query=query, thirdparty=thirdparty)
        return settings.BLENDED_DEMO_BASE_URL + url if thirdparty else url


def install():
    """Make the workbench's pages and handlers build a `DemoRuntime` for each request."""
    workbench_views.WorkbenchRuntime = DemoRuntime
    workbench_scenarios.WorkbenchRuntime = DemoRuntime
