"""Issue programme certificates to learners who met a programme while away.

A learner may meet the last requirement without opening the programme again (a supervisor
approves, a grade is released, attendance is marked). Run this every hour or so (cron or Celery
beat, see docs/blended_progress.md):

    ./manage.py lms blended_programme_certificates                 # every programme
    ./manage.py lms blended_programme_certificates --course <key>  # one course

Each learner's certificate is issued once (a unique row), so overlapping runs never issue two.
"""
from django.core.management.base import BaseCommand
from django.utils import timezone

from blended_xblocks.platform.adapter import outcome_reader, platform_for_keys
from blended_xblocks.progress.awards import issue_due_certificates
from blended_xblocks.progress.models import ProgrammeDefinition

BLOCK_TYPE = "blended_progress"


class Command(BaseCommand):
    help = "Issue programme certificates to learners who meet a programme and have none yet."

    def add_arguments(self, parser):
        parser.add_argument("--course", help="Only the programmes of this course key.")

    def handle(self, *args, **options):
        definitions = ProgrammeDefinition.objects.all()
        if options.get("course"):
            definitions = definitions.filter(course_key=options["course"])
        now, reader, issued = timezone.now(), outcome_reader(), 0
        for definition in definitions.order_by("pk"):
            platform = platform_for_keys(definition.course_key, definition.usage_key, BLOCK_TYPE)
            issued += issue_due_certificates(definition, reader, platform, now)
        self.stdout.write(f"{issued} certificate(s) issued")
