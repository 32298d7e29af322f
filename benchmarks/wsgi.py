"""The demo as `bench_learner_views_http` serves it with gunicorn: on the benchmark's test database
(`BLENDED_BENCH_DATABASE`, created by `python -m benchmarks`), with the benchmark's one-block scenarios."""
import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "blended_xblocks.demo.settings")

from django.conf import settings  # noqa: E402

settings.DATABASES["default"]["NAME"] = os.environ["BLENDED_BENCH_DATABASE"]

from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()

from benchmarks.bench_learner_views import _load_scenarios  # noqa: E402

_load_scenarios()
