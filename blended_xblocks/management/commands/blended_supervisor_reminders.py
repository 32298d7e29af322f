"""Remind supervisors once and expire old supervisor-agreement links; remind applicants once of an
open offer and lapse offers past their time (docs/blended_application.md).

Run it every hour or so (cron or Celery beat, see docs/blended_supervisor_agreement.md):

    ./manage.py lms blended_supervisor_reminders            # send due reminders, expire links
    ./manage.py lms blended_supervisor_reminders --dry-run  # only say what would happen

Each request is reminded at most once (a flag set under a row lock), so overlapping runs never
send two reminders; mail goes out with the sender configured in XBLOCK_SETTINGS.
"""
from django.core.management.base import BaseCommand
from django.utils import timezone

from blended_xblocks.application import api as application
from blended_xblocks.supervisor_agreement import api as supervisor_agreement


class Command(BaseCommand):
    """Run daily: remind supervisors and applicants, expire old links."""

    help = "Send one reminder for supervisor agreements pending for reminder_days, and expire old links."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Report what is due; change nothing.")

    def handle(self, *args, **options):
        now = timezone.now()
        due = supervisor_agreement.due_reminders(now)
        offers_due = application.due_offer_reminders(now)
        if options["dry_run"]:
            self.stdout.write(f"{len(due)} reminder(s) due")
            self.stdout.write(f"{len(offers_due)} offer reminder(s) due")
            return
        sent, failed = supervisor_agreement.send_reminders(due, now)
        expired = supervisor_agreement.expire_links(now)
        self.stdout.write(f"{sent} reminder(s) sent, {failed} failed, {expired} link(s) expired")
        reminded = application.remind_offers(offers_due, now)
        promoted = application.lapse_offers(now)
        self.stdout.write(f"{reminded} offer reminder(s) sent, {promoted} waitlisted applicant(s) offered a lapsed place")
