"""Pages timed as the LMS serves them in production, not as a test or a developer's demo sees them.

`python -m benchmarks` runs in Django's test environment (a test database, mail kept in memory),
which also instruments every template rendering (the test client keeps a copy of each template's
context), and the demo runs with DEBUG on (every query logged with its timing). Neither happens in
the LMS, and both cost more the more templates and queries a page has: with them on, every block
would be measured with a tax the bare page pays less of.
"""
from contextlib import contextmanager

from django.template.base import Template

_RENDER = Template._render  # taken before the test environment instruments it (benchmarks/__main__.py)


@contextmanager
def as_in_production():
    from django.conf import settings

    saved = settings.DEBUG, Template._render
    settings.DEBUG, Template._render = False, _RENDER
    try:
        yield
    finally:
        settings.DEBUG, Template._render = saved
