"""Forget a retired learner: the LMS sends USER_RETIRE_LMS_MISC with the user.

Blocks that keep text a learner wrote register a hook with `@on_retirement`; it receives the
queryset of that user's `Learner` rows (one per course) before their identity is blanked.
"""
from importlib import import_module

from blended_xblocks.platform.models import Learner

RETIRED = "retired"
_HOOKS = []
# Modules whose @on_retirement hooks must run even if no block was loaded in this process.
HOOK_MODULES = ("group_assignment.grading", "experience_sharing.posts", "supervisor_agreement.requests",
                "progress.certificates", "application.api")


def on_retirement(hook):
    _HOOKS.append(hook)
    return hook


def retire_learner(sender=None, user=None, **kwargs):  # pylint: disable=unused-argument
    if user is None:
        return
    for module in HOOK_MODULES:
        import_module(f"blended_xblocks.{module}")
    rows = Learner.objects.filter(user_id=user.id)
    for hook in _HOOKS:
        hook(rows)
    rows.update(username=RETIRED, email="", full_name="")
