"""Demo-only models (recorded completion, sent mail) live in their own app, never in the LMS."""
from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "blended_xblocks.demo"
    label = "blended_xblocks_demo"
    verbose_name = "Blended XBlocks demo"
    default_auto_field = "django.db.models.BigAutoField"
