"""Demo URLs: the workbench's, our scenarios in place of the SDK samples, and the outbox."""
from django.urls import path
from workbench import scenarios as workbench_scenarios
from workbench.urls import urlpatterns as workbench_urlpatterns

from . import views
from .scenarios import demo_scenarios

_load_sdk_scenarios = workbench_scenarios.init_scenarios


def init_scenarios():
    """The workbench loads scenarios lazily on first use; add ours when it does."""
    _load_sdk_scenarios()
    for scenario_id, title, xml in demo_scenarios():
        workbench_scenarios.add_xml_scenario(scenario_id, title, xml)


workbench_scenarios.init_scenarios = init_scenarios

urlpatterns = [
    path("outbox/", views.outbox, name="blended_demo_outbox"),
] + workbench_urlpatterns
