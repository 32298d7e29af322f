"""Demo-only models (recorded completion, sent mail) live in their own app, never in the LMS."""
import django
from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo host's Django app (its models, migrations and SQLite tuning)."""

    name = "blended_xblocks.demo"
    label = "blended_xblocks_demo"
    verbose_name = "Blended XBlocks demo"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        if django.VERSION < (5, 1):  # Django 5.1+ reads the same from the database OPTIONS (settings.py)
            from django.db.backends.signals import connection_created

            from blended_xblocks.demo.sqlite import wait_for_writers

            connection_created.connect(wait_for_writers, dispatch_uid="blended_demo_sqlite")
