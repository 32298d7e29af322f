"""The Django app that holds the blocks' models, registered in the LMS and Studio as a plugin."""
from django.apps import AppConfig


class BlendedXBlocksConfig(AppConfig):
    """Plugin app: edx-platform reads `plugin_app` to install it in both the LMS and Studio."""

    name = "blended_xblocks"
    label = "blended_xblocks"
    verbose_name = "Blended XBlocks"
    default_auto_field = "django.db.models.BigAutoField"

    plugin_app = {
        # Our own views (streamed staff downloads) under /blended/ (edx-django-utils plugin URLs).
        "url_config": {
            "lms.djangoapp": {"namespace": "blended_xblocks", "app_name": "blended_xblocks",
                              "regex": r"^blended/", "relative_path": "urls"},
            "cms.djangoapp": {"namespace": "blended_xblocks", "app_name": "blended_xblocks",
                              "regex": r"^blended/", "relative_path": "urls"},
        },
        "settings_config": {
            "lms.djangoapp": {"common": {"relative_path": "settings"}},
            "cms.djangoapp": {"common": {"relative_path": "settings"}},
        },
        "signals_config": {
            # Studio publishes (and imports) courses: the published webinars' session rows follow.
            "cms.djangoapp": {
                "relative_path": "receivers",
                "receivers": [
                    {
                        "receiver_func_name": "refresh_published_sessions",
                        "signal_path": "xmodule.modulestore.django.COURSE_PUBLISHED",
                        "dispatch_uid": "blended_xblocks.receivers.refresh_published_sessions",
                    },
                ],
            },
            "lms.djangoapp": {
                "relative_path": "platform.retirement",
                "receivers": [
                    {
                        "receiver_func_name": "retire_learner",
                        "signal_path": "openedx.core.djangoapps.user_api.accounts.signals.USER_RETIRE_LMS_MISC",
                    },
                ],
            },
        },
    }

    def ready(self):
        """Every block's `api.py` is imported here, in every process (LMS, Studio, workers, management
        commands, the demo): importing it registers the block's score source, retirement hook and
        downloads with the layers below, which import no block (docs/decisions/0010-layers.md).

        The programme's certificates follow our blocks' outcome changes (progress/receivers.py),
        connected here, not through `signals_config`: the signal is ours, sent in the LMS, in
        workers and in the demo alike."""
        from blended_xblocks.application import api as _application  # noqa: F401
        from blended_xblocks.core.outcomes import outcome_changed
        from blended_xblocks.experience_sharing import api as _experience_sharing  # noqa: F401
        from blended_xblocks.group_assignment import api as _group_assignment  # noqa: F401
        from blended_xblocks.progress import api as progress_api
        from blended_xblocks.supervisor_agreement import api as _supervisor_agreement  # noqa: F401
        from blended_xblocks.webinar import api as _webinar  # noqa: F401

        outcome_changed.connect(progress_api.award_certificates, dispatch_uid="blended_xblocks.progress.award_certificates")
