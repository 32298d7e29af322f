"""The e-mail a supervisor receives (request and reminder), in the learner's language.

Sent through Django's mail framework (see docs/decisions/0002-supervisor-mail.md): inside a block
through `platform.send_mail`, from the reminder command through `send_with_django`, which reads
the same sender setting. The subject is built from single-line text only.
"""
from urllib.parse import urlencode

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.utils import formats, translation

from blended_xblocks.core.i18n import Translator
from blended_xblocks.core.rendering import render_in
from blended_xblocks.core.text import single_line
from blended_xblocks.platform.adapter import SETTINGS_BUCKET
from blended_xblocks.supervisor_agreement.text import agreement_plain_text

DOMAIN = "supervisor_agreement"
TEMPLATE_DIR = "blended_xblocks/supervisor_agreement/"


def link_for(link_base: str, token: str) -> str:
    return link_base + ("&" if "?" in link_base else "?") + urlencode({"token": token})


def compose(request, link: str, reminder: bool = False):
    """(subject, text, html) for `request` (a SupervisorRequest)."""
    language = request.language
    translator = Translator(DOMAIN, language)
    if reminder:
        subject = translator.gettext("Reminder: {learner} asks for your approval ({programme})")
    else:
        subject = translator.gettext("{learner} asks for your approval ({programme})")
    subject = single_line(subject.format(learner=single_line(request.learner_name, 80),
                                         programme=single_line(request.programme, 100)), 200)
    with translation.override(language):
        expires = formats.date_format(request.expires_at, "DATE_FORMAT")
    context = {"request": request, "link": link, "reminder": reminder, "expires": expires,
               "agreement_text": agreement_plain_text(request.agreement_html)}
    text = render_in(language, DOMAIN, TEMPLATE_DIR + "email.txt", context)
    html = render_in(language, DOMAIN, TEMPLATE_DIR + "email.html", context)
    return subject, text, html


def send_with_django(to: str, subject: str, text: str, html: str):
    """Mail outside a block (the reminder command), with the sender operators configured."""
    bucket = getattr(settings, "XBLOCK_SETTINGS", {}).get(SETTINGS_BUCKET, {})
    sender = bucket.get("FROM_EMAIL") or settings.DEFAULT_FROM_EMAIL
    message = EmailMultiAlternatives(subject=subject, body=text, from_email=sender, to=[to])
    message.attach_alternative(html, "text/html")
    message.send()
