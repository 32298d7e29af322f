"""A published programme judged for one learner or a page of learners, without a block.

The progress block, the cohort view and the certificate gate (which runs in the LMS's
certificate code, far from any block) all come here. Outcomes of our own blocks are read in
bulk through each block's api; completion and scores of the platform's blocks through the
`reader` the caller passes (the platform adapter), so that a page of learners costs the same
number of queries whatever its size.
"""
from __future__ import annotations

from dataclasses import dataclass

from blended_xblocks.experience_sharing.api import participation_in_bulk
from blended_xblocks.group_assignment.api import results_in_bulk
from blended_xblocks.platform.models import Learner
from blended_xblocks.platform.published_settings import settings_in_bulk
from blended_xblocks.progress.evaluation import Outcome, ProgrammeStatus, evaluate_cohort
from blended_xblocks.progress.models import ProgrammeCertificate, ProgrammeDefinition
from blended_xblocks.progress.requirements import BlockRef, Requirement, build_programme
from blended_xblocks.supervisor_agreement.api import agreements_in_bulk
from blended_xblocks.webinar.api import attendance_in_bulk

# kind → the bulk read of our own tables that answers it.
OUR_KINDS = {
    "attendance": attendance_in_bulk,
    "assignment": results_in_bulk,
    "approval": agreements_in_bulk,
    "participation": participation_in_bulk,
}
# Kinds whose read also judges by the blocks' published settings (a deadline, a required session):
# the page reads those settings once for all of them and passes them on (`settings=`).
BY_PUBLISHED_SETTINGS = ("assignment", "participation")


@dataclass(frozen=True)
class Person:
    """A learner as the programme reads them: our `Learner` row (None if they never opened one of
    our blocks), their platform user id (None where the host has no accounts, as in the demo) and
    their anonymous id in the course."""

    learner_id: int | None
    user_id: int | None
    anonymous_id: str | None = None


class NoPlatformOutcomes:
    """The reader for a host that keeps no completion, grades or enrolments of its own. A reader's
    outcome methods take a page of `Person`s and answer {(usage_key, person): value} (nothing yet:
    left out); `enrolled_learners` (optional) lists the course's learners, None when the host has
    no enrolments (the cohort is then whoever our blocks know, cohort.py)."""

    def completions_in_bulk(self, course_key, usage_keys, people):
        return {}

    def scores_in_bulk(self, course_key, usage_keys, people):
        return {}

    def enrolled_learners(self, course_key):
        return None


def requirements_of(definition: ProgrammeDefinition) -> list[Requirement]:
    return build_programme(definition.requirements, strict=False).requirements


def present_blocks(definition: ProgrammeDefinition, requirements) -> set[BlockRef]:
    """The blocks the requirements name that the course still has (the block resolved each to a
    usage key)."""
    resolved = definition.resolved_blocks
    return {ref for requirement in requirements for ref in requirement.blocks if resolved.get(str(ref))}


def read_outcomes(definition: ProgrammeDefinition, requirements, people: list[Person], reader) -> dict:
    """{person: {(kind, BlockRef): Outcome}} for a page of people, in a fixed number of queries: one
    bulk read per kind of our blocks (and one of their published settings), and the reader's two for
    the platform's. Keyed by kind too: one block may be named by a completion and a score requirement
    at once (a module and its test)."""
    keys = definition.resolved_blocks
    by_kind: dict[str, set[BlockRef]] = {}
    for requirement in requirements:
        by_kind.setdefault(requirement.kind, set()).update(ref for ref in requirement.blocks if keys.get(str(ref)))
    learner_ids = [person.learner_id for person in people if person.learner_id]
    judged_by_settings = [keys[str(ref)] for kind in BY_PUBLISHED_SETTINGS for ref in by_kind.get(kind, ())]
    settings = settings_in_bulk(definition.course_key, judged_by_settings) if learner_ids and judged_by_settings \
        else {}
    outcomes: dict[Person, dict[tuple, Outcome]] = {person: {} for person in people}
    for kind, refs in by_kind.items():
        usage_keys = {keys[str(ref)]: ref for ref in refs}
        if kind in OUR_KINDS:
            extra = {"settings": settings} if kind in BY_PUBLISHED_SETTINGS else {}
            found = OUR_KINDS[kind](definition.course_key, list(usage_keys), learner_ids, **extra) if learner_ids else {}
            for person in people:
                for usage_key, ref in usage_keys.items():
                    value = found.get((usage_key, person.learner_id))
                    if value is not None:
                        outcomes[person][(kind, ref)] = _outcome(value)
        else:
            read = reader.completions_in_bulk if kind == "completion" else reader.scores_in_bulk
            found = read(definition.course_key, list(usage_keys), people)
            for person in people:
                for usage_key, ref in usage_keys.items():
                    value = found.get((usage_key, person))
                    if value is not None:
                        outcomes[person][(kind, ref)] = (Outcome(completion=value) if kind == "completion"
                                                         else Outcome(share=value))
    return outcomes


def _outcome(value: dict) -> Outcome:
    return Outcome(value.get("status", ""), value.get("share"), value.get("completion", 0.0), value.get("still_open", True))


def judge(definition: ProgrammeDefinition, people: list[Person], reader, requirements=None) -> dict:
    """{person: ProgrammeStatus} for a page of people. `requirements`: the definition's, when the
    caller has them parsed already."""
    requirements = requirements_of(definition) if requirements is None else requirements
    present = present_blocks(definition, requirements)
    return evaluate_cohort(requirements, read_outcomes(definition, requirements, people, reader), present)


def meets_course_programmes(course_key: str, user_id: int, reader) -> bool | None:
    """Does this user meet every programme of the course? None when the course has none (then
    nothing of ours should hold anything back)."""
    definitions = list(ProgrammeDefinition.objects.filter(course_key=course_key))
    if not definitions:
        return None
    row = (Learner.objects.filter(course_key=course_key, user_id=user_id)
           .values_list("id", "anonymous_user_id").first())
    person = Person(learner_id=row[0] if row else None, user_id=user_id, anonymous_id=row[1] if row else None)
    if person.learner_id and ProgrammeCertificate.objects.filter(
            usage_key__in=[definition.usage_key for definition in definitions], learner_id=person.learner_id,
            revoked_at__isnull=False).exists():
        return False  # staff revoked the programme's certificate: the course certificate stays withheld
    statuses: list[ProgrammeStatus] = [judge(definition, [person], reader)[person] for definition in definitions]
    return all(status.met for status in statuses)
