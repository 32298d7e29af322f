"""The demo's adapter: the LMS one (`OpenEdxPlatform`), fed by the demo's LMS-shaped services
(`services.py`, installed by `runtime.DemoRuntime`).

One difference is left, and it is the demo's, not the LMS's: the LMS records completion for others
by account number, and the demo's completion table is kept by anonymous id (the `?student=` name),
whatever the request (handler, worker, no-login link). Demo accounts have numbers
(`people.demo_user_id`), which download tickets are bound to.
"""
from blended_xblocks.platform import OpenEdxPlatform

from .services import DemoCompletionService


class WorkbenchPlatform(OpenEdxPlatform):
    def complete_for(self, learners, completion=1.0):
        DemoCompletionService.record(self.usage_key(), [learner.anonymous_user_id for learner in learners], completion)

    def add_to_cohort(self, user_id, cohort_name):
        """The demo has no cohorts: the wish is recorded (read by tests and the demo's pages)."""
        COHORTS.setdefault((self.course_key(), cohort_name), set()).add(user_id)
        return True


COHORTS: dict = {}  # (course key, cohort name) -> user ids the demo was asked to put there
