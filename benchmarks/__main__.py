"""Run every benchmarks/bench_*.py against a fresh test database and print the figures."""
import importlib
import os
import pkgutil
import sys
import time
import tracemalloc
from contextlib import contextmanager

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "blended_xblocks.demo.settings")

import django  # noqa: E402

from benchmarks import production  # noqa: E402, F401  (before the test environment instruments templates)

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402


def report(name, value, unit=""):
    print(f"{name:<60} {value:>12.3f} {unit}" if isinstance(value, float) else f"{name:<60} {value:>12} {unit}")
    sys.stdout.flush()


@contextmanager
def measure(name):
    """Time, queries and peak Python memory of the block of code, reported under `name`."""
    connection.queries_log.clear()  # a full log (9,000 entries) would make every later count 0
    tracemalloc.start()
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        yield
        elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    report(f"{name}: time", elapsed * 1000, "ms")
    report(f"{name}: queries", len(queries))
    report(f"{name}: peak memory", peak / 1024, "KiB")


def main(selected=()):
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        import benchmarks

        for module in pkgutil.iter_modules(benchmarks.__path__):
            if module.name.startswith("bench_") and (not selected or module.name in selected):
                call_command("flush", interactive=False, verbosity=0)  # each benchmark starts empty
                print(f"== {module.name} ({connection.vendor})")
                importlib.import_module(f"benchmarks.{module.name}").run(report, measure)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main(sys.argv[1:])
