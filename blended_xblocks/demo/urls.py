"""Demo URLs: the workbench's, our scenarios in place of the SDK samples, and the outbox."""
from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt
from workbench import scenarios as workbench_scenarios
from workbench import views as workbench_views
from workbench.urls import urlpatterns as workbench_urlpatterns

from . import runtime, views
from .scenarios import demo_scenarios

_load_sdk_scenarios = workbench_scenarios.init_scenarios


def init_scenarios():
    """The workbench loads scenarios lazily on first use; add ours when it does."""
    _load_sdk_scenarios()
    for scenario_id, title, xml in demo_scenarios():
        workbench_scenarios.add_xml_scenario(scenario_id, title, xml)


workbench_scenarios.init_scenarios = init_scenarios
runtime.install()

urlpatterns = [
    path("outbox/", views.outbox, name="blended_demo_outbox"),
    # Mounted as the LMS mounts it through the plugin `url_config` (apps.py).
    path("blended/", include("blended_xblocks.urls", namespace="blended_xblocks")),
    # Like the LMS, third-party (no-login) handlers take no CSRF token: they carry their own secret.
    re_path(r"^unauth_handler/(?P<usage_id>[^/]+)/(?P<handler_slug>[^/]*)(?:/(?P<suffix>.*))?$",
            csrf_exempt(workbench_views.handler), {"authenticated": False}, name="unauth_handler"),
] + [pattern for pattern in workbench_urlpatterns if getattr(pattern, "name", None) != "unauth_handler"]
