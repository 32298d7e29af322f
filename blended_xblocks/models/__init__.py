"""Where Django finds the app's models: each package keeps its own `models.py`, imported here.

Outcome tables are keyed by (course_key, usage_key) and point at the shared `Learner`
(`platform/models.py`), so the programme view can read every learner's outcomes for a whole
course in a handful of queries. Code imports models from their package, never from here.
"""
import blended_xblocks.application.models
import blended_xblocks.experience_sharing.models
import blended_xblocks.group_assignment.models
import blended_xblocks.platform.models
import blended_xblocks.progress.models
import blended_xblocks.supervisor_agreement.models
import blended_xblocks.webinar.models  # noqa: F401
