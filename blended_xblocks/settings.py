"""Settings the plugin adds to the LMS and Studio (edx-platform calls `plugin_settings`)."""


def plugin_settings(settings):
    """Keep operator overrides; only fill what is missing."""
    settings.XBLOCK_SETTINGS = getattr(settings, "XBLOCK_SETTINGS", {}) or {}
    settings.XBLOCK_SETTINGS.setdefault("BlendedXBlocks", {})
