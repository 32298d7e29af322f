"""Work done on a schedule, outside any block: remind applicants once of an open offer, and let
offers past their time lapse (passing the place down the waitlist) even if nobody opens the call.

Run by the periodic `blended_supervisor_reminders` command (one cron line for operators). An offer
is reminded once, when half its time has passed; the reminder is claimed with a conditional update
first, so overlapping runs never send two. A new offer (a promotion) can be reminded again.
"""
from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives

from blended_xblocks.application import mail, selection
from blended_xblocks.application.models import Application, ApplicationCall
from blended_xblocks.platform.adapter import SETTINGS_BUCKET

A = Application



class DjangoMailer:
    """What `mail.send` needs of the platform, without a block: Django's mail, the configured sender."""

    def send_mail(self, to: str, subject: str, text: str, html: str | None = None):
        bucket = getattr(settings, "XBLOCK_SETTINGS", {}).get(SETTINGS_BUCKET, {})
        sender = bucket.get("FROM_EMAIL") or settings.DEFAULT_FROM_EMAIL
        EmailMultiAlternatives(subject=subject, body=text, from_email=sender, to=[to]).send()


def due_reminders(now) -> list[int]:
    """Open offers past half their time that were not reminded yet (few: at most the places)."""
    rows = A.objects.filter(status=A.SELECTED, reminded_at__isnull=True, offer_expires__gt=now,
                            decided_at__isnull=False).values_list("pk", "decided_at", "offer_expires")
    return [pk for pk, decided, expires in rows if now >= decided + (expires - decided) / 2]


def send_reminder(application_id: int, now, mailer=None) -> int:
    """Claim and send one reminder; 0 when another run claimed it or the offer was answered."""
    claimed = A.objects.filter(pk=application_id, status=A.SELECTED, reminded_at__isnull=True).update(reminded_at=now)
    if not claimed:
        return 0
    zone = A.objects.filter(pk=application_id).values_list("call__timezone", flat=True).first() or "UTC"
    return mail.send(mailer or DjangoMailer(), "reminder", [application_id], zone=zone)


def lapse_offers(now, mailer=None) -> int:
    """Offers past their time lapse in every call; the first waitlisted get the places and a mail."""
    mailer = mailer or DjangoMailer()
    promoted = 0
    calls = ApplicationCall.objects.filter(applications__status=A.SELECTED, applications__offer_expires__lte=now).distinct()
    for call in calls.values("pk", "deadline", "timezone"):
        def after(decided=(), promoted=(), accepted=(), call=call):
            if promoted:
                mail.send(mailer, "promoted", promoted, call["deadline"], call["timezone"])
        promoted += len(selection.sweep_expired(call["pk"], now, after))
    return promoted
