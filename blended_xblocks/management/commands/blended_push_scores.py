"""Push scores that staff set (released group-assignment grades, webinar attendance) and that
have not reached the gradebook yet.

Run it from cron (every few minutes) or after a Celery worker outage:

    ./manage.py lms blended_push_scores                                # every course
    ./manage.py lms blended_push_scores --course course-v1:IOM+RR+2022  # one course
    ./manage.py lms blended_push_scores --dry-run                      # only count

Safe to run while Celery workers push the same scores: each learner's score is written once per
change (see docs/decisions/0003-score-release.md).
"""
from django.core.management.base import BaseCommand

from blended_xblocks.platform import gradebook


class Command(BaseCommand):
    """Run periodically: push scores a request or worker could not deliver."""

    help = "Write pending scores (group assignments, webinar attendance) to the gradebook and record completion."

    def add_arguments(self, parser):
        parser.add_argument("--course", help="Only this course key.")
        parser.add_argument("--dry-run", action="store_true", help="Count pending scores; change nothing.")

    def handle(self, *args, **options):
        course = options["course"] or None
        if options["dry_run"]:
            self.stdout.write(f"{gradebook.pending_everywhere(course)} score(s) pending")
            return
        self.stdout.write(f"{gradebook.push_everything(course)} score(s) pushed")
