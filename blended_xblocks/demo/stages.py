"""Three IOM learners at different stages of the programme, so the instructor's cohort matrix has
something to show on a fresh demo: Sara has done everything (certified), Kwame's first assignment
came back below half the points so six of six can no longer be reached (at risk), Ibrahim is part
way through (on track).

What OLX can carry stays in the OLX (webinar registrations and marks, experience-sharing posts and
replies: `webinar_seed`, `experience_sharing_seed`). The rest has no OLX form, so it is recorded here
after every scenario is loaded, through the blocks' `api.py` (the domain functions the blocks call when people click):
pages read (the completion the demo records on view), the final test answered (a score through
edx-submissions, as a problem's grade arrives), assignments submitted, graded and released, the
supervisor's approval through a real link. Every step first looks whether it was done: the demo
reloads its scenarios, and seeding twice changes nothing.
"""
from __future__ import annotations

import logging

from django.conf import settings
from django.db import DatabaseError
from django.utils import timezone

from blended_xblocks.demo import course
from blended_xblocks.demo.people import full_name, person, seeding_on
from blended_xblocks.demo.services import DemoCompletionService, DemoPublishService
from blended_xblocks.experience_sharing import api as sharing
from blended_xblocks.group_assignment import api as assignments
from blended_xblocks.platform.models import Learner
from blended_xblocks.progress import api as programme
from blended_xblocks.supervisor_agreement import api as agreements

log = logging.getLogger(__name__)

PROGRAMME = "blended.00-programme"
MODULE_PAGES = [f"blended.0{n}-iom-module-{n}" for n in range(1, 7)]
FINAL_TEST = "blended.07-iom-final-test"
INDIVIDUAL = [f"individual-assignment-{n}" for n in range(1, 5)]
GROUP = ["group-assignment-1", "group-assignment-2"]

# Who is where. Assignments: url_name → share of each criterion's top level the grader gave
# (None: submitted, not graded yet). Webinar marks and sharing posts are in 00-programme.xml.
STAGES = {
    "sara": {"modules": 6, "final_test": True, "agreement": True,
             "assignments": {**{name: 1.0 for name in INDIVIDUAL}, **{name: 1.0 for name in GROUP}}},
    "kwame": {"modules": 2, "final_test": False, "agreement": False,
              "assignments": {"individual-assignment-1": 0.25}},
    "ibrahim": {"modules": 4, "final_test": False, "agreement": False,
                "assignments": {"individual-assignment-1": 1.0, "individual-assignment-2": 0.75,
                                "individual-assignment-3": None}},
}
CERTIFIED = "sara"


def seed_programme_stages(scenarios) -> None:
    """Bring the stage learners to their stage (see the module docstring); a no-op outside the demo."""
    if not seeding_on() or PROGRAMME not in scenarios:
        return
    try:
        _Seeder(scenarios).run()
    except DatabaseError as error:  # tables not migrated yet: the pages matter more than the seeds
        log.warning("demo: programme stages not seeded (%s)", error)


class _Seeder:
    def __init__(self, scenarios):
        from blended_xblocks.demo.runtime import DemoRuntime

        self.scenarios = scenarios
        self.root = scenarios[PROGRAMME].usage_id
        self.runtime = DemoRuntime("instructor")
        self.course_key = settings.BLENDED_DEMO_COURSE_KEY

    def block(self, block_type, url_name):
        usage_id = course.usage_id_for(self.root, block_type, url_name)
        return self.runtime.get_block(usage_id) if usage_id else None

    def learner(self, username) -> Learner:
        return Learner.objects.record(self.course_key, person(username))

    def run(self):
        for username, stage in STAGES.items():
            learner = self.learner(username)
            self.read_modules(username, stage["modules"])
            if stage["final_test"]:
                self.pass_final_test(username)
            for url_name, share in stage["assignments"].items():
                self.hand_in(learner, url_name, share)
            if stage["agreement"]:
                self.approve_agreement(learner)
        self.settle_sharing(self.learner(CERTIFIED))
        self.certify(self.learner(CERTIFIED))

    # The online course ------------------------------------------------------------------------
    def read_modules(self, username, count):
        """The learner opened the first `count` module pages: every page of each is complete."""
        for page in MODULE_PAGES[:count]:
            for leaf in course.leaves_under(self.scenarios[page].usage_id):
                DemoCompletionService.record(leaf, [username], 1.0)

    def pass_final_test(self, username):
        """Every question of the final test answered right, recorded as the test's own grade is."""
        from submissions import api as submissions_api

        test_page = self.runtime.get_block(self.scenarios[FINAL_TEST].usage_id)
        publisher = DemoPublishService(username, self.course_key)
        for problem in test_page.get_children():
            for child in problem.get_children():
                if child.scope_ids.block_type not in ("equality_demo",):
                    continue
                item = {"student_id": username, "course_id": self.course_key,
                        "item_id": str(child.scope_ids.usage_id), "item_type": child.scope_ids.block_type}
                if not submissions_api.get_submissions(item, limit=1):
                    publisher.publish(child, "grade", {"value": 1, "max_value": 1})

    # Assignments ------------------------------------------------------------------------------
    def hand_in(self, learner, url_name, share):
        """Submitted; graded at `share` of each criterion's top level and released (None: not graded)."""
        block = self.block("blended_group_assignment", url_name)
        if block is None:
            return
        submission = assignments.hand_in(block, learner, f"{full_name(learner.username)}: {block.display_name}.")
        if submission is None or share is None:
            return
        levels = {criterion["name"]: _level_near(criterion, share) for criterion in block.rubric}
        assignments.grade_and_release(block, submission, levels, "instructor")

    # The agreement ----------------------------------------------------------------------------
    def approve_agreement(self, learner):
        """Asked and approved through a real (never mailed) link, as a supervisor approves."""
        block = self.block("blended_supervisor_agreement", "supervisor_agreement")
        if block is not None:
            supervisor = {"name": "Halima Bekele", "email": "halima.bekele@partner.example.org",
                          "organisation": "IOM Ethiopia", "message": ""}
            agreements.approve_through_link(block, learner, supervisor, "127.0.0.1", "demo seed")

    # Experience sharing and the certificate ---------------------------------------------------
    def settle_sharing(self, learner):
        """The seeded posts and replies meet the board's thresholds: record its completion, as the
        board does when the learner next opens it."""
        for url_name in ("experience-sharing-1", "experience-sharing-2"):
            block = self.block("blended_experience_sharing", url_name)
            if block is not None:
                sharing.settle_participation(block, learner)

    def certify(self, learner):
        block = self.block("blended_progress", "programme")
        if block is not None:
            programme.certify_if_met(block, learner, full_name(learner.username), timezone.now())


def _level_near(criterion, share):
    """The criterion's level whose points are closest to `share` of its top level."""
    points = sorted(level["points"] for level in criterion["levels"])
    return min(points, key=lambda value: abs(value - share * points[-1]))

