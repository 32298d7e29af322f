"""Celery tasks of the package, imported by the LMS workers' task autodiscovery (`<app>.tasks`).

Each task lives beside its block's rules; this module only makes the workers load them.
"""
from .group_assignment_scores import push_scores_task  # noqa: F401  (None where Celery is absent)
