"""Celery tasks of the package, imported by the LMS workers' task autodiscovery (`<app>.tasks`).

Each task lives beside the rules it runs; this module only makes the workers load them.
"""
from blended_xblocks.platform.gradebook import push_scores_task  # noqa: F401  (None where Celery is absent)
