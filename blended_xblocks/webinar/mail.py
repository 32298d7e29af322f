"""The e-mail a learner gets when they move up from the waitlist into a seat.

It is sent after the promotion has committed (`transaction.on_commit`), one message per learner,
in the language the learner used the site in when they registered (the platform's default
language otherwise). A failed send is logged and never undoes the promotion: the learner's page
shows the news anyway. The join link stays on the page (it is personal to registered learners
and only shown shortly before the start), so a forwarded mail gives nobody a seat.
"""
from __future__ import annotations

import logging
import re
from datetime import UTC

from django.conf import settings
from django.template import Context
from django.utils import translation
from django.utils.formats import date_format

from blended_xblocks.core.i18n import Translator, is_rtl
from blended_xblocks.core.resources import TEMPLATES
from blended_xblocks.core.times import utc_offset_label
from blended_xblocks.webinar.models import WebinarRegistration as Reg
from blended_xblocks.webinar.state import local_label

log = logging.getLogger(__name__)

DOMAIN = "webinar"
CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")
ADDRESS = re.compile(r"[^@\s]+@[^@\s]+")


def single_line(text: str, limit: int = 200) -> str:
    """One line without control characters: a title can never add a mail header."""
    return " ".join(CONTROL.sub(" ", text or "").split())[:limit]


def mail_language(registration) -> str:
    """The learner's site language when we know it and can speak it, else the default."""
    known = {code for code, _name in settings.LANGUAGES}
    language = registration.site_language
    if language and (language in known or language.split("-")[0] in known):
        return language
    return settings.LANGUAGE_CODE


def compose(registration) -> tuple[str, str, str]:
    """(subject, text, html) telling `registration`'s learner they now hold a seat."""
    session, language = registration.session, mail_language(registration)
    translator = Translator(DOMAIN, language)
    title = single_line(session.title, 150)
    with translation.override(language):
        organiser = local_label(session.start, session.timezone)
        utc = date_format(session.start.astimezone(UTC), "l j F Y, H:i") if session.start else ""
    context = {
        "_": translator, "language": language, "direction": "rtl" if is_rtl(language) else "ltr",
        "name": single_line(registration.learner.display_name, 100), "title": title,
        "organiser_time": organiser, "utc_time": utc,
        "organiser_zone": f"{session.timezone}, {utc_offset_label(session.start, session.timezone)}"
        if session.start else "",
    }
    subject = single_line(translator.gettext("You have a seat: {title}").format(title=title))
    with translation.override(language):
        text = TEMPLATES.get_template("blended_xblocks/webinar/promotion_email.txt").render(Context(context))
        html = TEMPLATES.get_template("blended_xblocks/webinar/promotion_email.html").render(Context(context))
    return subject, text.strip() + "\n", html


def notify_promoted(platform, registration_ids) -> int:
    """Mail each promoted learner who still holds the seat and has an address; how many were sent."""
    rows = (Reg.objects.filter(pk__in=registration_ids, status=Reg.REGISTERED)
            .select_related("learner", "session").order_by("pk"))
    sent = 0
    for registration in rows:
        address = registration.learner.email
        if not address or not ADDRESS.fullmatch(address):
            continue
        try:
            platform.send_mail(address, *compose(registration))
            sent += 1
        except Exception:  # the seat is theirs whatever the mail server says
            log.exception("webinar: could not mail promotion notice for registration %s", registration.pk)
    return sent
