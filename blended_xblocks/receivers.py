"""Receivers of platform signals (wired through the plugin app's `signals_config`, apps.py).

`course_published` (Studio, on every publish or import) refreshes the session row of each published
webinar of the course, and the published copies other blocks keep (an assignment's deadline, a
programme's requirements). Experience sharing, reports, the certificate gate and the awards read
them; without this they followed the author's changes only when a learner next opened the block
(and a programme nobody had opened awarded nothing). Where there is no modulestore (the
demo, tests, a worker without edx-platform) the receiver does nothing; the demo calls
`refresh_webinar_sessions` itself when it loads its scenarios.
"""
from __future__ import annotations

import logging

log = logging.getLogger(__name__)

WEBINAR = "blended_webinar"
# Blocks whose `publish_settings()` mirrors what their outcomes or programme depend on.
WITH_PUBLISHED_SETTINGS = ("blended_group_assignment", "blended_experience_sharing", "blended_progress")


def refresh_published_sessions(sender=None, course_key=None, **kwargs):  # pylint: disable=unused-argument
    """`xmodule.modulestore.django.COURSE_PUBLISHED`: refresh the course's published webinar sessions."""
    store = _modulestore()
    if store is None or course_key is None:
        return 0
    refreshed = refresh_webinar_sessions(published_blocks(store, course_key, WEBINAR))
    for category in WITH_PUBLISHED_SETTINGS:
        refresh_published_settings(published_blocks(store, course_key, category))
    return refreshed


def published_blocks(store, course_key, category: str) -> list:
    """The course's published blocks of one type (the LMS's view of the course, never a draft)."""
    from xmodule.modulestore import ModuleStoreEnum

    with store.branch_setting(ModuleStoreEnum.Branch.published_only, course_key):
        return list(store.get_items(course_key, qualifiers={"category": category}))


def refresh_webinar_sessions(blocks) -> int:
    """Mirror each webinar's published fields into its session row (seats freed by a larger capacity
    go to the waitlist, who are mailed). One broken block does not stop the others."""
    refreshed = 0
    for block in blocks:
        try:
            block.session()
            refreshed += 1
        except Exception:  # noqa: BLE001 - a publish must never fail because of one session
            log.exception("webinar: could not refresh the session of %s", getattr(block, "scope_ids", block))
    return refreshed


def refresh_published_settings(blocks) -> int:
    """Mirror each block's outcome-deciding settings; one broken block does not stop the others."""
    refreshed = 0
    for block in blocks:
        try:
            block.publish_settings()
            refreshed += 1
        except Exception:  # noqa: BLE001 - a publish must never fail because of one block
            log.exception("could not mirror the settings of %s", getattr(block, "scope_ids", block))
    return refreshed


def _modulestore():
    try:
        from xmodule.modulestore.django import modulestore
    except ImportError:  # not inside edx-platform
        return None
    return modulestore()
