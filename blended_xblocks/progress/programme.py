"""A published programme judged for one learner or a page of learners, without a block.

The progress block, the cohort view and the certificate gate (which runs in the LMS's
certificate code, far from any block) all come here. Outcomes of our own blocks are read in
bulk through each block's api; completion and scores of the platform's blocks through the
`reader` the caller passes (the platform adapter), so that a page of learners costs the same
number of queries whatever its size.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

from blended_xblocks.core.outcome_rows import read_together, rows_of
from blended_xblocks.core.prepared import PreparedQuery
from blended_xblocks.experience_sharing.api import participation_from_rows, participation_rows
from blended_xblocks.group_assignment.api import results_from_rows, results_rows
from blended_xblocks.platform.models import Learner
from blended_xblocks.platform.published_settings import ROWS_KIND as _SETTINGS
from blended_xblocks.platform.published_settings import settings_from_rows, settings_rows
from blended_xblocks.progress.evaluation import Outcome, ProgrammeStatus, evaluate_cohort
from blended_xblocks.progress.models import ProgrammeCertificate, ProgrammeDefinition
from blended_xblocks.progress.requirements import BlockRef, Requirement, build_programme
from blended_xblocks.supervisor_agreement.api import agreements_from_rows, agreements_rows
from blended_xblocks.webinar.api import attendance_from_rows, attendance_rows


class OurKind(NamedTuple):
    """A kind of outcome our blocks keep, as its block package's api gives it: its rows in the common
    layout of core/outcome_rows.py (all kinds are read in one statement, `_OUR_OUTCOMES`), what they
    answer, and whether the blocks' published settings judge them too (a deadline, a required session:
    those are read in the same statement)."""

    rows: Callable
    from_rows: Callable
    by_published_settings: bool


OUR_KINDS = {
    "attendance": OurKind(attendance_rows, attendance_from_rows, False),
    "assignment": OurKind(results_rows, results_from_rows, True),
    "approval": OurKind(agreements_rows, agreements_from_rows, False),
    "participation": OurKind(participation_rows, participation_from_rows, True),
}


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
    statement for every kind of our blocks and the published settings they are judged by
    (`_our_outcomes`), and the reader's two for the platform's. Keyed by kind too: one block may be
    named by a completion and a score requirement at once (a module and its test)."""
    keys = definition.resolved_blocks
    by_kind: dict[str, set[BlockRef]] = {}
    for requirement in requirements:
        by_kind.setdefault(requirement.kind, set()).update(ref for ref in requirement.blocks if keys.get(str(ref)))
    learner_ids = [person.learner_id for person in people if person.learner_id]
    ours = _our_outcomes(definition.course_key, {kind: [keys[str(ref)] for ref in refs] for kind, refs in by_kind.items()
                                                 if kind in OUR_KINDS and refs}, learner_ids) if learner_ids else {}
    outcomes: dict[Person, dict[tuple, Outcome]] = {person: {} for person in people}
    for kind, refs in by_kind.items():
        usage_keys = {keys[str(ref)]: ref for ref in refs}
        if kind in OUR_KINDS:
            found = ours.get(kind, {})
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


def _our_outcomes(course_key: str, keys_by_kind: dict, learner_ids: list) -> dict:
    """{kind: {(usage_key, learner_id): value}} of our blocks' kinds, as each package's `*_in_bulk`
    answers, from one statement over all their tables and the published settings some are judged by
    (a round trip per kind otherwise, on every programme page, cohort page and certificate check).
    A sharing session that requires a live session adds the two reads of that session's attendance."""
    if not keys_by_kind:
        return {}
    usage_keys = dict(keys_by_kind)
    judged = sorted({key for kind, keys in keys_by_kind.items() if OUR_KINDS[kind].by_published_settings for key in keys})
    if judged:
        usage_keys[_SETTINGS] = judged
    rows = _OUR_OUTCOMES(kinds=tuple(sorted(usage_keys)), course_key=course_key, learner_ids=learner_ids, **usage_keys)
    settings = settings_from_rows(rows_of(rows, _SETTINGS))
    return {kind: OUR_KINDS[kind].from_rows(rows_of(rows, kind), course_key=course_key, usage_keys=keys,
                                            learner_ids=learner_ids, settings=settings)
            for kind, keys in keys_by_kind.items()}


def _statement(kinds: tuple, course_key: str, learner_ids: list, **usage_keys):
    return read_together([settings_rows(course_key, usage_keys[kind]) if kind == _SETTINGS
                          else OUR_KINDS[kind].rows(course_key, usage_keys[kind], learner_ids) for kind in kinds])


_OUR_OUTCOMES = PreparedQuery(_statement, shape=("kinds",))


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
