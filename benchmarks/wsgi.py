"""The demo as `bench_learner_views_http` serves it with gunicorn: on the benchmark's test database
(`BLENDED_BENCH_DATABASE`, created by `python -m benchmarks`), with the benchmark's one-block scenarios."""
import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "blended_xblocks.demo.settings")
os.environ["BLENDED_DEMO_DEBUG"] = "false"  # as the LMS runs: no query log (benchmarks/production.py)

from django.conf import settings  # noqa: E402

settings.DATABASES["default"]["NAME"] = os.environ["BLENDED_BENCH_DATABASE"]
# One connection kept across requests: a new MariaDB connection per request (the demo's
# conn_max_age=0) costs some 20 ms here, which would pad the bare page and flatter every ratio.
settings.DATABASES["default"]["CONN_MAX_AGE"] = None

from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()

from benchmarks.bench_learner_views import _load_scenarios  # noqa: E402

_load_scenarios()
