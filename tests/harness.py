"""Drive blocks the way the demo workbench does (with its LMS-shaped services): OLX in, handler calls and
rendered views out."""
import json
import threading
import time
import uuid

from django.db import connection
from django.test import RequestFactory
from django.utils import translation
from webob import Request
from xblock.django.request import django_to_webob_request

from blended_xblocks.demo.runtime import DemoRuntime
from tests.results import Result


class Workbench:
    """One test's scenarios; every `load` gets fresh usage ids, so tests never share state."""

    def load(self, xml: str) -> str:
        runtime = DemoRuntime()
        runtime.id_generator.set_scenario(f"t{uuid.uuid4().hex[:12]}")
        return runtime.parse_xml_string(xml)

    def block(self, usage_id: str, student: str = "amina"):
        return DemoRuntime(student).get_block(usage_id)

    def call(self, usage_id, handler, data=None, *, student="amina", body=None, method="POST",
             content_type="application/json", query="", language="en", post=None, follow_downloads=True) -> Result:
        """Call a handler as `student`. `data` is sent as JSON; `body` as raw bytes; `post` as a form.

        A redirect to our streamed download view is followed, as a browser does (`follow_downloads`)."""
        if post is not None:
            request = Request.blank("/?" + query, POST=post)
        else:
            if body is None:
                body = b"" if data is None and method == "GET" else json.dumps(data if data is not None else {}).encode()
            request = Request.blank("/?" + query, method=method, body=body, content_type=content_type)
        return self.send(usage_id, handler, request, student=student, language=language,
                         follow_downloads=follow_downloads)

    def call_django(self, usage_id, handler, body: bytes, content_type: str, *, student="amina", method="POST",
                    query="", language="en", **meta) -> Result:
        """Call a handler with the request the LMS hands a block: Django parses the body (its own
        limits and errors apply), wrapped by XBlock's `django_to_webob_request`."""
        request = RequestFactory().generic(method, "/?" + query, data=body, content_type=content_type, **meta)
        return self.send(usage_id, handler, django_to_webob_request(request), student=student, language=language)

    def send(self, usage_id, handler, request, *, student="amina", language="en", follow_downloads=True) -> Result:
        block = self.block(usage_id, student)
        with translation.override(language):
            response = block.runtime.handle(block, handler, request)
        location = response.headers.get("Location", "")
        if follow_downloads and response.status_code == 302 and location.startswith("/blended/downloads/"):
            return download(location, student)
        return Result(response.status_code, response.body, dict(response.headers))

    def render(self, usage_id, student="amina", view="student_view", language="en") -> str:
        block = self.block(usage_id, student)
        with translation.override(language):
            return block.render(view, {}).body_html()


def download(location, student="amina") -> Result:
    """GET our download view (downloads.py) as `student` (signed in the demo's way, `?student=`),
    and read its streamed body: a ticket is only good for the user it was made for."""
    from django.test import Client

    response = Client().get(location, {"student": student} if student else {})
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return Result(response.status_code, body, dict(response.headers))


def race(calls, timeout=60):
    """Run the callables at the same moment, one thread each (each with its own database
    connection); their results in order, or the exception a call raised."""
    return timed_race(calls, timeout)[0]


def timed_race(calls, timeout=60):
    """`race`, and the seconds from the moment the callables are let go to the last one's end.

    Each thread opens its database connection before the start, as a server's worker has its
    connection before a request arrives: the race is between the requests, and the time is theirs
    (not the threads' start or the driver's connection set-up, a tenth of a second on MariaDB)."""
    moments = {}
    barrier = threading.Barrier(len(calls), action=lambda: moments.setdefault("start", time.perf_counter()))
    results = [None] * len(calls)

    def run(index, call):
        try:
            connection.ensure_connection()
            barrier.wait()
            results[index] = call()
        except Exception as error:  # noqa: BLE001 - handed to the test's assertions
            results[index] = error
        finally:
            ends[index] = time.perf_counter()
            connection.close()

    ends = [0.0] * len(calls)
    threads = [threading.Thread(target=run, args=(index, call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    return results, max(ends) - moments.get("start", max(ends))


def load_demo_scenarios() -> dict:
    """Every demo scenario loaded afresh into this test's database, as `make demo` loads them on
    its first page: {scenario id: workbench Scenario}. Call `forget_demo_scenarios()` after a test
    whose database is rolled back (the workbench keeps block state in it)."""
    from workbench import scenarios as workbench_scenarios
    from workbench.runtime import ID_MANAGER, WORKBENCH_KVS

    import blended_xblocks.demo.urls  # noqa: F401  (installs the demo's scenario loader and runtime)

    WORKBENCH_KVS.clear()
    ID_MANAGER.clear()
    forget_demo_scenarios()
    workbench_scenarios.get_scenarios()
    return workbench_scenarios.SCENARIOS


def forget_demo_scenarios():
    from workbench import scenarios as workbench_scenarios

    workbench_scenarios.SCENARIOS.clear()
    workbench_scenarios.get_scenarios.initialized = False
