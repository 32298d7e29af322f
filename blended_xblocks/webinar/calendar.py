"""The RFC 5545 file learners add to their calendar (Outlook, Google, Apple, Thunderbird).

The UID is derived from the block's usage key, so re-downloading updates the same event instead
of adding a second one; SEQUENCE grows whenever the author moves the session, which is what
calendar apps look at to replace the old time. Times are UTC instants (`...Z`), so no
time-zone table is needed and DST can never shift the meeting.
"""
from __future__ import annotations

import hashlib

from icalendar import Calendar, Event

from blended_xblocks.core.times import now_utc

PRODID = "-//blended-xblocks//webinar//EN"


def event_uid(usage_key: str) -> str:
    return hashlib.sha256(usage_key.encode("utf-8")).hexdigest()[:32] + "@blended-xblocks"


def calendar_file(session, *, description: str, join_url: str | None, page_url: str = "",
                  now=None) -> bytes:
    """One VEVENT for `session`; `join_url` only for learners who hold a seat."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", event_uid(session.usage_key))
    event.add("dtstamp", now or now_utc())
    event.add("dtstart", session.start)
    event.add("dtend", session.end)
    event.add("sequence", session.sequence)
    event.add("summary", session.title)
    text = description
    if join_url:
        text = f"{text}\n\n{join_url}" if text else join_url
        event.add("location", join_url)
        event.add("url", join_url)
    elif page_url:
        event.add("url", page_url)
    if text:
        event.add("description", text)
    calendar.add_component(event)
    return calendar.to_ical()


def file_name(title: str) -> str:
    """An ASCII file name for the download (the title may be Arabic)."""
    safe = "".join(ch if ch.isascii() and (ch.isalnum() or ch in "-_") else "-" for ch in title)
    safe = "-".join(part for part in safe.split("-") if part)[:60]
    return f"{safe or 'webinar'}.ics"
