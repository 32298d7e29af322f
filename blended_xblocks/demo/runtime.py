"""The workbench runtime with LMS-shaped services: the demo runs the adapter code the LMS runs.

The XBlock SDK's `WorkbenchRuntime` gives blocks a user service without Open edX's attributes and
logs published events. `DemoRuntime` gives each request the services the LMS would give that
learner (`services.demo_services`), sends published events to the `publish` service as the
platform's runtime does, and makes third-party (no-login) handler URLs absolute, as the LMS does.
The demo's views build it in place of `WorkbenchRuntime` (see `install`).
"""
from django.conf import settings
from workbench import views as workbench_views
from workbench.runtime import WorkbenchRuntime

from .services import demo_services


class DemoRuntime(WorkbenchRuntime):
    def __init__(self, user_id=None):
        super().__init__(user_id)
        self._services.update(demo_services(user_id))

    def publish(self, block, event_type, event_data):
        publisher = self._services.get("publish")
        if publisher is not None:
            publisher.publish(block, event_type, event_data)

    def handler_url(self, block, handler_name, suffix="", query="", thirdparty=False):
        url = super().handler_url(block, handler_name, suffix=suffix, query=query, thirdparty=thirdparty)
        return settings.BLENDED_DEMO_BASE_URL + url if thirdparty else url


def install():
    """Make the workbench's pages and handlers build a `DemoRuntime` for each request."""
    workbench_views.WorkbenchRuntime = DemoRuntime
