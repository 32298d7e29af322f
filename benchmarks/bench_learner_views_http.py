"""Each block's learner view against the bare `html_demo` page over HTTP, as issue 13 measured them.

Issue 13's table came from the workbench served by gunicorn: a browser's request goes through a
socket, the WSGI server, Django's middleware and the page, and the ratio to the bare page in the same
run is what a learner waits for beside what any block costs. `bench_learner_views` measures the same
pages in-process (Django's test client: no socket, no server), the stricter reading of the two; both
are printed. Here gunicorn (one sync worker, as a small LMS host runs) serves the demo on the
benchmark's test database (`benchmarks/wsgi.py`), and each page is fetched over a new connection,
RENDERS times after warm-ups, in turn with the bare page so that a busy machine slows them alike.

Run: `.venv/bin/python -m benchmarks bench_learner_views_http`.
"""
import http.client
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.db import connection

from benchmarks.bench_learner_views import BARE, BLOCKS, LEARNER, MANY_BLOCKS, _medians_ms

ROOT = Path(__file__).resolve().parent.parent


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(port, scenario):
    server = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        server.request("GET", f"/scenario/{scenario}/?student={LEARNER}")
        response = server.getresponse()
        body = response.read()
    finally:
        server.close()
    assert response.status == 200, (scenario, response.status, body[:300])
    return body


def _serve(port, log):
    """The demo served by gunicorn on this run's test database (its messages in `log`)."""
    environment = dict(os.environ, BLENDED_BENCH_DATABASE=str(connection.settings_dict["NAME"]),
                       PYTHONPATH=os.pathsep.join(filter(None, (str(ROOT), os.environ.get("PYTHONPATH")))))
    return subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", "1", "--bind", f"127.0.0.1:{port}",
         "--log-level", "warning", "benchmarks.wsgi:application"],
        cwd=ROOT, env=environment, stdout=log, stderr=log)


def _wait_until_served(server, port, log):
    """Return once the bare page answers; fail with the server's own words if it never does."""
    deadline = time.monotonic() + 60
    while True:
        try:
            _get(port, BARE)
            return
        except (OSError, http.client.HTTPException):
            if server.poll() is None and time.monotonic() < deadline:
                time.sleep(0.2)
                continue
            log.seek(0)
            raise RuntimeError("gunicorn did not serve the demo:\n" + log.read().decode(errors="replace")[-2000:]) \
                from None


def _stop(server):
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def run(report, measure):
    port = _free_port()
    with tempfile.TemporaryFile() as log:
        server = _serve(port, log)
        try:
            _wait_until_served(server, port, log)
            _measure(report, port)
        finally:  # whatever failed, no server outlives the run (it holds the test database)
            _stop(server)


def _measure(report, port):
    bare_alone = _medians_ms(lambda: _get(port, BARE))[0]
    report("bare html_demo page over HTTP: median", bare_alone, "ms")
    for label, _, tag, _ in BLOCKS:
        bare, render = _medians_ms(lambda: _get(port, BARE), lambda s=f"bench.{tag}": _get(port, s))
        report(f"{label}: over HTTP (bare page beside it: {bare:.1f} ms)", render, "ms")
        report(f"{label}: over HTTP × bare page (target ≤ 1.2)", render / bare, "×")
        report(f"{label}: over HTTP, own cost (minus the bare page)", render - bare, "ms")
    for label, scenario in MANY_BLOCKS:
        bare, webinar, render = _medians_ms(lambda: _get(port, BARE), lambda: _get(port, "bench.blended_webinar"),
                                            lambda s=scenario: _get(port, s))
        report(f"{label}: over HTTP", render, "ms")
        report(f"{label}: over HTTP ÷ one webinar's page beside it (target < 10)", render / webinar, "×")
        # Not divided by one webinar's own cost: that is now within the runs' noise of zero.
        report(f"{label}: over HTTP, own cost (minus the bare page; one webinar's: {webinar - bare:.1f} ms)",
               render - bare, "ms")
