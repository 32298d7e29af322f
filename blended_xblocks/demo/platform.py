"""The demo's adapter: the LMS one (`OpenEdxPlatform`), fed by the demo's LMS-shaped services
(`services.py`, installed by `runtime.DemoRuntime`).

One difference is left, and it is the demo's, not the LMS's: demo learners have no account
numbers (nobody signs in to the workbench, so a download link bound to an account could never be
used), and the LMS records completion for others by account number. Here it is recorded by
anonymous id, in the demo's completion table, whatever the request (handler, worker, no-login link).
"""
from blended_xblocks.platform import OpenEdxPlatform

from .services import DemoCompletionService


class WorkbenchPlatform(OpenEdxPlatform):
    def complete_for(self, learners, completion=1.0):
        DemoCompletionService.record(self.usage_key(), [learner.anonymous_user_id for learner in learners], completion)
