"""Demo URLs: the workbench's (its scenario pages through `views.show_scenario`), our scenarios in place
of the SDK samples, and the outbox."""
from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt
from workbench import scenarios as workbench_scenarios
from workbench import views as workbench_views
from workbench.urls import urlpatterns as workbench_urlpatterns

from blended_xblocks.demo import runtime, views
from blended_xblocks.demo.scenarios import demo_scenarios
from blended_xblocks.demo.stages import seed_programme_stages
from blended_xblocks.receivers import WEBINAR, refresh_webinar_sessions

_load_sdk_scenarios = workbench_scenarios.init_scenarios


def init_scenarios():
    """The workbench loads scenarios lazily on first use; add ours when it does. Loading a scenario
    is the demo's "publish": its webinars' session rows are refreshed as `course_published` does in Studio.
    Then the IOM programme's learners are brought to their stages (stages.py; idempotent)."""
    _load_sdk_scenarios()
    for scenario_id, title, xml in demo_scenarios():
        workbench_scenarios.add_xml_scenario(scenario_id, title, xml)
        refresh_webinar_sessions(_blocks_of_type(workbench_scenarios.SCENARIOS[scenario_id].usage_id, WEBINAR))
    seed_programme_stages(workbench_scenarios.SCENARIOS)


def _blocks_of_type(usage_id, block_type):
    demo = runtime.DemoRuntime()
    pending = [usage_id]
    while pending:
        block = demo.get_block(pending.pop())
        if block.scope_ids.block_type == block_type:
            yield block
        pending.extend(getattr(block, "children", None) or [])


workbench_scenarios.init_scenarios = init_scenarios
runtime.install()


def _scenario_page(pattern):
    """The workbench's scenario page at the same address and name, through our view (Studio views for authors only)."""
    return re_path(pattern.pattern.regex.pattern, views.show_scenario, pattern.default_args, name=pattern.name)


urlpatterns = [
    path("outbox/", views.outbox, name="blended_demo_outbox"),
    # Mounted as the LMS mounts it through the plugin `url_config` (apps.py).
    path("blended/", include("blended_xblocks.urls", namespace="blended_xblocks")),
    # Like the LMS, third-party (no-login) handlers take no CSRF token: they carry their own secret.
    re_path(r"^unauth_handler/(?P<usage_id>[^/]+)/(?P<handler_slug>[^/]*)(?:/(?P<suffix>.*))?$",
            csrf_exempt(workbench_views.handler), {"authenticated": False}, name="unauth_handler"),
] + [_scenario_page(pattern) if getattr(pattern, "callback", None) is workbench_views.show_scenario else pattern
      for pattern in workbench_urlpatterns if getattr(pattern, "name", None) != "unauth_handler"]
