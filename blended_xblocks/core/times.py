"""Wall-clock times in the organiser's time zone, turned into UTC instants without DST surprises.

One policy for every block that reads a local time (webinar start, assignment deadline, programme
release, call opening and deadline): authors write `start="2022-05-16T11:00" timezone="Asia/Amman"`,
as the programme announces it (seconds may follow). A local time that does not exist (clocks jump
forward) is refused (`nonexistent_time`) rather than silently shifted; an ambiguous one (clocks go
back) takes the first occurrence, as calendar apps do. Studio refuses such a time with the codes of
`TIME_MESSAGES`, naming the field (`refusal`); a stored one that cannot be read counts as unreadable.
"""
from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from django.utils import translation
from django.utils.formats import date_format

from blended_xblocks.core.errors import N_, BadRequest

LOCAL_FORMAT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?")
# City names authors use that are not IANA zone ids (Geneva keeps Zurich's time); the issue's
# programme OLX writes Europe/Geneva.
ZONE_ALIASES = {"Europe/Geneva": "Europe/Zurich", "Asia/Calcutta": "Asia/Kolkata"}


# What Studio says for each refusal (the error code is the TimeError's; `field` names the field).
TIME_MESSAGES = {"invalid_timezone": N_("“{field}” is not a known time zone."),
                 "invalid_time": N_("“{field}” must be a local date and time (YYYY-MM-DDTHH:MM)."),
                 "nonexistent_time": N_("“{field}” does not exist in the chosen time zone: the clocks skip "
                                        "that hour (summer time). Choose another time.")}


class TimeError(ValueError):
    """A wall-clock time or zone an author cannot use; `code` is the API error code."""

    def __init__(self, code):
        super().__init__(code)
        self.code = code


@lru_cache(maxsize=1)
def time_zone_names() -> tuple:
    """Every IANA zone this Python knows, sorted (the Studio picker)."""
    return tuple(sorted(name for name in available_timezones() if "/" in name or name == "UTC"))


@lru_cache(maxsize=1)
def _known_zone_names() -> frozenset:
    """The same names as a set: every view asks whether a zone is known, a set answers at once."""
    return frozenset(time_zone_names())


def zone_name(name: str | None) -> str | None:
    """The IANA zone an author meant (aliases such as Europe/Geneva included; empty: UTC), or None."""
    name = (name or "").strip() or "UTC"
    name = ZONE_ALIASES.get(name, name)
    return name if name in _known_zone_names() else None


def learner_zone(name: str) -> str:
    """The learner's LMS `time_zone` preference when it is a zone we know, else ''."""
    return name if name and name in _known_zone_names() else ""


def zone(name: str) -> ZoneInfo:
    """The zone `name` means (aliases included); TimeError("invalid_timezone") for none."""
    name = ZONE_ALIASES.get(name, name) if name else name
    if not name or name not in _known_zone_names():
        raise TimeError("invalid_timezone")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise TimeError("invalid_timezone") from error


@lru_cache(maxsize=4096)
def local_to_utc(value: str, tz_name: str) -> datetime | None:
    """'2022-05-16T11:00' in `tz_name` → aware UTC datetime; '' → None.

    Kept per (value, zone): a page shows the same authored times on every render, and reading one
    costs a `strptime` and a zone lookup (an unreadable time raises each time, it is not kept)."""
    if not value:
        return None
    if not LOCAL_FORMAT.fullmatch(value):
        raise TimeError("invalid_time")
    try:
        naive = datetime.strptime(value, "%Y-%m-%dT%H:%M:%S" if len(value) > 16 else "%Y-%m-%dT%H:%M")
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


def refusal(error: TimeError, field: str, zone_field: str = "timezone") -> BadRequest:
    """The 400 a Studio save answers for `error` on `field` (the zone's field for an unknown zone)."""
    return BadRequest(error.code, TIME_MESSAGES[error.code], field=zone_field if error.code == "invalid_timezone" else field)


def check_local(value: str, tz_name: str, field: str, zone_field: str = "timezone") -> datetime | None:
    """`local_to_utc` for a Studio save, with zone aliases: the instant, or the 400 naming the field.

    An unknown zone is refused even when no time is set (the author chose it)."""
    try:
        zone(tz_name)
        return local_to_utc(value, tz_name)
    except TimeError as error:
        raise refusal(error, field, zone_field) from error


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


def local_label(instant: datetime | None, tz_name: str) -> str:
    """'Monday 16 May 2022, 11:00' in `tz_name` and the active language ('' for no instant)."""
    if instant is None:
        return ""
    return _local_label(instant, tz_name, translation.get_language())


@lru_cache(maxsize=4096)
def _local_label(instant: datetime, tz_name: str, language: str | None) -> str:
    """Kept per process (ADR 0012): an authored instant's label is the same for every learner of a
    language, and Django's date format translates each day and month name (some 100 µs a label)."""
    return date_format(instant.astimezone(zone(tz_name)), "l j F Y, H:i")


def now_utc() -> datetime:
    return datetime.now(UTC)
