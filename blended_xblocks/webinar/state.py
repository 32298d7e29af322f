"""What a learner, an instructor and an author see: the state JSON and the template contexts.

Sentences with numbers (seats, waitlist position) are built here, in the learner's language,
so the JavaScript needs no plural rules.
"""
from __future__ import annotations

import hashlib
from datetime import timedelta

from django.utils.formats import date_format
from django.utils.safestring import mark_safe

from blended_xblocks.core.errors import N_
from blended_xblocks.core.html import DESCRIPTION, sanitise
from blended_xblocks.core.text import safe_url
from blended_xblocks.core.times import iso, learner_zone, local_label, now_utc, utc_offset_label, zone
from blended_xblocks.webinar import seats
from blended_xblocks.webinar.api import join_allowed
from blended_xblocks.webinar.models import WebinarRegistration as Reg

# Endonyms: a language is named in itself, so every learner recognises theirs.
LANGUAGE_NAMES = {"en": "English", "ar": "العربية", "fr": "Français", "es": "Español", "pt": "Português",
                  "sw": "Kiswahili", "ha": "Hausa", "am": "አማርኛ", "so": "Soomaali", "ti": "ትግርኛ",
                  "wo": "Wolof", "ru": "Русский", "zh": "中文", "tr": "Türkçe", "fa": "فارسی", "ur": "اردو"}


def language_name(code: str) -> str:
    return LANGUAGE_NAMES.get(code, code)


def checkin_window_open(session, now) -> bool:
    """Check-in runs during the session, from its start to its end (the join link opens earlier)."""
    if session.start is None or session.end is None:
        return False
    return session.start <= now <= session.end


def phase(session, now) -> str:
    if session.start is None:
        return "unscheduled"
    if now < session.start:
        return "upcoming"
    return "live" if now <= session.end else "ended"


def learner_state(block, session, registration, now=None, taken=None) -> dict:
    """The `get_state` answer (also what every learner handler returns); `taken`, the seats taken,
    when the caller has just counted them."""
    now = now or now_utc()
    status = registration.status if registration else "none"
    left = seats.seats_left(session, taken)
    holding = status in (Reg.REGISTERED, Reg.WAITLISTED)
    open_ = seats.registration_open(session, now) and session.start is not None
    current = phase(session, now)
    mark = registration.attendance if registration else Reg.UNMARKED
    return {
        "title": session.title,
        "registration": status,
        "waitlist_position": registration.waitlist_position if status == Reg.WAITLISTED else None,
        "seats_left": left,
        "capacity": session.capacity,
        "waitlist": session.waitlist,
        "attendance": mark,
        "start": iso(session.start),
        "end": iso(session.end),
        "timezone": session.timezone,
        "learner_timezone": learner_zone(block.current_user.time_zone) or None,
        "phase": current,
        "language": registration.language if holding else "",
        "languages": [{"code": code, "name": language_name(code)} for code in session.language_list],
        "join_url": safe_url(session.join_url) if join_allowed(session, registration, now) else None,
        "join_opens_at": iso(session.start - timedelta(minutes=session.join_opens)) if session.start else None,
        "recording_url": safe_url(session.recording_url) if current == "ended" else None,
        "registration_open": open_,
        "registration_closes": iso(seats.registration_deadline(session)),
        "can_register": open_ and not holding and (left is None or left > 0 or session.waitlist),
        "can_cancel": holding and current == "upcoming",
        "checkin_open": (session.checkin and status == Reg.REGISTERED and mark == Reg.UNMARKED
                         and checkin_window_open(session, now)),
        "promoted": bool(registration and registration.promotion_unseen and status == Reg.REGISTERED),
        "messages": _messages(block, session, registration, status, left, open_, current),
    }


def _messages(block, session, registration, status, left, open_, current) -> dict:
    gettext, ngettext = block.gettext, block.ngettext
    if status == Reg.REGISTERED:
        text = gettext("You are registered.")
        if registration.language and len(session.language_list) > 1:
            text += " " + gettext("You will follow it in {language}.").format(
                language=language_name(registration.language))
    elif status == Reg.WAITLISTED:
        text = gettext("You are on the waitlist, in position {position}.").format(
            position=registration.waitlist_position)
    elif status == Reg.CANCELLED:
        text = gettext("You cancelled your registration.")
    else:
        text = gettext("You are not registered.")
    if status not in (Reg.REGISTERED, Reg.WAITLISTED) and not open_ and current != "ended":
        text += " " + gettext("Registration is closed.")
    if current == "ended":
        seats_text = ""
    elif left is None:
        seats_text = gettext("Open to all: no seat limit.")
    elif left > 0:
        seats_text = ngettext("{count} seat left of {capacity}.", "{count} seats left of {capacity}.",
                              left).format(count=left, capacity=session.capacity)
    else:
        seats_text = gettext("Full: new registrations join the waitlist.") if session.waitlist \
            else gettext("Full.")
    attendance_text = {
        Reg.PRESENT: gettext("Attendance: present."), Reg.LATE: gettext("Attendance: present, arrived late."),
        Reg.EXCUSED: gettext("Attendance: excused."), Reg.ABSENT: gettext("Attendance: absent."),
    }.get(registration.attendance if registration else Reg.UNMARKED, "")
    notice = ""
    if status == Reg.REGISTERED and registration.promotion_unseen:
        notice = gettext("You moved up from the waitlist: you have a seat.")
    return {"status": text, "seats": seats_text, "attendance": attendance_text, "notice": notice}


def labels(block) -> dict:
    """Translated names of registration and attendance values (for the instructor's roster)."""
    names = {"registered": N_("Registered"), "waitlisted": N_("Waitlisted"), "cancelled": N_("Cancelled"),
             "unmarked": N_("Not marked"), "present": N_("Present"), "late": N_("Late"),
             "excused": N_("Excused"), "absent": N_("Absent")}
    return {key: block.gettext(value) for key, value in names.items()}


def view_context(block, session, state) -> dict:
    return {
        "block": block,
        "uid": "bw-" + hashlib.sha1(session.usage_key.encode()).hexdigest()[:10],
        "start_iso": iso(session.start),
        "labels": labels(block),
        "session": session,
        "organiser_time": local_label(session.start, session.timezone),
        "organiser_zone": f"{session.timezone}, {utc_offset_label(session.start, session.timezone)}"
        if session.start else "",
        **_learner_time(block, session),
        "end_time": date_format(session.end.astimezone(zone(session.timezone)), "H:i") if session.end else "",
        "description": mark_safe(sanitise(block.description, DESCRIPTION)),
        "speakers": [speaker for speaker in block.speakers or [] if isinstance(speaker, dict)],
        "languages": [language_name(code) for code in session.language_list],
        "state": state,
        "signed_in": state is not None,
        "staff": block.is_staff,
        "attendance_choices": Reg.ATTENDANCE,
    }


def _learner_time(block, session) -> dict:
    """The session in the learner's own zone, when their LMS preference names one (the
    browser's zone is used otherwise, by the JavaScript)."""
    tz_name = learner_zone(block.current_user.time_zone)
    if not tz_name or session.start is None:
        return {"learner_time": "", "learner_zone": ""}
    return {"learner_time": local_label(session.start, tz_name),
            "learner_zone": f"{tz_name}, {utc_offset_label(session.start, tz_name)}"}
