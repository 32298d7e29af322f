"""Mail to applicants, in the language they used the site in when they last saved their application.

Plain text, sent after the change has committed; a failed send is logged and never undoes a
decision (the applicant's page says the same). Kinds: the submission receipt, a decision, an
offer reminder, and the offer made when a place freed up on the waitlist.
"""
from __future__ import annotations

import logging

from django.utils import translation

from blended_xblocks.application.models import Application
from blended_xblocks.core.errors import N_
from blended_xblocks.core.i18n import Translator
from blended_xblocks.core.rendering import known_language
from blended_xblocks.core.text import is_mail_address, single_line
from blended_xblocks.core.times import local_label

log = logging.getLogger(__name__)
DOMAIN = "application"

SUBJECTS = {
    "received": N_("Application received: {title}"),
    "selected": N_("You are selected: {title}"),
    "waitlisted": N_("You are on the waitlist: {title}"),
    "not_selected": N_("Your application: {title}"),
    "promoted": N_("A place is yours: {title}"),
    "reminder": N_("Please answer your offer: {title}"),
}
BODIES = {
    "received": N_("Hello {name},\n\nwe have received your application to “{title}”. You can change it until "
                   "{deadline}.\n"),
    "selected": N_("Hello {name},\n\nyou are selected for “{title}”. Please accept or decline the offer on the "
                   "course page before {expires}.\n"),
    "waitlisted": N_("Hello {name},\n\nyou are on the waitlist for “{title}”, at position {position}. We will write "
                     "to you if a place becomes free.\n"),
    "not_selected": N_("Hello {name},\n\nthank you for applying to “{title}”. We are sorry that we cannot offer you "
                       "a place this time.\n"),
    "promoted": N_("Hello {name},\n\na place has become free in “{title}” and it is yours. Please accept or decline "
                   "the offer on the course page before {expires}.\n"),
    "reminder": N_("Hello {name},\n\nyour offer for “{title}” is waiting for your answer until {expires}.\n"),
}


def mail_language(row) -> str:
    return known_language(row.language)


def compose(kind: str, row, deadline=None, zone="UTC") -> tuple[str, str]:
    """(subject, text) for one applicant."""
    language = mail_language(row)
    translator = Translator(DOMAIN, language)
    title = single_line(row.call.title, 150)
    with translation.override(language):
        expires = f"{local_label(row.offer_expires, zone)} ({zone})" if row.offer_expires else ""
        deadline_text = f"{local_label(deadline, zone)} ({zone})" if deadline else ""
        params = {"name": single_line(row.learner.display_name, 100), "title": title, "expires": expires,
                  "deadline": deadline_text, "position": row.waitlist_position or ""}
        text = translator.gettext(BODIES[kind]).format(**params)
        if row.message and kind in ("selected", "waitlisted", "not_selected"):
            text += "\n" + row.message.strip() + "\n"
        subject = single_line(translator.gettext(SUBJECTS[kind]).format(title=title))
    return subject, text


def send(platform, kind: str, application_ids, deadline=None, zone="UTC", kinds_by_status=False) -> int:
    """Mail each applicant; with `kinds_by_status` the kind is their current decision. How many went."""
    rows = Application.objects.filter(pk__in=list(application_ids)).select_related("learner", "call").order_by("pk")
    sent = 0
    for row in rows:
        this_kind = row.status if kinds_by_status else kind
        if this_kind not in BODIES:
            continue
        address = row.learner.email
        if not is_mail_address(address):
            continue
        try:
            platform.send_mail(address, *compose(this_kind, row, deadline, zone))
            sent += 1
        except Exception:  # the decision stands whatever the mail server says
            log.exception("application: could not mail %s for application %s", this_kind, row.pk)
    return sent
