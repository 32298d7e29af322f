"""Whether a learner meets a programme: requirement by requirement, from outcomes read in bulk.

The progress block, the cohort view and the certificate gate all ask the same question, so
the answer is computed here, from plain values, for one learner or a page of them. Outcomes
come from elsewhere (our tables through each block's api, the platform's completion and
grades through the adapter); this module only applies the rules.
Plain Python: no Django, no XBlock.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from blended_xblocks.progress.requirements import BlockRef, Requirement

ATTENDED = ("present", "late")


class Outcome(NamedTuple):
    """What one learner did in one block, in the terms every kind understands.

    `status` is the block's own word (a webinar's attendance mark, "released" for a graded
    assignment, "approved" for an agreement); `share` is a share of the points (None = never
    scored); `completion` is 0..1; `still_open` says whether the outcome can still change in
    the learner's favour (a session still to come, an assignment not yet graded).
    """

    status: str = ""
    share: float | None = None
    completion: float = 0.0
    still_open: bool = True


NOTHING_YET = Outcome()


@dataclass(frozen=True)
class RequirementStatus:
    """One requirement for one learner: what is done, what is needed, whether it can still be met."""

    requirement_id: str
    met: bool
    done: int
    needed: int
    at_risk: bool
    missing_blocks: tuple[BlockRef, ...] = ()
    blocks_left: tuple[BlockRef, ...] = ()

    def to_json(self) -> dict:
        return {"met": self.met, "done": self.done, "needed": self.needed, "at_risk": self.at_risk}


@dataclass(frozen=True)
class ProgrammeStatus:
    """A whole programme for one learner."""

    requirements: tuple[RequirementStatus, ...] = field(default_factory=tuple)

    @property
    def met(self) -> bool:
        """Every requirement met — and there is at least one: a programme not set up yet (or whose
        every imported line was unusable) certifies nobody."""
        return bool(self.requirements) and all(status.met for status in self.requirements)

    @property
    def at_risk(self) -> bool:
        return any(status.at_risk for status in self.requirements)

    @property
    def share_done(self) -> float:
        """Overall progress: each requirement weighs the same, counted up to what it needs. A
        programme without requirements certifies nobody (`met`), so it shows nothing done either."""
        if not self.requirements:
            return 0.0
        parts = [1.0 if not status.needed else min(status.done, status.needed) / status.needed
                 for status in self.requirements]
        return sum(parts) / len(parts)


def outcome_counts(requirement: Requirement, outcome: Outcome) -> bool:
    """Does this outcome count towards the requirement?"""
    kind = requirement.kind
    if kind in ("completion", "participation"):
        return outcome.completion >= 1.0
    if kind == "attendance":
        return outcome.status in ATTENDED or (requirement.excused_counts and outcome.status == "excused")
    if kind == "approval":
        return outcome.status == "approved"
    if kind == "assignment" and outcome.status != "released":
        return False
    if outcome.share is None:  # score, assignment: never scored
        return False
    return outcome.share >= (requirement.min_score or 0.0)


class PreparedRequirement(NamedTuple):
    """A requirement with what does not depend on the learner worked out once per cohort: the
    blocks the course still has, the missing ones, and how many are needed.

    A block deleted from the course neither counts nor blocks: `needed` shrinks to the blocks
    left (staff see it as missing), so a learner is never held back by something they cannot do.
    """

    requirement: Requirement
    blocks: tuple
    missing: tuple
    needed: int


def prepare(requirements, present) -> list[PreparedRequirement]:
    prepared = []
    for requirement in requirements:
        blocks = tuple(ref for ref in requirement.blocks if ref in present)
        missing = tuple(ref for ref in requirement.blocks if ref not in present)
        prepared.append(PreparedRequirement(requirement, blocks, missing, min(requirement.needed, len(blocks))))
    return prepared


def _evaluate(prepared: PreparedRequirement, outcomes: dict) -> RequirementStatus:
    requirement = prepared.requirement
    done = still_possible = 0
    left = []
    for ref in prepared.blocks:
        outcome = outcomes.get((requirement.kind, ref), NOTHING_YET)
        if outcome_counts(requirement, outcome):
            done += 1
        else:
            left.append(ref)
            still_possible += outcome.still_open
    met = done >= prepared.needed
    return RequirementStatus(requirement.id, met, done, prepared.needed,
                             at_risk=not met and done + still_possible < prepared.needed,
                             missing_blocks=prepared.missing, blocks_left=tuple(left))


def evaluate_requirement(requirement: Requirement, outcomes: dict, present) -> RequirementStatus:
    """One requirement for one learner. `outcomes` holds this learner's outcomes by (kind, block)
    (a block without one: nothing yet); `present` is every block the course still has."""
    return _evaluate(prepare([requirement], present)[0], outcomes)


def evaluate_programme(requirements, outcomes: dict, present) -> ProgrammeStatus:
    """Every requirement for one learner."""
    return ProgrammeStatus(tuple(_evaluate(item, outcomes) for item in prepare(requirements, present)))


def evaluate_cohort(requirements, outcomes_by_learner: dict, present) -> dict:
    """Every learner of a page: {learner: ProgrammeStatus}. `outcomes_by_learner` maps each
    learner to their outcomes by block, read in bulk beforehand (no query here)."""
    prepared = prepare(requirements, present)
    return {learner: ProgrammeStatus(tuple(_evaluate(item, outcomes) for item in prepared))
            for learner, outcomes in outcomes_by_learner.items()}
