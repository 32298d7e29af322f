"""Completion and scores of the demo's standard blocks, read as the LMS's outcome reader reads
them (platform.OpenEdxOutcomeReader): one query per page of learners, containers through the
course structure. Demo learners have no account numbers, so they are found by anonymous id.

Through the ORM, as the LMS's reader reads its tables (their opaque-key columns take no prepared
query): the programme page's figures in the demo include what these reads cost in the LMS. Prepared,
they were 1.4 ms cheaper on SQLite, a gain the LMS would not see (measured, not kept)."""
from __future__ import annotations

from submissions.models import ScoreSummary

from blended_xblocks.demo import course
from blended_xblocks.demo.models import DemoCompletion

# The SDK blocks that publish a grade (each worth 1 point), besides blocks with `has_score`.
SCORED_TYPES = {"equality_demo"}


class DemoOutcomeReader:
    """Problem and unit outcomes the LMS would know, for the demo course."""

    def completions_in_bulk(self, course_key, usage_keys, people) -> dict:
        leaves = {key: course.leaves_under(key) for key in usage_keys}
        by_anonymous = {person.anonymous_id: person for person in people if person.anonymous_id}
        rows = DemoCompletion.objects.filter(usage_key__in={leaf for found in leaves.values() for leaf in found},
                                             anonymous_user_id__in=list(by_anonymous))
        done = {(row.usage_key, row.anonymous_user_id): row.completion for row in rows}
        return {(key, person): min((done.get((leaf, anonymous_id), 0.0) for leaf in found), default=1.0)
                for key, found in leaves.items() for anonymous_id, person in by_anonymous.items()}

    def scores_in_bulk(self, course_key, usage_keys, people) -> dict:
        """A problem's (or a module's) share of the points: every scored block under it counts, one
        point each until the learner has a score there; nothing scored yet reads as no score."""
        scored = {key: [leaf for leaf in course.leaves_under(key) if self._scored(leaf)] for key in usage_keys}
        by_anonymous = {person.anonymous_id: person for person in people if person.anonymous_id}
        rows = (ScoreSummary.objects.filter(student_item__course_id=course_key,
                                            student_item__item_id__in={leaf for found in scored.values() for leaf in found},
                                            student_item__student_id__in=list(by_anonymous))
                .values_list("student_item__item_id", "student_item__student_id", "latest__points_earned",
                             "latest__points_possible"))
        points = {(item, student): (earned, possible) for item, student, earned, possible in rows}
        shares = {}
        for key, leaves in scored.items():
            for anonymous_id, person in by_anonymous.items():
                found = [points.get((leaf, anonymous_id)) for leaf in leaves]
                if not any(found):
                    continue
                earned = sum(value[0] for value in found if value)
                possible = sum(value[1] if value else 1 for value in found)
                if possible:
                    shares[(key, person)] = earned / possible
        return shares

    @staticmethod
    def _scored(usage_id) -> bool:
        block = course.BLOCKS.get(usage_id)
        return block is not None and block.block_type in SCORED_TYPES
