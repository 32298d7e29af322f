"""When a programme's certificates can be printed: `release` in the organiser's `timezone`.

A release that cannot be read keeps certificates unreleased (and is reported to authors): an
unreadable date must never hand out certificates early.
"""
from __future__ import annotations

from blended_xblocks.core.times import TimeError, local_to_utc, zone_name


def release_moment(release: str, timezone: str):
    """(UTC instant or None for "at once", readable). Unreadable: (None, False)."""
    zone = zone_name(timezone)
    if zone is None:
        return None, False
    try:
        return local_to_utc(release, zone), True
    except TimeError:
        return None, False
