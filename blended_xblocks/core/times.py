"""Wall-clock times in the organiser's time zone, turned into UTC instants without DST surprises.

Authors write `start="2022-05-16T11:00" timezone="Asia/Amman"`, as the programme announces it.
A local time that does not exist (clocks jump forward) is refused rather than silently shifted;
an ambiguous one (clocks go back) takes the first occurrence, as calendar apps do.
"""
from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

LOCAL_FORMAT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
# City names authors use that are not IANA zone ids (Geneva keeps Zurich's time); the issue's
# programme OLX writes Europe/Geneva.
ZONE_ALIASES = {"Europe/Geneva": "Europe/Zurich", "Asia/Calcutta": "Asia/Kolkata"}


class TimeError(ValueError):
    """A wall-clock time or zone an author cannot use; `code` is the API error code."""

    def __init__(self, code):
        super().__init__(code)
        self.code = code


@lru_cache(maxsize=1)
def time_zone_names() -> tuple:
    """Every IANA zone this Python knows, sorted (the Studio picker)."""
    return tuple(sorted(name for name in available_timezones() if "/" in name or name == "UTC"))


def zone(name: str) -> ZoneInfo:
    if not name or name not in time_zone_names():
        raise TimeError("invalid_timezone")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise TimeError("invalid_timezone") from error


def local_to_utc(value: str, tz_name: str) -> datetime | None:
    """'2022-05-16T11:00' in `tz_name` → aware UTC datetime; '' → None."""
    if not value:
        return None
    if not LOCAL_FORMAT.fullmatch(value):
        raise TimeError("invalid_time")
    try:
        naive = datetime.strptime(value, "%Y-%m-%dT%H:%M")
    except ValueError as error:
        raise TimeError("invalid_time") from error
    tz = zone(tz_name)
    local = naive.replace(tzinfo=tz, fold=0)
    try:
        instant = local.astimezone(UTC)
    except OverflowError as error:  # year 9999 west of UTC, year 1 east of it: no instant exists
        raise TimeError("invalid_time") from error
    if instant.astimezone(tz).replace(tzinfo=None) != naive:
        raise TimeError("nonexistent_time")
    return instant


def iso(instant: datetime | None) -> str | None:
    """UTC ISO 8601 with a Z, as the JSON API returns it."""
    if instant is None:
        return None
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def utc_offset_label(instant: datetime, tz_name: str) -> str:
    """'GMT+3' / 'GMT-4:30' for the organiser's zone at that instant (DST included)."""
    offset = instant.astimezone(zone(tz_name)).utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return "GMT" if minutes == 0 else f"GMT{sign}{hours}" + (f":{rest:02d}" if rest else "")


def now_utc() -> datetime:
    return datetime.now(UTC)
