"""A programme's requirements, as an author writes them in OLX or Studio.

Each `<requirement>` names blocks of the same course (`type/url_name`) and says what counts:
`kind` (what an outcome must be), `min` (k of n, default all) and `min_score` (a share of the
points, 0–1). Reading OLX keeps every valid requirement and reports the others, so an imported
course with one bad line still has a programme; Studio refuses the same problems outright.
Plain Python: no Django, no XBlock.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

# kind → the block types whose outcome it reads ("*" = any course content but the types refused
# for that kind below). The same rule filters Studio's block picker and refuses a save.
KIND_BLOCK_TYPES = {
    "completion": ("*",),
    "score": ("*",),
    "attendance": ("blended_webinar",),
    "assignment": ("blended_group_assignment",),
    "approval": ("blended_supervisor_agreement",),
    "participation": ("blended_experience_sharing",),
}
KINDS = tuple(KIND_BLOCK_TYPES)
# Kinds whose outcome is a share of points, so `min_score` applies.
SCORED_KINDS = ("score", "assignment")
CONTAINER_TYPES = ("chapter", "sequential", "vertical")
# Not course content a learner does: the course itself and its pages. A progress block is left
# out too: its completion is the programme's own verdict, so a programme could wait on itself.
NOT_CONTENT_TYPES = ("course", "about", "course_info", "static_tab", "blended_progress")
# Types that never carry a score. A subsection's score is its persisted grade, a problem's its own,
# a unit's or section's the weighted sum of the problems under it (platform.OpenEdxOutcomeReader).
SCORELESS_TYPES = ("html", "video", "discussion", "word_cloud", "poll", "survey",
                   "blended_experience_sharing")
REFUSED_TYPES = {"completion": NOT_CONTENT_TYPES, "score": NOT_CONTENT_TYPES + SCORELESS_TYPES}


def block_type_fits(kind: str, block_type: str) -> bool:
    """Can a requirement of `kind` read an outcome from a block of `block_type`?"""
    allowed = KIND_BLOCK_TYPES.get(kind, ())
    if "*" in allowed:
        return block_type not in REFUSED_TYPES.get(kind, ())
    return block_type in allowed


def kinds_for(block_type: str) -> list[str]:
    """Every kind of requirement that may name a block of this type (Studio's picker)."""
    return [kind for kind in KINDS if block_type_fits(kind, block_type)]


MAX_REQUIREMENTS = 30
MAX_BLOCKS_PER_REQUIREMENT = 100
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")
_BLOCK_REF = re.compile(r"^([A-Za-z0-9_-]{1,64})/([A-Za-z0-9_.:-]{1,255})$")


@dataclass(frozen=True)
class BlockRef:
    """A block of the course, as the OLX names it."""

    block_type: str
    url_name: str

    def __str__(self):
        return f"{self.block_type}/{self.url_name}"

    @classmethod
    def parse(cls, text: str) -> BlockRef:
        match = _BLOCK_REF.match(text.strip())
        if not match:
            raise RequirementError("invalid_block", N_("“{block}” is not a block of the form type/url_name."), block=text)
        return cls(match.group(1), match.group(2))


@dataclass(frozen=True)
class Requirement:
    """One line of the programme: which blocks, what counts, how many of them."""

    id: str
    label: str
    kind: str
    blocks: tuple[BlockRef, ...]
    min: int | None = None  # None: all of them
    min_score: float | None = None
    excused_counts: bool = False  # attendance: an excused absence counts as attended

    @property
    def needed(self) -> int:
        return len(self.blocks) if self.min is None else self.min

    def to_json(self) -> dict:
        return {"id": self.id, "label": self.label, "kind": self.kind,
                "blocks": [str(ref) for ref in self.blocks], "min": self.min,
                "min_score": self.min_score, "excused": self.excused_counts}


def N_(message):
    """Mark a message for extraction; the block translates it, then fills the placeholders."""
    return message


class RequirementError(ValueError):
    """A requirement that cannot be used: a stable `code`, an untranslated `message` msgid with
    {placeholders} and their `params` (the caller translates, as for handler errors)."""

    def __init__(self, code: str, message: str, requirement_id: str = "", **params):
        super().__init__(message.format(**params))
        self.code = code
        self.message = message
        self.params = params
        self.requirement_id = requirement_id


@dataclass
class ParsedProgramme:
    """What reading the OLX gave: the usable requirements and a note for each line dropped."""

    requirements: list[Requirement] = field(default_factory=list)
    problems: list[RequirementError] = field(default_factory=list)


def build_requirement(attributes: dict) -> Requirement:
    """One requirement from its attributes (OLX or Studio's JSON), or RequirementError."""
    requirement_id = str(attributes.get("id") or "").strip()
    if not _ID.match(requirement_id):
        raise RequirementError("invalid_id", N_("Each requirement needs an id of letters, digits, - or _."), requirement_id)
    label = " ".join(str(attributes.get("label") or "").split())[:200] or requirement_id
    kind = str(attributes.get("kind") or "").strip()
    if kind not in KIND_BLOCK_TYPES:
        raise RequirementError("unknown_kind", N_("Unknown kind “{kind}”."), requirement_id, kind=kind)
    raw_blocks = attributes.get("blocks") or ""
    if isinstance(raw_blocks, str):
        texts = raw_blocks.split()
    elif isinstance(raw_blocks, (list, tuple)) and all(isinstance(text, str) for text in raw_blocks):
        texts = list(raw_blocks)
    else:
        raise RequirementError("invalid_block", N_("“{block}” is not a block of the form type/url_name."),
                               requirement_id, block=str(raw_blocks)[:100])
    if not texts:
        raise RequirementError("no_blocks", N_("A requirement names at least one block."), requirement_id)
    if len(texts) > MAX_BLOCKS_PER_REQUIREMENT:
        raise RequirementError("too_many_blocks", N_("At most {count} blocks."), requirement_id,
                               count=MAX_BLOCKS_PER_REQUIREMENT)
    try:
        blocks = tuple(dict.fromkeys(BlockRef.parse(text) for text in texts))
    except RequirementError as error:
        error.requirement_id = requirement_id
        raise
    for ref in blocks:
        if not block_type_fits(kind, ref.block_type):
            raise RequirementError("wrong_block_type", N_("A {kind} requirement cannot use {block}."), requirement_id,
                                   kind=kind, block=str(ref))
    minimum = _optional_int(attributes.get("min"), requirement_id)
    if minimum is not None and not 1 <= minimum <= len(blocks):
        raise RequirementError("impossible_min", N_("“min” must be between 1 and {count}."), requirement_id,
                               count=len(blocks))
    min_score = _optional_share(attributes.get("min_score"), requirement_id)
    if min_score is not None and kind not in SCORED_KINDS:
        raise RequirementError("min_score_not_scored", N_("A {kind} requirement has no score."), requirement_id, kind=kind)
    excused = str(attributes.get("excused", "")).strip().lower() in ("true", "1", "yes")
    return Requirement(requirement_id, label, kind, blocks, minimum, min_score, excused and kind == "attendance")


def build_programme(items: list[dict], *, strict: bool) -> ParsedProgramme:
    """Every requirement of a programme. `strict` (Studio) raises the first problem; otherwise
    (OLX import) the problem is noted and the line left out."""
    parsed = ParsedProgramme()
    seen = set()
    for attributes in items[:MAX_REQUIREMENTS] if not strict else items:
        try:
            if strict and len(items) > MAX_REQUIREMENTS:
                raise RequirementError("too_many_requirements", N_("At most {count} requirements."), count=MAX_REQUIREMENTS)
            requirement = build_requirement(attributes)
            if requirement.id in seen:
                raise RequirementError("duplicate_id", N_("Two requirements are called “{id}”."), requirement.id,
                                       id=requirement.id)
        except RequirementError as error:
            if strict:
                raise
            parsed.problems.append(error)
            continue
        seen.add(requirement.id)
        parsed.requirements.append(requirement)
    return parsed


def _optional_int(value, requirement_id):
    if value in (None, ""):
        return None
    try:
        number = int(str(value).strip())
    except ValueError as error:
        raise RequirementError("impossible_min", N_("“min” must be a whole number."), requirement_id) from error
    return number


def _optional_share(value, requirement_id):
    if value in (None, ""):
        return None
    try:
        share = float(str(value).strip())
    except ValueError as error:
        raise RequirementError("invalid_min_score", N_("“min_score” must be a number from 0 to 1."), requirement_id) from error
    if not 0 <= share <= 1:
        raise RequirementError("invalid_min_score", N_("“min_score” must be a number from 0 to 1."), requirement_id)
    return share
