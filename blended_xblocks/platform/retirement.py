"""Forget a retired learner: the LMS sends USER_RETIRE_LMS_MISC with the user.

Blocks that keep text a learner wrote register a hook with `on_retirement` (from their `api.py`,
which the app's `ready()` imports in every process); it receives the queryset of that user's
`Learner` rows (one per course) before their identity is blanked. This module imports no block.
"""
from blended_xblocks.platform.models import Learner

RETIRED = "retired"
# Kept across `importlib.reload`, like the gradebook's sources.
_HOOKS: list = globals().get("_HOOKS", [])


def on_retirement(hook):
    """Register `hook(learners)`; registering the same function twice runs it once."""
    if hook not in _HOOKS:
        _HOOKS.append(hook)
    return hook


def retire_learner(sender=None, user=None, **kwargs):  # pylint: disable=unused-argument
    if user is None:
        return
    rows = Learner.objects.filter(user_id=user.id)
    for hook in _HOOKS:
        hook(rows)
    rows.update(username=RETIRED, email="", full_name="")
