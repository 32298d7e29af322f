"""The e-mail a learner gets when they move up from the waitlist into a seat.

It is sent after the promotion has committed (`transaction.on_commit`), one message per learner,
in the language the learner used the site in when they registered (the platform's default
language otherwise). A failed send is logged and never undoes the promotion: the learner's page
shows the news anyway. The join link stays on the page (it is personal to registered learners
and only shown shortly before the start), so a forwarded mail gives nobody a seat.
"""
from __future__ import annotations

import logging
from datetime import UTC

from django.utils import translation
from django.utils.formats import date_format

from blended_xblocks.core.i18n import Translator
from blended_xblocks.core.rendering import known_language, render_in
from blended_xblocks.core.text import is_mail_address, single_line
from blended_xblocks.core.times import local_label, utc_offset_label
from blended_xblocks.webinar.models import WebinarRegistration as Reg

log = logging.getLogger(__name__)

DOMAIN = "webinar"


def mail_language(registration) -> str:
    """The learner's site language when we know it and can speak it, else the default."""
    return known_language(registration.site_language)


def compose(registration) -> tuple[str, str, str]:
    """(subject, text, html) telling `registration`'s learner they now hold a seat."""
    session, language = registration.session, mail_language(registration)
    translator = Translator(DOMAIN, language)
    title = single_line(session.title, 150)
    with translation.override(language):
        organiser = local_label(session.start, session.timezone)
        utc = date_format(session.start.astimezone(UTC), "l j F Y, H:i") if session.start else ""
    context = {
        "name": single_line(registration.learner.display_name, 100), "title": title,
        "organiser_time": organiser, "utc_time": utc,
        "organiser_zone": f"{session.timezone}, {utc_offset_label(session.start, session.timezone)}"
        if session.start else "",
    }
    subject = single_line(translator.gettext("You have a seat: {title}").format(title=title))
    text = render_in(language, DOMAIN, "blended_xblocks/webinar/promotion_email.txt", context)
    html = render_in(language, DOMAIN, "blended_xblocks/webinar/promotion_email.html", context)
    return subject, text.strip() + "\n", html


def notify_promoted(platform, registration_ids) -> int:
    """Mail each promoted learner who still holds the seat and has an address; how many were sent."""
    rows = (Reg.objects.filter(pk__in=registration_ids, status=Reg.REGISTERED)
            .select_related("learner", "session").order_by("pk"))
    sent = 0
    for registration in rows:
        address = registration.learner.email
        if not is_mail_address(address):
            continue
        try:
            platform.send_mail(address, *compose(registration))
            sent += 1
        except Exception:  # the seat is theirs whatever the mail server says
            log.exception("webinar: could not mail promotion notice for registration %s", registration.pk)
    return sent
