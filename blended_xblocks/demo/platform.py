"""The demo's adapter: the LMS one (`OpenEdxPlatform`), fed by the demo's LMS-shaped services
(`services.py`, installed by `runtime.DemoRuntime`).

The differences are the demo's, not the LMS's: the LMS records completion for others by account
number, and the demo's completion table is kept by anonymous id (the `?student=` name), whatever
the request (handler, worker, no-login link). Demo accounts have numbers (`people.demo_user_id`),
which download tickets are bound to. And the demo has people to name in OLX seed elements
(`seed_person`): the example registrations, posts and applications its scenarios carry.
"""
from blended_xblocks.demo import cohorts, people
from blended_xblocks.demo.services import DemoCompletionService
from blended_xblocks.platform.adapter import OpenEdxPlatform


class WorkbenchPlatform(OpenEdxPlatform):
    def seed_person(self, name):
        """Any name is a demo person (people.py), unless seeding is off (`BLENDED_DEMO_SEED`)."""
        return people.person(name) if people.seeding_on() else None

    def complete_for(self, learners, completion=1.0):
        DemoCompletionService.record(self.usage_key(), [learner.anonymous_user_id for learner in learners], completion)

    def add_to_cohort(self, user_id, cohort_name):
        """The workbench has no cohorts: membership is recorded in the demo's table, which the
        programme's page consults (cohorts.py)."""
        cohorts.add(self.course_key(), cohort_name, user_id)
        return True
