"""Issue programme certificates to learners who met a programme while away.

A learner may meet the last requirement without opening the programme again (a supervisor
approves, a grade is released, attendance is marked). Run this every hour or so (cron or Celery
beat, see docs/blended_progress.md):

    ./manage.py lms blended_programme_certificates                 # every programme
    ./manage.py lms blended_programme_certificates --course <key>  # one course

Each learner's certificate is issued once (a unique row), so overlapping runs never issue two.
"""
from django.core.management.base import BaseCommand

from blended_xblocks.progress import api as progress


class Command(BaseCommand):
    """Run periodically: certificates for learners whose last outcome came from the platform."""

    help = "Issue programme certificates to learners who meet a programme and have none yet."

    def add_arguments(self, parser):
        parser.add_argument("--course", help="Only the programmes of this course key.")

    def handle(self, *args, **options):
        issued = progress.issue_certificates(options.get("course"))
        self.stdout.write(f"{issued} certificate(s) issued")
