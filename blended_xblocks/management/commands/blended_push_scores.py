"""Push released group-assignment scores that have not reached the gradebook yet.

Run it from cron (every few minutes) or after a Celery worker outage:

    ./manage.py lms blended_push_scores                                # every course
    ./manage.py lms blended_push_scores --course course-v1:IOM+RR+2022  # one course
    ./manage.py lms blended_push_scores --dry-run                      # only count

Safe to run while Celery workers push the same release: each member's score is written once per
grade change (see docs/decisions/0003-score-release.md).
"""
from django.core.management.base import BaseCommand

from blended_xblocks.group_assignment_scores import pending_members, push_pending


class Command(BaseCommand):
    help = "Write pending group-assignment scores to the gradebook (edx-submissions) and record completion."

    def add_arguments(self, parser):
        parser.add_argument("--course", help="Only this course key.")
        parser.add_argument("--dry-run", action="store_true", help="Count pending scores; change nothing.")

    def handle(self, *args, **options):
        course = options["course"] or None
        if options["dry_run"]:
            self.stdout.write(f"{pending_members(course_key=course).count()} score(s) pending")
            return
        pushed = push_pending(course_key=course)
        self.stdout.write(f"{pushed} score(s) pushed")
